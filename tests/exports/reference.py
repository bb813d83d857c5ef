"""The Python implementation the JSON Lines, CSV and W3C exports had before PostgreSQL wrote them, kept as the oracle
their output is compared with. Two changes are deliberate and applied here too: times are in PostgreSQL's ISO 8601
form (no trailing zeros in the fraction), and CSV cells that a spreadsheet would run as formulas are neutralised."""

import csv
import io
import json

from apps.annotations.models import Annotation

COLUMNS = (
    "document", "document_title", "start", "end", "quote", "tag", "note", "annotator", "created", "modified", "origin",
    "normalized",
)  # fmt: skip
# The normalised value flattened (CSV only): column -> (key path inside `normalized`, is a number), or the
# annotation's own column.
FLAT_COLUMNS = {
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
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def postgres_iso(moment) -> str:
    """datetime.isoformat() of a UTC time as PostgreSQL writes it: the fraction without its trailing zeros."""
    text = moment.isoformat()
    if "." not in text:
        return text
    head, zone = text[:-6], text[-6:]
    return head.rstrip("0") + zone


def _ordered(annotations) -> list:
    return sorted(annotations, key=lambda a: (a.document_id, a.start, a.end, a.id))


def records(annotations) -> list[dict]:
    ordered = _ordered(annotations)
    fresh = {a.pk: a for a in Annotation.objects.filter(pk__in=[a.pk for a in ordered]).select_related()}
    return [
        {
            "document": a.document_id,
            "document_title": a.document.title,
            "start": a.start,
            "end": a.end,
            "quote": a.quote,
            "tag": a.tag.slug,
            "note": a.note,
            "annotator": a.annotator.username,
            "created": postgres_iso(fresh[a.pk].created),
            "modified": postgres_iso(fresh[a.pk].modified),
            "origin": fresh[a.pk].origin,
            "normalized": fresh[a.pk].normalized,
            "place_id": fresh[a.pk].place_id,
            "entity_id": fresh[a.pk].entity_id,
        }
        for a in ordered
    ]


def jsonl(annotations) -> str:
    return "".join(
        json.dumps({column: record[column] for column in COLUMNS}, ensure_ascii=False) + "\n"
        for record in records(annotations)
    )


def neutralised(value):
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def _cell(value):
    """A CSV cell: JSON values (dicts) as their JSON text, SQL NULL as an empty cell."""
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else value


def _flat_cell(record, source):
    if isinstance(source, str):
        return "" if record[source] is None else str(record[source])
    path, is_number = source
    value = record["normalized"]
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    if is_number:
        return json.dumps(value) if isinstance(value, int | float) and not isinstance(value, bool) else ""
    if value is None:
        return ""
    return neutralised(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))


def csv_text(annotations) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS + tuple(FLAT_COLUMNS))
    for record in records(annotations):
        row = [neutralised(_cell(record[column])) for column in COLUMNS]
        writer.writerow(row + [_flat_cell(record, source) for source in FLAT_COLUMNS.values()])
    return buffer.getvalue()


def w3c(annotations, document_url) -> str:
    items = []
    for record, annotation in zip(records(annotations), _ordered(annotations), strict=True):
        text = annotation.document.text
        body = [{"type": "TextualBody", "purpose": "tagging", "value": record["tag"]}]
        if record["note"]:
            body.append({"type": "TextualBody", "purpose": "commenting", "value": record["note"]})
        if record["normalized"] is not None:
            value = json.dumps(record["normalized"], ensure_ascii=False)
            body.append({"type": "TextualBody", "purpose": "describing", "format": "application/json", "value": value})
        item = {
            "id": f"urn:lector:annotation:{annotation.id}",
            "type": "Annotation",
            "created": record["created"],
            "modified": record["modified"],
            "creator": {"type": "Person", "nickname": record["annotator"]},
            "body": body,
            "target": {
                "source": document_url(annotation.document_id),
                "selector": [
                    {"type": "TextPositionSelector", "start": record["start"], "end": record["end"]},
                    {
                        "type": "TextQuoteSelector",
                        "exact": record["quote"],
                        "prefix": text[max(0, record["start"] - 32) : record["start"]],
                        "suffix": text[record["end"] : record["end"] + 32],
                    },
                ],
            },
        }
        items.append(json.dumps(item, ensure_ascii=False))
    head = json.dumps({"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationPage"})[:-1]
    return head + ', "items": [' + ",".join(items) + "]}\n"
