"""JSON Lines: one object per annotation with selectors.COLUMNS, written by PostgreSQL."""

from collections.abc import Iterator

from apps.exports.selectors import jsonl_lines


def render(annotations, *, document_url=None) -> Iterator[str | bytes]:
    """One JSON object per line, in export order."""
    yield from jsonl_lines(annotations)
