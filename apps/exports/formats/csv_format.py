"""CSV: a header row of selectors.COLUMNS, then one row per annotation (RFC 4180: CRLF, quoted as needed)."""

import csv
import io
from collections.abc import Iterator

from apps.exports.selectors import COLUMNS, flat_records
from apps.exports.streaming import PIECES_PER_CHUNK


def _drained(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def render(annotations, *, document_url=None) -> Iterator[str]:
    """The header, then the rows, flushed PIECES_PER_CHUNK rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for count, record in enumerate(flat_records(annotations), 1):
        writer.writerow([record[column] for column in COLUMNS])
        if count % PIECES_PER_CHUNK == 0:
            yield _drained(buffer)
    yield _drained(buffer)
