"""brat standoff: a zip with, for each document that has matching annotations, `<id>.txt` (the text exactly, UTF-8)
and `<id>.ann`, plus an `annotation.conf` declaring the tags used as entity types. Offsets are code points.

A span across line breaks becomes brat's discontinuous form, one fragment per line (`T1\tactor 3 9;11 15\t...`),
its text the fragments joined by one space, which is what brat checks it against. A note becomes
`#1\tAnnotatorNotes T1\t<note on one line>`."""

import re
import zipfile
from collections.abc import Iterator

from apps.exports.selectors import documents_with_annotations
from apps.exports.streaming import ZipStream

# Every character str.splitlines() breaks at, since a Python reader of .ann files may split lines at any of them.
LINE_BREAK = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
LINE = re.compile(f"[^{LINE_BREAK}]+")
BREAKS = re.compile(f"[{LINE_BREAK}]")


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The (start, end) of each run of text[start:end] without line breaks."""
    runs = [match.span() for match in LINE.finditer(text, start, end)]
    return runs or [(start, end)]


def ann_text(text: str, rows: list[dict]) -> str:
    """A document's .ann file: T lines in export order, each followed by its note, if any."""
    lines = []
    notes = 0
    for number, row in enumerate(rows, 1):
        spans = fragments(text, row["start"], row["end"])
        offsets = ";".join(f"{start} {end}" for start, end in spans)
        quote = BREAKS.sub(" ", " ".join(text[start:end] for start, end in spans))
        lines.append(f"T{number}\t{row['tag_slug']} {offsets}\t{quote}\n")
        if row["note"]:
            notes += 1
            lines.append(f"#{notes}\tAnnotatorNotes T{number}\t{' '.join(row['note'].split())}\n")
    return "".join(lines)


def annotation_conf(tags: set[str]) -> str:
    """A brat configuration declaring `tags` as entity types, so brat shows them without complaint."""
    entities = "".join(f"{tag}\n" for tag in sorted(tags))
    return f"[entities]\n{entities}[relations]\n[events]\n[attributes]\n"


def _entry(name: str, when: tuple) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=when)
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry


def render(annotations, *, document_url=None) -> Iterator[bytes]:
    """The zip, streamed: the bytes of each file as soon as it is written, the central directory last. Entries carry
    a fixed date (zip's epoch), so the same annotations always export to the same bytes."""
    stream = ZipStream()
    tags = set()
    when = (1980, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for document_id, text, rows in documents_with_annotations(annotations):
            archive.writestr(_entry(f"{document_id}.txt", when), text)
            yield stream.take()
            archive.writestr(_entry(f"{document_id}.ann", when), ann_text(text, rows))
            tags.update(row["tag_slug"] for row in rows)
            yield stream.take()
        archive.writestr(_entry("annotation.conf", when), annotation_conf(tags))
    yield stream.take()
