"""The streaming reads every export format is fed by: the filtered annotations in export order, a chunk at a time;
a document's text is read at most once per export, and only by the formats that need it."""

from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter

from django.db.models import F, QuerySet

from apps.annotations.models import Annotation
from apps.documents.models import Document

CHUNK_SIZE = 2000
EXPORT_ORDER = ("document_id", "start", "end", "id")
QUOTE_CONTEXT = 32  # code points of text kept either side of a quote (W3C TextQuoteSelector prefix and suffix)
COLUMNS = ("document", "document_title", "start", "end", "quote", "tag", "note", "annotator", "created", "modified")

_ROW_FIELDS = ("id", "document_id", "start", "end", "quote", "note", "created", "modified")
# Renamed, because `document`, `tag` and `annotator` are model fields and values() refuses them as aliases.
_ROW_ALIASES = {
    "document_title": F("document__title"),
    "tag_slug": F("tag__slug"),
    "annotator_username": F("annotator__username"),
}


def annotation_rows(annotations: QuerySet[Annotation]) -> Iterator[dict]:
    """The annotations as flat dicts (id, document_id, document_title, start, end, quote, tag_slug, note,
    annotator_username, created, modified) in export order."""
    return annotations.values(*_ROW_FIELDS, **_ROW_ALIASES).order_by(*EXPORT_ORDER).iterator(chunk_size=CHUNK_SIZE)


def document_text(document_id: int) -> str:
    """One document's text, read on its own."""
    return Document.objects.values_list("text", flat=True).get(pk=document_id)


def rows_with_quote_context(annotations: QuerySet[Annotation]) -> Iterator[dict]:
    """annotation_rows plus `prefix` and `suffix`, up to QUOTE_CONTEXT code points either side of each span."""
    # Cut in Python from one document's text at a time rather than by substr() in SQL: on a UTF-8 text, PostgreSQL
    # decompresses and walks the text from its start on every call, which took 77 s for 20,000 annotations of a 1 MB
    # document (against 0.3 s this way).
    document_id = text = None
    for row in annotation_rows(annotations):
        if row["document_id"] != document_id:
            document_id, text = row["document_id"], document_text(row["document_id"])
        row["prefix"] = text[max(0, row["start"] - QUOTE_CONTEXT) : row["start"]]
        row["suffix"] = text[row["end"] : row["end"] + QUOTE_CONTEXT]
        yield row


def flat_records(annotations: QuerySet[Annotation]) -> Iterator[dict]:
    """One record per annotation with the COLUMNS of the JSON Lines and CSV exports, times in ISO 8601."""
    for row in annotation_rows(annotations):
        yield {
            "document": row["document_id"],
            "document_title": row["document_title"],
            "start": row["start"],
            "end": row["end"],
            "quote": row["quote"],
            "tag": row["tag_slug"],
            "note": row["note"],
            "annotator": row["annotator_username"],
            "created": row["created"].isoformat(),
            "modified": row["modified"].isoformat(),
        }


def documents_with_annotations(annotations: QuerySet[Annotation]) -> Iterator[tuple[int, str, list[dict]]]:
    """(document id, text, its rows from annotation_rows) for each document with matching annotations, in id order;
    one document's text and rows in memory at a time."""
    for document_id, rows in groupby(annotation_rows(annotations), key=itemgetter("document_id")):
        yield document_id, document_text(document_id), list(rows)
