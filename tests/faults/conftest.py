"""Fault tests: Lector served by gunicorn in a subprocess (a real worker to kill, persistent database connections to
lose) against the test database, driven over HTTP by threads that each hold their own session."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _test_database_url() -> str:
    """The URL the suite was given, naming the test database pytest-django created instead."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + settings.DATABASES["default"]["NAME"]))


class Server:
    def __init__(self, threads: int):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "DATABASE_URL": _test_database_url(), "DEBUG": "1", "CONN_MAX_AGE": "600"}
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{self.port}",
                "--workers", "1", "--worker-class", "gthread", "--threads", str(threads), "--timeout", "60",
                "--log-level", "warning",
            ],
            cwd=ROOT, env=env,
        )  # fmt: skip
        self.wait_ready()

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "gunicorn exited"
            try:
                requests.get(self.url + "/api/", timeout=5)
                return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise AssertionError("gunicorn did not answer")

    def worker_pids(self) -> list[int]:
        found = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True)
        return [int(pid) for pid in found.stdout.split()]

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


@pytest.fixture
def server(transactional_db):
    """Start with `server(threads=...)`; stopped after the test."""
    started = []

    def start(threads: int = 4) -> Server:
        started.append(Server(threads))
        return started[-1]

    yield start
    for each in started:
        each.stop()


def session_for(user) -> requests.Session:
    from rest_framework.authtoken.models import Token

    session = requests.Session()
    session.headers["Authorization"] = f"Token {Token.objects.get_or_create(user=user)[0].key}"
    return session
