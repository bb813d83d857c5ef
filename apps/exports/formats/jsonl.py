"""JSON Lines: one object per annotation with selectors.COLUMNS."""

import json
from collections.abc import Iterator

from apps.exports.selectors import flat_records
from apps.exports.streaming import joined


def render(annotations, *, document_url=None) -> Iterator[str]:
    """One JSON object per line, in export order."""
    yield from joined(json.dumps(record, ensure_ascii=False) + "\n" for record in flat_records(annotations))
