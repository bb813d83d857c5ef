"""JSON Lines (.jsonl): one {"title", "text", "source_url", "author", "published"} object a line."""

import datetime
import json
from typing import Any

from apps.documents.importers.base import ImportFileError, ParsedDocument, clean_title, normalize_text, one_line

_JSON_TYPE_NAMES = {dict: "object", list: "array", str: "string", int: "number", float: "number", bool: "boolean"}


class _RecordError(Exception):
    """A bad JSONL line; the message names the line and is reported as the file's reason."""


def parse_jsonl(filename: str, content: str) -> list[ParsedDocument]:
    documents = []
    for number, line in enumerate(content.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            documents.append(_record_to_document(_load_record(line, number), number))
        except _RecordError as error:
            raise ImportFileError(filename, str(error)) from None
    if not documents:
        raise ImportFileError(filename, "is empty")
    return documents


def _load_record(line: str, number: int) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise _RecordError(f"line {number}: invalid JSON ({error.msg})") from None
    except RecursionError:
        raise _RecordError(f"line {number}: invalid JSON (nested too deeply)") from None
    if not isinstance(record, dict):
        raise _RecordError(f"line {number}: expected a JSON object, got {_json_type(record)}")
    return record


def _record_to_document(record: dict[str, Any], number: int) -> ParsedDocument:
    title = clean_title(_string_field(record, "title", number, required=True))
    if not title:
        raise _RecordError(f"line {number}: 'title' is empty")
    text = normalize_text(_string_field(record, "text", number, required=True))
    if not text:
        raise _RecordError(f"line {number}: 'text' is empty")
    url_field = "source_url" if record.get("source_url") is not None else "url"
    return ParsedDocument(
        title=title,
        text=text,
        source_url=one_line(_string_field(record, url_field, number)),
        author=one_line(_string_field(record, "author", number)),
        published=_published(_string_field(record, "published", number), number),
    )


def _string_field(record: dict[str, Any], name: str, number: int, *, required: bool = False) -> str:
    if name not in record:
        if required:
            raise _RecordError(f"line {number}: missing field '{name}'")
        return ""
    value = record[name]
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise _RecordError(f"line {number}: '{name}' must be a string, not {_json_type(value)}")
    return value


def _json_type(value: Any) -> str:
    return _JSON_TYPE_NAMES.get(type(value), "null")


def _published(value: str, number: int) -> datetime.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        pass
    try:
        # The calendar date as written, in the writer's own time zone.
        return datetime.datetime.fromisoformat(value).date()
    except ValueError:
        raise _RecordError(f"line {number}: 'published' is not an ISO date: {value!r}") from None
