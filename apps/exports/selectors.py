"""The streaming reads every export format is fed by, in export order. JSON Lines and CSV lines are written by
PostgreSQL and streamed out of a COPY; the other formats read rows from a server-side cursor a batch at a time, and a
document's text at most once per export, only for the formats that need it."""

import re
from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter

from django.db.models import Expression, F, QuerySet

from apps.annotations.models import Annotation
from apps.documents.models import Document
from apps.exports import sql
from apps.exports.streaming import copied_rows

ROWS_PER_FETCH = 2000
EXPORT_ORDER = ("document_id", "start", "end", "id")
QUOTE_CONTEXT = 32  # code points of text kept either side of a quote (W3C TextQuoteSelector prefix and suffix)

_ROW_FIELDS = ("id", "document_id", "start", "end", "quote", "note", "created", "modified")
# Renamed, because `document`, `tag` and `annotator` are model fields and values() refuses them as aliases.
_ROW_ALIASES = {
    "document_title": F("document__title"),
    "tag_slug": F("tag__slug"),
    "annotator_username": F("annotator__username"),
}
# How each kind of value is written: (as JSON, as a CSV cell).
_WRITERS = {
    "number": (sql.as_text, sql.as_text),
    "text": (sql.json_string, sql.csv_cell),
    "time": (sql.json_time, sql.iso_time),
    "json": (sql.json_value, sql.json_cell),
}
# The source of each of COLUMNS, in order, and its kind.
_COLUMN_SOURCES = {
    "document": ("document_id", "number"),
    "document_title": ("document__title", "text"),
    "start": ("start", "number"),
    "end": ("end", "number"),
    "quote": ("quote", "text"),
    "tag": ("tag__slug", "text"),
    "note": ("note", "text"),
    "annotator": ("annotator__username", "text"),
    "created": ("created", "time"),
    "modified": ("modified", "time"),
    "origin": ("origin", "text"),
    "normalized": ("normalized", "json"),
}
COLUMNS = tuple(_COLUMN_SOURCES)
# CSV only: the normalised value flattened into a dataset's columns, empty where the kind does not apply. Each is
# (the key path inside `normalized`, whether it is a number), or a number column of the annotation.
_FLAT_SOURCES = {
    "quantity_low": (("low",), True),
    "quantity_best": (("best",), True),
    "quantity_high": (("high",), True),
    "quantity_conservative": (("conservative",), True),
    "quantity_qualifier": (("qualifier",), False),
    "quantity_unit": (("unit",), False),
    "quantity_counted": (("counted",), False),
    "place_id": "place_id",
    "place_name": (("place", "name"), False),
    "latitude": (("place", "latitude"), True),
    "longitude": (("place", "longitude"), True),
    "country_code": (("place", "country_code"), False),
    "geo_precision": (("precision",), True),
    "entity_id": "entity_id",
    "entity_name": (("entity", "name"), False),
    "entity_type": (("entity", "type"), False),
}
CSV_COLUMNS = COLUMNS + tuple(_FLAT_SOURCES)


def _flat_cell(source) -> Expression:
    if isinstance(source, str):
        return sql.number_or_empty(source)
    path, is_number = source
    return (sql.json_path_number_cell if is_number else sql.json_path_text_cell)("normalized", path)


# JSON text holds no raw control characters, so COPY in CSV form with control characters as its quote and delimiter
# never quotes a JSON line: each comes out exactly as PostgreSQL wrote it, ended by a newline.
_AS_WRITTEN = "WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"
# COPY's text form escapes a backslash and the control characters b f n r t v with a backslash; a raw newline only
# ends a row.
_COPY_TEXT_ESCAPE = re.compile(rb"\\(.)", re.DOTALL)
_COPY_TEXT_UNESCAPED = {b"\\": b"\\", b"b": b"\b", b"f": b"\f", b"n": b"\n", b"r": b"\r", b"t": b"\t", b"v": b"\v"}


def _copied_lines(annotations: QuerySet[Annotation], line, options: str = "") -> Iterator[bytes]:
    """The text `line` computes for each annotation, in export order, through COPY."""
    query = annotations.annotate(line=line).order_by(*EXPORT_ORDER).values_list("line")
    return copied_rows(*query.query.sql_with_params(), options=options)


def _crlf_rows(chunk: bytes) -> bytes:
    """A chunk of COPY text rows as the rows themselves, each ended by CRLF."""
    chunk = chunk.replace(b"\n", b"\r\n")
    if b"\\" not in chunk:
        return chunk
    return _COPY_TEXT_ESCAPE.sub(lambda escape: _COPY_TEXT_UNESCAPED[escape[1]], chunk)


def jsonl_lines(annotations: QuerySet[Annotation]) -> Iterator[bytes]:
    """One JSON object per annotation with COLUMNS as keys (times in ISO 8601), a line each, in chunks."""
    members = {column: _WRITERS[kind][0](field) for column, (field, kind) in _COLUMN_SOURCES.items()}
    return _copied_lines(annotations, sql.json_object(members), _AS_WRITTEN)


def csv_lines(annotations: QuerySet[Annotation]) -> Iterator[bytes]:
    """One CSV row of CSV_COLUMNS per annotation (CRLF, quoted as needed, formulas neutralised), in chunks."""
    cells = [_WRITERS[kind][1](field) for field, kind in _COLUMN_SOURCES.values()]
    cells += [_flat_cell(source) for source in _FLAT_SOURCES.values()]
    return map(_crlf_rows, _copied_lines(annotations, sql.csv_row(cells)))


def annotation_rows(annotations: QuerySet[Annotation]) -> Iterator[dict]:
    """The annotations as flat dicts (id, document_id, document_title, start, end, quote, tag_slug, note,
    annotator_username, created, modified) in export order."""
    return annotations.values(*_ROW_FIELDS, **_ROW_ALIASES).order_by(*EXPORT_ORDER).iterator(chunk_size=ROWS_PER_FETCH)


def document_text(document_id: int) -> str:
    """One document's text, read on its own."""
    return Document.objects.values_list("text", flat=True).get(pk=document_id)


def rows_with_quote_context(annotations: QuerySet[Annotation], **computed) -> Iterator[dict]:
    """document_id, start and end of each annotation in export order, the `computed` expressions, and `prefix` and
    `suffix`: up to QUOTE_CONTEXT code points of the text either side of the span."""
    # Cut in Python from one document's text at a time rather than by substr() in SQL: on a UTF-8 text, PostgreSQL
    # decompresses and walks the text from its start on every call, which took 77 s for 20,000 annotations of a 1 MB
    # document (against 0.3 s this way).
    rows = annotations.values("document_id", "start", "end", **computed).order_by(*EXPORT_ORDER)
    document_id = text = None
    for row in rows.iterator(chunk_size=ROWS_PER_FETCH):
        if row["document_id"] != document_id:
            document_id, text = row["document_id"], document_text(row["document_id"])
        row["prefix"] = text[max(0, row["start"] - QUOTE_CONTEXT) : row["start"]]
        row["suffix"] = text[row["end"] : row["end"] + QUOTE_CONTEXT]
        yield row


def documents_with_annotations(annotations: QuerySet[Annotation]) -> Iterator[tuple[int, str, list[dict]]]:
    """(document id, text, its rows from annotation_rows) for each document with matching annotations, in id order;
    one document's text and rows in memory at a time."""
    for document_id, rows in groupby(annotation_rows(annotations), key=itemgetter("document_id")):
        yield document_id, document_text(document_id), list(rows)
