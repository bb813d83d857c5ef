"""Helpers for writing export formats as generators of chunks."""

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
