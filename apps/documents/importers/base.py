"""What every importer shares: the parsed document, the file error, text normalisation, titles, decoding."""

import codecs
import datetime
import math
import re
from dataclasses import dataclass

TITLE_MAX_LENGTH = 300

_MIB = 1024 * 1024
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f]")  # C0 except \t and \n (\r is converted first)
_LEADING_BLANK_LINES = re.compile(r"\A(?:\ufeff|[^\S\n]*\n)+")


@dataclass(frozen=True)
class ParsedDocument:
    """One document read from a file, ready to be stored."""

    title: str
    text: str
    source_url: str = ""
    author: str = ""
    published: datetime.date | None = None


class ImportFileError(Exception):
    """A file that cannot be imported; str() is 'NAME: reason'."""

    def __init__(self, filename: str, reason: str):
        super().__init__(f"{filename}: {reason}")
        self.filename = filename
        self.reason = reason

    def __reduce__(self) -> tuple[type["ImportFileError"], tuple[str, str]]:
        # The default pickling would call __init__ with the single formatted message.
        return type(self), (self.filename, self.reason)


def normalize_text(text: str) -> str:
    """Canonical stored form of a text: \\n line ends, no control characters or BOM, no blank lead or trailing space."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_CHARS.sub("", text)
    # BOMs and blank lines are removed together so that removing one never exposes the other (idempotence).
    text = _LEADING_BLANK_LINES.sub("", text)
    return text.rstrip()


def check_file_size(filename: str, size: int, limit: int) -> None:
    """Raise ImportFileError naming the file when size (known before reading it) is over limit bytes."""
    if size > limit:
        shown, shown_limit = human_size(size), human_size(limit)
        if shown == shown_limit:  # rounding would hide the difference
            shown, shown_limit = f"{size:,} bytes", f"{limit:,} bytes"
        raise ImportFileError(filename, f"is {shown}; the limit is {shown_limit} a file")


def human_size(size: int) -> str:
    """A byte count for people ('7.3 MB', '12 KB'), rounded up so that a size just over a limit never reads as it."""
    for unit, scale in (("MB", _MIB), ("KB", 1024)):
        if size >= scale // 10:
            value = math.ceil(size * 10 / scale) / 10
            return f"{value:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def file_extension(filename: str) -> str:
    name = _basename(filename)
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def _basename(filename: str) -> str:
    return re.split(r"[/\\]", filename)[-1]


def file_stem(filename: str) -> str:
    name = _basename(filename)
    dot = name.rfind(".")
    return name[:dot] if dot > 0 else name


def decode_utf8(filename: str, data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFileError(filename, "is UTF-16 text; save it as UTF-8")
    if b"\x00" in data:
        raise ImportFileError(filename, "looks like a binary file")
    body = data.removeprefix(codecs.BOM_UTF8)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        position = error.start + len(data) - len(body)
        reason = f"is not UTF-8 text: invalid byte 0x{data[position]:02x} at position {position}"
        raise ImportFileError(filename, reason) from None


def require_text(filename: str, text: str) -> str:
    if not text:
        raise ImportFileError(filename, "is empty")
    return text


def clean_title(*candidates: str) -> str:
    """The first candidate that is not blank, on one line and cut to TITLE_MAX_LENGTH; '' if all are blank."""
    for candidate in candidates:
        if title := one_line(candidate):
            return title[:TITLE_MAX_LENGTH].rstrip()
    return ""


def one_line(value: str) -> str:
    return " ".join(normalize_text(value).split())
