"""Helpers for writing export formats as generators of chunks."""

import contextlib
import queue
import threading
import time
from collections.abc import Iterable, Iterator
from itertools import islice

from django.db import connection, transaction

PIECES_PER_CHUNK = 500


def joined(pieces: Iterable[str], size: int = PIECES_PER_CHUNK) -> Iterator[str]:
    """The pieces concatenated `size` at a time, so the server writes a few large chunks rather than many tiny ones."""
    pieces = iter(pieces)
    while batch := list(islice(pieces, size)):
        yield "".join(batch)


class ZipStream:
    """A write-only file for zipfile.ZipFile: it has no tell() or seek(), so zipfile streams (data descriptors)
    and the bytes written so far can be taken out and sent at any time."""

    def __init__(self):
        self._buffer = bytearray()

    def write(self, data) -> int:
        self._buffer += data
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        """The bytes written since the last take."""
        data = bytes(self._buffer)
        self._buffer.clear()
        return data


def in_one_snapshot(chunks: Iterator) -> Iterator:
    """The chunks, read inside one REPEATABLE READ, READ ONLY transaction: every query of the export sees the database
    as it was at the first one, so a document deleted or an annotation added while the response streams changes
    nothing in it. Inside a transaction already open (a test's), that transaction's own view is used."""
    if connection.in_atomic_block:
        yield from chunks
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield from chunks


CHUNK_BYTES = 1 << 16
CHUNKS_AHEAD = 16  # at most this many chunks wait for the client: beyond, PostgreSQL waits too


class _ChunkWriter:
    """The file psycopg2's copy_expert writes each row to: rows gathered into chunks of about CHUNK_BYTES, handed to
    the response through a bounded queue; rows arriving after the response has gone are dropped."""

    def __init__(self, chunks: queue.Queue, abandoned: threading.Event):
        self.chunks, self.abandoned = chunks, abandoned
        self.rows: list[bytes] = []
        self.size = 0

    def write(self, row: bytes) -> None:
        if self.abandoned.is_set():
            return
        self.rows.append(row)
        self.size += len(row)
        if self.size >= CHUNK_BYTES:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.chunks.put(b"".join(self.rows))
            self.rows, self.size = [], 0


_FINISHED = object()


def copied_rows(statement: str, params, options: str = "") -> Iterator[bytes]:
    """The bytes of `COPY (statement) TO STDOUT options`, in chunks, as PostgreSQL sends them.

    psycopg2's copy_expert returns only once the whole COPY is written, so it runs in a thread of its own on the
    request's connection (and transaction) while this generator hands the chunks on: PostgreSQL keeps writing rows,
    with parallel workers, which a server-side cursor never gets, while the server sends the ones before. The request
    thread does not touch the connection until the COPY has ended. `params` are bound by the driver, as execute()
    binds them (COPY itself takes no parameters)."""
    connection.ensure_connection()
    raw = connection.connection
    with raw.cursor() as cursor:
        copy = cursor.mogrify(f"COPY ({statement}) TO STDOUT {options}", params)
    chunks: queue.Queue = queue.Queue(maxsize=CHUNKS_AHEAD)
    abandoned = threading.Event()

    def run() -> None:
        writer = _ChunkWriter(chunks, abandoned)
        try:
            with raw.cursor() as cursor:
                cursor.copy_expert(copy, writer)
            writer.flush()
            chunks.put(_FINISHED)
        except Exception as error:  # handed to the request thread, which raises it
            chunks.put(error)

    copier = threading.Thread(target=run, name="export-copy", daemon=True)
    began = time.monotonic()
    copier.start()
    try:
        while (chunk := chunks.get()) is not _FINISHED:
            if isinstance(chunk, Exception):
                raise chunk
            yield chunk
    finally:
        if copier.is_alive():  # the response was closed early: stop PostgreSQL, let the thread run out
            abandoned.set()
            raw.cancel()
            while copier.is_alive():
                with contextlib.suppress(queue.Empty):
                    chunks.get(timeout=0.05)
        copier.join()
        if connection.queries_logged:  # as Django logs what runs through its cursors, so query counts include it
            connection.queries_log.append({"sql": copy.decode(), "time": f"{time.monotonic() - began:.3f}"})
