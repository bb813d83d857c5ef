"""Reading annotations exported by Lector (JSONL), doccano (JSONL) or Label Studio (JSON) into plain records.

Pure functions: no database. `annotations_import` in services.py matches the records to documents and tags.
"""

import bisect
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
    where: str = ""  # its place in the file, when it differs from its document's


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
        except RecursionError as error:
            raise ImportFormatError(f"line {number}: nested too deeply") from error
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
                where,
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


class Utf16Offsets:
    """Converts UTF-16 offsets into `text` (Label Studio's browser counts UTF-16 units) to code points, after one
    pass over the text: each character beyond the Basic Multilingual Plane takes two units, the others one."""

    def __init__(self, text: str):
        self.length = len(text)
        units = 0
        self.astral_starts = []  # the UTF-16 offset of each astral character, ascending
        for character in text:
            if ord(character) > 0xFFFF:
                self.astral_starts.append(units)
                units += 2
            else:
                units += 1

    def code_points(self, offset: int) -> int:
        """The code-point offset; one inside a surrogate pair counts as the end of its character."""
        before = bisect.bisect_left(self.astral_starts, offset)  # astral characters starting before `offset`
        inside_pair = before and self.astral_starts[before - 1] == offset - 1
        return max(0, min(self.length, offset - before + (1 if inside_pair else 0)))


def _object(value, where: str, name: str) -> dict:
    if not isinstance(value, dict):
        raise ImportFormatError(f"{where}: each item of '{name}' must be a JSON object")
    return value


def _list(value, where: str, name: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ImportFormatError(f"{where}: '{name}' must be a list")
    return value


def parse_labelstudio(data: bytes) -> list[DocumentRecord]:
    """Label Studio's JSON export: a list of tasks with data.text and annotations[].result[] of labels."""
    try:
        tasks = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportFormatError(f"the file is not a JSON document ({error})") from error
    except RecursionError as error:
        raise ImportFormatError("the file is nested too deeply to be a Label Studio export") from error
    if not isinstance(tasks, list):
        raise ImportFormatError("expected a JSON list of tasks")
    records = []
    for number, task in enumerate(tasks, start=1):
        where = f"task {number}"
        data_field = task.get("data") if isinstance(task, dict) else None
        text = data_field.get("text") if isinstance(data_field, dict) else None
        if not isinstance(text, str):
            raise ImportFormatError(f"{where}: missing data.text")
        record = DocumentRecord(where=where, text=text, title=str(data_field.get("title") or ""))
        utf16 = None
        for annotation in _list(task.get("annotations"), where, "annotations"):
            for result in _list(_object(annotation, where, "annotations").get("result"), where, "result"):
                value = _object(result, where, "result").get("value") or {}
                if not isinstance(value, dict) or "start" not in value or "end" not in value:
                    continue  # not a text span (a choice, a rating...)
                start, end = _int(value["start"], where, "start"), _int(value["end"], where, "end")
                quote = value.get("text")
                if isinstance(quote, str) and text[start:end] != quote:
                    utf16 = utf16 or Utf16Offsets(text)
                    start, end = utf16.code_points(start), utf16.code_points(end)
                for label in _list(value.get("labels"), where, "labels"):
                    record.spans.append(SpanRecord(start, end, str(label), quote=quote))
        records.append(record)
    return records


PARSERS = {"lector": parse_lector, "doccano": parse_doccano, "labelstudio": parse_labelstudio}
