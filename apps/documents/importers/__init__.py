"""Turn an uploaded file into documents to import: pure functions, no Django and no database.

One module per format (text.py for .txt and .md, html.py, jsonl.py); base.py holds what they share.
"""

from collections.abc import Callable

from apps.documents.importers.base import (
    TITLE_MAX_LENGTH,
    ImportFileError,
    ParsedDocument,
    check_file_size,
    decode_utf8,
    file_extension,
    human_size,
    normalize_text,
)
from apps.documents.importers.html import html_to_document, parse_html
from apps.documents.importers.jsonl import parse_jsonl
from apps.documents.importers.text import parse_markdown, parse_txt

PARSERS: dict[str, Callable[[str, str], list[ParsedDocument]]] = {
    ".txt": parse_txt,
    ".md": parse_markdown,
    ".html": parse_html,
    ".htm": parse_html,
    ".jsonl": parse_jsonl,
}
SUPPORTED_EXTENSIONS = tuple(PARSERS)


def parse_file(filename: str, data: bytes) -> list[ParsedDocument]:
    """Parse one uploaded file into documents, or raise ImportFileError saying why it cannot be imported.

    The caller checks the file's size (check_file_size) before reading it into `data`.
    """
    extension = file_extension(filename)
    parser = PARSERS.get(extension)
    if parser is None:
        kind = f"'{extension}' files are" if extension else "a file without an extension is"
        raise ImportFileError(filename, f"{kind} not supported; use one of {', '.join(SUPPORTED_EXTENSIONS)}")
    return parser(filename, decode_utf8(filename, data))


__all__ = [
    "PARSERS",
    "SUPPORTED_EXTENSIONS",
    "TITLE_MAX_LENGTH",
    "ImportFileError",
    "ParsedDocument",
    "check_file_size",
    "html_to_document",
    "human_size",
    "normalize_text",
    "parse_file",
]
