"""W3C Web Annotation Data Model (JSON-LD): one AnnotationPage whose items are the annotations, each tagging a
TextPositionSelector (code points, end exclusive) and TextQuoteSelector (up to 32 code points of prefix and suffix)."""

import json
from collections.abc import Callable, Iterator

from apps.exports.selectors import rows_with_quote_context
from apps.exports.streaming import joined

CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def annotation_item(row: dict, source: str) -> dict:
    """A row of rows_with_quote_context as a W3C Annotation targeting `source`."""
    body = [{"type": "TextualBody", "purpose": "tagging", "value": row["tag_slug"]}]
    if row["note"]:
        body.append({"type": "TextualBody", "purpose": "commenting", "value": row["note"]})
    return {
        "id": f"urn:lector:annotation:{row['id']}",
        "type": "Annotation",
        "created": row["created"].isoformat(),
        "modified": row["modified"].isoformat(),
        "creator": {"type": "Person", "nickname": row["annotator_username"]},
        "body": body,
        "target": {
            "source": source,
            "selector": [
                {"type": "TextPositionSelector", "start": row["start"], "end": row["end"]},
                {"type": "TextQuoteSelector", "exact": row["quote"], "prefix": row["prefix"], "suffix": row["suffix"]},
            ],
        },
    }


def _items(annotations, document_url: Callable[[int], str]) -> Iterator[str]:
    document_id = source = None
    for index, row in enumerate(rows_with_quote_context(annotations)):
        if row["document_id"] != document_id:
            document_id, source = row["document_id"], document_url(row["document_id"])
        yield ("," if index else "") + json.dumps(annotation_item(row, source), ensure_ascii=False)


def render(annotations, *, document_url: Callable[[int], str]) -> Iterator[str]:
    """The page's opening, its items a chunk at a time, its closing."""
    yield json.dumps({"@context": CONTEXT, "type": "AnnotationPage"})[:-1] + ', "items": ['
    yield from joined(_items(annotations, document_url))
    yield "]}\n"
