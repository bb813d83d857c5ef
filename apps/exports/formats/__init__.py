"""The export formats. Each is a generator function `render(annotations, *, document_url)` that takes the filtered
annotation queryset (and a function giving a document's absolute reading-view URL) and yields str or bytes chunks,
reading through apps.exports.selectors."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from apps.exports.formats import brat, conll, csv_format, geojson, jsonl, w3c


@dataclass(frozen=True)
class ExportFormat:
    render: Callable[..., Iterator[str | bytes]]
    content_type: str
    filename: str


FORMATS = {
    "jsonl": ExportFormat(jsonl.render, "application/x-ndjson", "lector-annotations.jsonl"),
    "csv": ExportFormat(csv_format.render, "text/csv; charset=utf-8", "lector-annotations.csv"),
    "w3c": ExportFormat(w3c.render, "application/ld+json", "lector-annotations.jsonld"),
    "brat": ExportFormat(brat.render, "application/zip", "lector-annotations.zip"),
    "conll": ExportFormat(conll.render, "text/plain; charset=utf-8", "lector-annotations.conll"),
    "geojson": ExportFormat(geojson.render, "application/geo+json", "lector-places.geojson"),
}
