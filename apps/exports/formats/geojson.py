"""GeoJSON: one FeatureCollection with a Point for each annotation resolved to a place (RFC 7946: longitude first)."""

import json
from collections.abc import Iterator

from django.db.models.fields.json import KT

from apps.exports.selectors import EXPORT_ORDER, ROWS_PER_FETCH

_FIELDS = {
    "annotation": "id",
    "document": "document_id",
    "document_title": "document__title",
    "quote": "quote",
    "tag": "tag__slug",
    "place_id": "place_id",
    "place_name": "place__name",
    "country_code": "place__country_code",
    "admin1": "place__admin1",
    "longitude": "place__longitude",
    "latitude": "place__latitude",
}


def render(annotations, *, document_url=None) -> Iterator[str | bytes]:
    """The annotations with a place, as GeoJSON Point features in export order, streamed a feature at a time."""
    rows = (
        annotations.filter(place__isnull=False)
        .annotate(place_precision=KT("normalized__precision"))
        .values(*_FIELDS.values(), "place_precision")
        .order_by(*EXPORT_ORDER)
    )
    yield '{"type": "FeatureCollection", "features": ['
    separator = "\n"
    for row in rows.iterator(chunk_size=ROWS_PER_FETCH):
        properties = {name: row[field] for name, field in _FIELDS.items() if name not in ("longitude", "latitude")}
        properties["precision"] = int(row["place_precision"]) if row["place_precision"] else None
        feature = {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row["place__longitude"], row["place__latitude"]]},
            "properties": properties,
        }
        yield separator + json.dumps(feature, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"
