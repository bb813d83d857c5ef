"""The streaming reads every export format is fed by, in export order. JSON Lines and CSV lines are written by
PostgreSQL and fetched a batch at a time from a server-side cursor; the other formats read plain rows the same way,
and a document's text at most once per export, only for the formats that need it."""

from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter

import psycopg2.extensions
from django.db import connection
from django.db.models import F, QuerySet

from apps.annotations.models import Annotation
from apps.documents.models import Document
from apps.exports import sql

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
}
COLUMNS = tuple(_COLUMN_SOURCES)


def _lines(annotations: QuerySet[Annotation], line) -> Iterator[bytes]:
    """The text `line` computes for each annotation, in export order, ROWS_PER_FETCH lines to a chunk."""
    query = annotations.annotate(line=line).order_by(*EXPORT_ORDER).values_list("line")
    statement, params = query.query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        # As the UTF-8 bytes PostgreSQL sends, which is what the response is made of: no decoding and encoding again.
        psycopg2.extensions.register_type(psycopg2.extensions.BYTES, cursor.cursor)
        cursor.execute(statement, params)
        while rows := cursor.fetchmany(ROWS_PER_FETCH):
            yield b"".join(map(itemgetter(0), rows))


def jsonl_lines(annotations: QuerySet[Annotation]) -> Iterator[bytes]:
    """One JSON object per annotation with COLUMNS as keys (times in ISO 8601), a line each, in chunks."""
    members = {column: _WRITERS[kind][0](field) for column, (field, kind) in _COLUMN_SOURCES.items()}
    return _lines(annotations, sql.json_object_line(members))


def csv_lines(annotations: QuerySet[Annotation]) -> Iterator[bytes]:
    """One CSV row of COLUMNS per annotation (CRLF, quoted as needed, formulas neutralised), in chunks."""
    cells = [_WRITERS[kind][1](field) for field, kind in _COLUMN_SOURCES.values()]
    return _lines(annotations, sql.csv_line(cells))


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
