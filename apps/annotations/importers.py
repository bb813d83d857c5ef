"""Reading annotations exported by Lector (JSONL), doccano (JSONL) or Label Studio (JSON) into plain records.

Pure functions: no database. `annotations_import` in services.py matches the records to documents and tags.
"""

import json
from dataclasses import dataclass, field

FORMATS = ("lector", "doccano", "labelstudio")


@dataclass
class SpanRecord:
    start: int
    end: int
    tag: str
    note: str = ""
    quote: str | None = None


@dataclass
class DocumentRecord:
    """A document (by id, or by its text for formats that carry it) and its spans; `where` names its place."""

    where: str
    spans: list[SpanRecord] = field(default_factory=list)
    document_id: int | None = None
    text: str | None = None
    title: str = ""


class ImportFormatError(Exception):
    """The file is not in the format it claims; str() says where and why."""


def _json_lines(data: bytes):
    try:
        lines = data.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as error:
        raise ImportFormatError(f"the file is not UTF-8 text ({error.reason} at byte {error.start})") from error
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise ImportFormatError(f"line {number}: invalid JSON ({error.msg})") from error
        if not isinstance(row, dict):
            raise ImportFormatError(f"line {number}: expected a JSON object")
        yield number, row


def _int(value, where: str, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ImportFormatError(f"{where}: '{name}' must be a whole number")
    return value


def parse_lector(data: bytes) -> list[DocumentRecord]:
    """Lector's JSONL export: one annotation a line with document, start, end, tag (and note, quote)."""
    records: dict[int, DocumentRecord] = {}
    for number, row in _json_lines(data):
        where = f"line {number}"
        missing = [name for name in ("document", "start", "end", "tag") if name not in row]
        if missing:
            raise ImportFormatError(f"{where}: missing field '{missing[0]}'")
        document_id = _int(row["document"], where, "document")
        record = records.setdefault(document_id, DocumentRecord(where=where, document_id=document_id))
        record.spans.append(
            SpanRecord(
                _int(row["start"], where, "start"),
                _int(row["end"], where, "end"),
                str(row["tag"]),
                str(row.get("note") or ""),
                row.get("quote"),
            )
        )
    return list(records.values())


def parse_doccano(data: bytes) -> list[DocumentRecord]:
    """doccano's JSONL: {"text": ..., "label": [[start, end, tag], ...]} a line (offsets in code points)."""
    records = []
    for number, row in _json_lines(data):
        where = f"line {number}"
        if not isinstance(row.get("text"), str):
            raise ImportFormatError(f"{where}: missing field 'text'")
        labels = row.get("label", row.get("labels", []))
        if not isinstance(labels, list):
            raise ImportFormatError(f"{where}: 'label' must be a list of [start, end, tag]")
        record = DocumentRecord(where=where, text=row["text"], title=str(row.get("title") or ""))
        for label in labels:
            if not (isinstance(label, list) and len(label) == 3):
                raise ImportFormatError(f"{where}: each label must be [start, end, tag], got {label!r}")
            record.spans.append(SpanRecord(_int(label[0], where, "start"), _int(label[1], where, "end"), str(label[2])))
        records.append(record)
    return records


def utf16_to_code_points(text: str, offset: int) -> int:
    """The code-point offset of a UTF-16 offset into `text` (Label Studio's browser counts UTF-16 units)."""
    units = 0
    for index, character in enumerate(text):
        if units >= offset:
            return index
        units += 2 if ord(character) > 0xFFFF else 1
    return len(text)


def parse_labelstudio(data: bytes) -> list[DocumentRecord]:
    """Label Studio's JSON export: a list of tasks with data.text and annotations[].result[] of labels."""
    try:
        tasks = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportFormatError(f"the file is not a JSON document ({error})") from error
    if not isinstance(tasks, list):
        raise ImportFormatError("expected a JSON list of tasks")
    records = []
    for number, task in enumerate(tasks, start=1):
        where = f"task {number}"
        text = (task.get("data") or {}).get("text") if isinstance(task, dict) else None
        if not isinstance(text, str):
            raise ImportFormatError(f"{where}: missing data.text")
        record = DocumentRecord(where=where, text=text, title=str(task["data"].get("title") or ""))
        for annotation in task.get("annotations") or []:
            for result in annotation.get("result") or []:
                value = result.get("value") or {}
                if "start" not in value or "end" not in value:
                    continue  # not a text span (a choice, a rating...)
                start, end = _int(value["start"], where, "start"), _int(value["end"], where, "end")
                quote = value.get("text")
                if isinstance(quote, str) and text[start:end] != quote:
                    start, end = utf16_to_code_points(text, start), utf16_to_code_points(text, end)
                for label in value.get("labels") or []:
                    record.spans.append(SpanRecord(start, end, str(label), quote=quote))
        records.append(record)
    return records


PARSERS = {"lector": parse_lector, "doccano": parse_doccano, "labelstudio": parse_labelstudio}
