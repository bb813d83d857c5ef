"""The live server (gunicorn_live.conf.py: uvicorn's worker on config.asgi) in a subprocess against the test
database, and a small server-sent-events client logged in with a real session cookie."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.test import Client

from apps.reader.models import DocumentRevision
from tests.workers import database_url_for_subprocess, stop_worker

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    def __init__(self):
        self.port = free_port()
        self.url = f"http://localhost:{self.port}"
        env = {**os.environ, "DATABASE_URL": database_url_for_subprocess(), "DEBUG": "1", "LIVE_PORT": str(self.port)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn_live.conf.py", "--log-level", "warning"],
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "the live server exited"
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("the live server did not start")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def stop(self) -> None:
        stop_worker(self.process)


@pytest.fixture
def live_stream_server(transactional_db):
    server = LiveServer()
    yield server
    server.stop()


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


class EventStream:
    """A document's stream, read event by event (`event` name and `data`), as a browser's EventSource would."""

    def __init__(self, server: LiveServer, user, document_id: int, revision: int | None = None):
        """`revision`: the one a page would have been drawn at (the document's current one unless given)."""
        if revision is None:
            revision = DocumentRevision.objects.filter(document_id=document_id).values_list("revision", flat=True)
            revision = revision.first() or 0
        self.response = requests.get(
            f"{server.url}/live/documents/{document_id}/events/",
            params={"revision": revision},
            cookies={settings.SESSION_COOKIE_NAME: session_cookie(user)},
            headers={"Accept": "text/event-stream"},
            stream=True,
            timeout=10,
        )
        self.lines = self.response.iter_lines(decode_unicode=True)

    def next_event(self) -> tuple[str, str]:
        name, data = "message", []
        for line in self.lines:
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                data.append(line[6:])
            elif line == "" and (data or name != "message"):
                return name, "\n".join(data)
        raise AssertionError("the stream ended")

    def next(self, wanted: str) -> str:
        """The data of the next event named `wanted` (others are skipped)."""
        while True:
            name, data = self.next_event()
            if name == wanted:
                return data

    def until(self, wanted: str, data: str) -> None:
        """Read on until an event named `wanted` carries `data` (a stream may repeat what it said before)."""
        while self.next(wanted) != data:
            pass

    def next_change(self) -> dict:
        return json.loads(self.next("change"))

    def close(self) -> None:
        self.response.close()
