"""W3C Web Annotation Data Model (JSON-LD): one AnnotationPage whose items are the annotations, each tagging a
TextPositionSelector (code points, end exclusive) and TextQuoteSelector (up to 32 code points of prefix and suffix).

PostgreSQL writes each item but its source and the quote's prefix and suffix, which are cut here from the document's
text (see selectors.rows_with_quote_context)."""

import json
from collections.abc import Callable, Iterator

from django.db.models import F, Value

from apps.exports import sql
from apps.exports.selectors import rows_with_quote_context
from apps.exports.streaming import joined

CONTEXT = "http://www.w3.org/ns/anno.jsonld"

_NOTE_BODY = (
    "CASE WHEN {value} = '' THEN '' "
    """ELSE ', {{"type": "TextualBody", "purpose": "commenting", "value": ' || to_json({value})::text || '}}' END"""
)
# The normalised value (a quantity's reading, a place, an entity) as a describing body holding its JSON text.
_NORMALIZED_BODY = (
    "CASE WHEN {value} IS NULL OR jsonb_typeof({value}) = 'null' THEN '' "
    """ELSE ', {{"type": "TextualBody", "purpose": "describing", "format": "application/json", "value": ' """
    "|| to_json(({value})::text)::text || '}}' END"
)
# The item up to its target's source, and from the source to the quote's prefix.
ITEM_HEAD = sql.Joined(
    Value('{"id": "urn:lector:annotation:'),
    sql.as_text("id"),
    Value('", "type": "Annotation", "created": '),
    sql.json_time("created"),
    Value(', "modified": '),
    sql.json_time("modified"),
    Value(', "creator": {"type": "Person", "nickname": '),
    sql.json_string("annotator__username"),
    Value('}, "body": [{"type": "TextualBody", "purpose": "tagging", "value": '),
    sql.json_string("tag__slug"),
    Value("}"),
    sql.Template(_NOTE_BODY, F("note")),
    sql.Template(_NORMALIZED_BODY, F("normalized")),
    Value('], "target": {"source": '),
)
ITEM_SELECTORS = sql.Joined(
    Value(', "selector": [{"type": "TextPositionSelector", "start": '),
    sql.as_text("start"),
    Value(', "end": '),
    sql.as_text("end"),
    Value('}, {"type": "TextQuoteSelector", "exact": '),
    sql.json_string("quote"),
    Value(', "prefix": '),
)


def _items(annotations, document_url: Callable[[int], str]) -> Iterator[str]:
    document_id = source = None
    rows = rows_with_quote_context(annotations, head=ITEM_HEAD, selectors=ITEM_SELECTORS)
    for index, row in enumerate(rows):
        if row["document_id"] != document_id:
            document_id, source = row["document_id"], json.dumps(document_url(row["document_id"]))
        prefix, suffix = json.dumps(row["prefix"], ensure_ascii=False), json.dumps(row["suffix"], ensure_ascii=False)
        yield f'{"," if index else ""}{row["head"]}{source}{row["selectors"]}{prefix}, "suffix": {suffix}}}]}}}}'


def render(annotations, *, document_url: Callable[[int], str]) -> Iterator[str]:
    """The page's opening, its items a chunk at a time, its closing."""
    yield json.dumps({"@context": CONTEXT, "type": "AnnotationPage"})[:-1] + ', "items": ['
    yield from joined(_items(annotations, document_url))
    yield "]}\n"
