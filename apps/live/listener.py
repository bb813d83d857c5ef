"""One PostgreSQL listener per server process, fanning notifications out to that process's open streams.

Writes anywhere (any app server, bulk imports, raw SQL) reach PostgreSQL, whose triggers (migration 0001) NOTIFY the
channel `lector_live` with ids only:

    {"kind": "annotation", "op": "insert" | "update" | "delete", "document": 7, "ids": [41, 42] | null,
     "start": 120, "end": 180, "user": 3 | null, "revision": 1234}
    {"kind": "presence", "document": 7}

The listener is a thread with its own connection (psycopg2, autocommit, LISTEN) waiting in select(); the streams are
coroutines on the ASGI server's event loop, each with a queue the listener fills through call_soon_threadsafe. When
the connection is lost (a restarted or unreachable database), the thread reconnects with a growing pause and tells
every stream to fetch its whole document again, since notifications sent meanwhile are lost.
"""

import asyncio
import contextlib
import json
import logging
import os
import select
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

import psycopg2
from django.db import connections
from django.utils.html import format_html, format_html_join

from apps.live.selectors import HEARTBEAT_SECONDS, STALE_SECONDS, present_readers

CHANNEL = "lector_live"
APPLICATION_NAME = "lector live listener"  # in pg_stat_activity, followed by the server process's pid
QUEUE_LIMIT = 100  # events waiting for one slow client; past it, it is told to fetch the whole document instead
RECONNECT_MAX_SECONDS = 5

logger = logging.getLogger(__name__)


def presence_line(present: list[tuple[int, str]], user_id: int) -> str:
    """The reading view's line naming who else has the document open (empty when nobody does)."""
    others = [(name,) for other, name in present if other != user_id]
    if not others:
        return ""
    return format_html("Also reading now: {}", format_html_join(", ", "<b>{}</b>", others))


def sse(event: str, data: str) -> str:
    """One server-sent event; every line of the data on its own `data:` line."""
    lines = "".join(f"data: {line}\n" for line in (data.splitlines() or [""]))
    return f"event: {event}\n{lines}\n"


def resync_payload(document_id: int) -> str:
    """A `change` naming no ids: the reading view fetches its whole text again."""
    return json.dumps({"kind": "resync", "document": document_id, "ids": None})


@dataclass(eq=False)
class Stream:
    """One open stream: a reader of a document, and the events waiting to be sent to them."""

    document_id: int
    user_id: int
    presence_id: int | None = None
    queue: asyncio.Queue = field(default_factory=asyncio.Queue)

    def push(self, event: str, data: str) -> None:
        if self.queue.qsize() >= QUEUE_LIMIT:
            while not self.queue.empty():
                self.queue.get_nowait()
            event, data = "change", resync_payload(self.document_id)
        self.queue.put_nowait(sse(event, data))


class Hub:
    """This process's streams by document, and the thread that listens for all of them."""

    def __init__(self):
        self._streams: dict[int, set[Stream]] = defaultdict(set)
        self._lock = threading.Lock()  # the streams are added on the event loop and read by the listener thread
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self.listening = threading.Event()  # set while the listener's connection is LISTENing
        self.reconnects = 0

    # --- on the event loop ----------------------------------------------------------------------------------------

    def subscribe(self, stream: Stream) -> None:
        self._loop = asyncio.get_running_loop()
        with self._lock:
            self._streams[stream.document_id].add(stream)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._listen, name="lector-live-listener", daemon=True)
                self._thread.start()

    async def listening_now(self, timeout: float = 5) -> bool:
        """Wait (a little, without blocking the loop) for the listener's connection to be LISTENing."""
        if self.listening.is_set():
            return True
        return await asyncio.get_running_loop().run_in_executor(None, self.listening.wait, timeout)

    def unsubscribe(self, stream: Stream) -> None:
        with self._lock:
            streams = self._streams.get(stream.document_id)
            if streams is not None:
                streams.discard(stream)
                if not streams:
                    del self._streams[stream.document_id]

    def _deliver(self, document_id: int, event: str, data: str) -> None:
        with self._lock:
            streams = list(self._streams.get(document_id, ()))
        for stream in streams:
            stream.push(event, data)

    def _deliver_presence(self, document_id: int, present: list[tuple[int, str]]) -> None:
        with self._lock:
            streams = list(self._streams.get(document_id, ()))
        for stream in streams:
            stream.push("presence", presence_line(present, stream.user_id))

    # --- in the listener thread -----------------------------------------------------------------------------------

    def _documents(self) -> list[int]:
        with self._lock:
            return list(self._streams)

    def _presence_ids(self) -> list[int]:
        with self._lock:
            return [s.presence_id for streams in self._streams.values() for s in streams if s.presence_id is not None]

    def _post(self, callback, *args) -> None:
        with contextlib.suppress(RuntimeError):  # the loop closed: the server is stopping
            self._loop.call_soon_threadsafe(callback, *args)

    def _listen(self) -> None:
        pause = 0.5
        while True:
            try:
                params = connections["default"].get_connection_params()
                connection = psycopg2.connect(**{**params, "application_name": f"{APPLICATION_NAME} {os.getpid()}"})
            except psycopg2.Error as error:
                logger.warning("live listener cannot connect (%s); again in %.1f s", error, pause)
                time.sleep(pause)
                pause = min(pause * 2, RECONNECT_MAX_SECONDS)
                continue
            try:
                connection.autocommit = True
                with connection.cursor() as cursor:
                    cursor.execute(f"LISTEN {CHANNEL}")
                self.listening.set()
                pause = 0.5
                if self.reconnects:
                    self._resync(connection)
                self._serve(connection)
            except (psycopg2.Error, OSError) as error:
                logger.warning("live listener lost its connection (%s); reconnecting", error)
            finally:
                self.listening.clear()
                self.reconnects += 1
                with contextlib.suppress(psycopg2.Error):
                    connection.close()

    def _serve(self, connection) -> None:
        next_heartbeat = time.monotonic() + HEARTBEAT_SECONDS
        while True:
            wait = max(0.0, next_heartbeat - time.monotonic())
            if select.select([connection], [], [], wait) != ([], [], []):
                connection.poll()
                presence = set()
                while connection.notifies:
                    notify = connection.notifies.pop(0)
                    payload = json.loads(notify.payload)
                    if payload["kind"] == "presence":
                        presence.add(payload["document"])
                    else:
                        self._post(self._deliver, payload["document"], "change", notify.payload)
                for document_id in presence & set(self._documents()):
                    self._post(self._deliver_presence, document_id, self._present(connection, document_id))
            if time.monotonic() >= next_heartbeat:
                self._heartbeat(connection)
                next_heartbeat = time.monotonic() + HEARTBEAT_SECONDS

    def _present(self, connection, document_id: int) -> list[tuple[int, str]]:
        with connection.cursor() as cursor:
            return present_readers(document_id, cursor=cursor)

    def _heartbeat(self, connection) -> None:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE live_presence SET seen = now() WHERE id = ANY(%s)", [self._presence_ids()])
            cursor.execute(f"DELETE FROM live_presence WHERE seen < now() - interval '{STALE_SECONDS} seconds'")

    def _resync(self, connection) -> None:
        """After a reconnection: what was written meanwhile was never heard, so every stream fetches its whole
        document again, and who is reading is counted afresh."""
        for document_id in self._documents():
            self._post(self._deliver, document_id, "change", resync_payload(document_id))
            self._post(self._deliver_presence, document_id, self._present(connection, document_id))


hub = Hub()
