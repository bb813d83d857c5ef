"""Turn an uploaded file into documents to import: pure functions, no Django and no database."""

import codecs
import datetime
import json
import logging
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import trafilatura
from lxml import etree
from lxml import html as lxml_html

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 5 * 1024 * 1024  # 5 MiB per file
SUPPORTED_EXTENSIONS = (".txt", ".md", ".html", ".htm", ".jsonl")
TITLE_MAX_LENGTH = 300

_MIB = 1024 * 1024
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f]")  # C0 except \t and \n (\r is converted first)
_LEADING_BLANK_LINES = re.compile(r"\A(?:\ufeff|[^\S\n]*\n)+")
_MARKDOWN_H1 = re.compile(r"^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_MARKDOWN_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_JSON_TYPE_NAMES = {dict: "object", list: "array", str: "string", int: "number", float: "number", bool: "boolean"}


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


class _RecordError(Exception):
    """A bad JSONL line; the message names the line and is reported as the file's reason."""


# --- plain text -----------------------------------------------------------------------------------


def normalize_text(text: str) -> str:
    """Canonical stored form of a text: \\n line ends, no control characters or BOM, no blank lead or trailing space."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_CHARS.sub("", text)
    # BOMs and blank lines are removed together so that removing one never exposes the other (idempotence).
    text = _LEADING_BLANK_LINES.sub("", text)
    return text.rstrip()


def parse_file(filename: str, data: bytes) -> list[ParsedDocument]:
    """Parse one uploaded file into documents, or raise ImportFileError saying why it cannot be imported."""
    extension = _extension(filename)
    parser = _PARSERS.get(extension)
    if parser is None:
        kind = f"'{extension}' files are" if extension else "a file without an extension is"
        raise ImportFileError(filename, f"{kind} not supported; use one of {', '.join(SUPPORTED_EXTENSIONS)}")
    if len(data) > MAX_FILE_BYTES:
        # Rounded up so that a file just over the limit never reads as exactly the limit.
        size = math.ceil(len(data) * 10 / _MIB) / 10
        raise ImportFileError(filename, f"is {size:.1f} MB; the limit is {MAX_FILE_BYTES // _MIB} MB")
    return parser(filename, _decode(filename, data))


def _extension(filename: str) -> str:
    name = _basename(filename)
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def _basename(filename: str) -> str:
    return re.split(r"[/\\]", filename)[-1]


def _stem(filename: str) -> str:
    name = _basename(filename)
    dot = name.rfind(".")
    return name[:dot] if dot > 0 else name


def _decode(filename: str, data: bytes) -> str:
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


def _require_text(filename: str, text: str) -> str:
    if not text:
        raise ImportFileError(filename, "is empty")
    return text


def _clean_title(*candidates: str) -> str:
    """The first candidate that is not blank, on one line and cut to TITLE_MAX_LENGTH; '' if all are blank."""
    for candidate in candidates:
        if title := _one_line(candidate):
            return title[:TITLE_MAX_LENGTH].rstrip()
    return ""


def _one_line(value: str) -> str:
    return " ".join(normalize_text(value).split())


def _parse_txt(filename: str, content: str) -> list[ParsedDocument]:
    text = _require_text(filename, normalize_text(content))
    return [ParsedDocument(title=_clean_title(_stem(filename), filename), text=text)]


def _parse_markdown(filename: str, content: str) -> list[ParsedDocument]:
    text = _require_text(filename, normalize_text(content))
    return [ParsedDocument(title=_clean_title(_markdown_title(text), _stem(filename), filename), text=text)]


def _markdown_title(text: str) -> str:
    """The text of the first level-one ATX heading outside code fences, or ''."""
    fence = ""
    for line in text.split("\n"):
        if marker := _MARKDOWN_FENCE.match(line):
            if not fence:
                fence = marker.group(1)
            elif marker.group(1).startswith(fence):
                fence = ""
            continue
        if not fence and (heading := _MARKDOWN_H1.match(line)):
            return heading.group(1)
    return ""


# --- HTML -----------------------------------------------------------------------------------------


def _parse_html(filename: str, content: str) -> list[ParsedDocument]:
    _require_text(filename, normalize_text(content))
    document = html_to_document(content, fallback_title=_stem(filename) or filename)
    if not document.text:
        raise ImportFileError(filename, "has no readable text")
    return [document]


def html_to_document(html: str, *, fallback_title: str) -> ParsedDocument:
    """Readable article text and metadata of an HTML page; text is '' when the page has none."""
    extracted = _run_trafilatura(html)
    body = getattr(extracted, "body", None)
    text = _render(body, _TRAFILATURA_MARKUP) if body is not None else ""
    title = _string_attribute(extracted, "title")
    if not text or not title:
        page = _parse_page(html)
        if page is not None:
            text = text or _render(next(page.iter("body"), page), _HTML_MARKUP)
            title = title or (page.findtext(".//title") or "")
    return ParsedDocument(
        title=_clean_title(title, fallback_title),
        text=normalize_text(text),
        source_url=_one_line(_string_attribute(extracted, "url")),
        author=_one_line(_string_attribute(extracted, "author")),
        published=_iso_date(_string_attribute(extracted, "date")),
    )


def _run_trafilatura(html: str) -> Any:
    try:
        return trafilatura.bare_extraction(
            html, include_comments=False, include_tables=True, favor_recall=True, with_metadata=True
        )
    except Exception:
        # Uploads are arbitrary markup; a crash in the extractor must not cost the analyst the file.
        logger.warning("trafilatura failed; falling back to plain lxml text extraction", exc_info=True)
        return None


def _string_attribute(extracted: Any, name: str) -> str:
    value = getattr(extracted, name, None)
    return value if isinstance(value, str) else ""


def _iso_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _parse_page(html: str) -> Any:
    # Bytes plus an explicit encoding: lxml refuses str input that carries an <?xml encoding=...?> declaration.
    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True)
    try:
        return lxml_html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError):
        return None


@dataclass(frozen=True)
class _Markup:
    """How the tags of one tree vocabulary map onto paragraphs, lines and cells of plain text."""

    blocks: frozenset[str]
    lines: frozenset[str]
    bullets: frozenset[str]
    cells: frozenset[str]
    breaks: frozenset[str]
    skipped: frozenset[str]
    verbatim: frozenset[str]


# trafilatura's own XML vocabulary. "code" is not a block: trafilatura also uses it for inline code in a paragraph;
# "quote" keeps its newlines because trafilatura turns <pre> into it.
_TRAFILATURA_MARKUP = _Markup(
    blocks=frozenset({"p", "head", "quote", "list", "table", "div", "figure", "note"}),
    lines=frozenset({"item", "row"}),
    bullets=frozenset({"item"}),
    cells=frozenset({"cell"}),
    breaks=frozenset({"lb"}),
    skipped=frozenset({"graphic"}),
    verbatim=frozenset({"code", "quote"}),
)
_HTML_MARKUP = _Markup(
    blocks=frozenset(
        {"address", "article", "blockquote", "body", "center", "details", "dialog", "div", "dl", "fieldset"}
        | {"figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hgroup", "hr", "main", "ol", "p", "pre"}
        | {"section", "summary", "table", "ul"}
    ),
    lines=frozenset({"li", "tr", "dt", "dd", "caption"}),
    bullets=frozenset({"li"}),
    cells=frozenset({"td", "th"}),
    breaks=frozenset({"br"}),
    skipped=frozenset(
        {"aside", "button", "canvas", "footer", "head", "header", "iframe", "nav", "noscript", "object", "script"}
        | {"select", "style", "svg", "template", "textarea"}
    ),
    verbatim=frozenset({"pre", "listing", "plaintext"}),
)

_FLOW, _LINE, _CELL = "flow", "line", "cell"


class _TextBuilder:
    """Collects text into lines and paragraphs; paragraphs are joined by a blank line."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self.lines: list[str] = []
        self.parts: list[str] = []
        self.bullet = ""
        self.line_is_verbatim = False
        self.cells_in_line = 0

    def write(self, text: str, *, verbatim: bool) -> None:
        if verbatim:
            first, *rest = text.split("\n")
            self._append(first, verbatim=True)
            for piece in rest:
                self.end_line()
                self._append(piece, verbatim=True)
            return
        text = _HTML_SPACE.sub(" ", text)
        if self.parts and self.parts[-1].endswith(" "):
            text = text.removeprefix(" ")
        if text and (self.parts or text != " "):
            self._append(text, verbatim=False)

    def _append(self, piece: str, *, verbatim: bool) -> None:
        if not self.parts:
            self.line_is_verbatim = verbatim
        self.parts.append(piece)

    def start_cell(self) -> None:
        if self.cells_in_line:
            self.write(" | ", verbatim=False)
        self.cells_in_line += 1

    def start_line(self, bullet: str) -> None:
        self.end_line()
        self.bullet = bullet

    def end_line(self) -> None:
        line = "".join(self.parts).rstrip()
        if not self.line_is_verbatim:
            line = line.lstrip()
        if line.strip():
            self.lines.append(self.bullet + line)
            # A bullet stays pending until its item has text: <li><p>text</p></li> still gets one.
            self.bullet = ""
        self.parts, self.line_is_verbatim, self.cells_in_line = [], False, 0

    def end_item(self) -> None:
        self.end_line()
        self.bullet = ""

    def end_paragraph(self) -> None:
        self.end_line()
        if self.lines:
            self.paragraphs.append("\n".join(self.lines))
        self.lines = []

    def finish(self) -> str:
        self.end_paragraph()
        return "\n\n".join(self.paragraphs)


def _render(root: Any, markup: _Markup) -> str:
    """Plain text of an lxml tree: blocks become paragraphs, list items and table rows become lines."""
    builder = _TextBuilder()
    _render_element(root, markup, builder, _FLOW, verbatim=False)
    return builder.finish()


def _render_element(element: Any, markup: _Markup, out: _TextBuilder, context: str, *, verbatim: bool) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag and tag not in markup.skipped:
        _render_content(element, tag, markup, out, context, verbatim=verbatim or tag in markup.verbatim)
    if element.tail:
        out.write(element.tail, verbatim=verbatim)


def _render_content(
    element: Any, tag: str, markup: _Markup, out: _TextBuilder, context: str, *, verbatim: bool
) -> None:
    close: Callable[[], None] | None = None
    inner = context
    if tag in markup.breaks:
        if context == _CELL:
            out.write(" ", verbatim=False)
        else:
            out.end_line()
    elif tag in markup.cells:
        out.start_cell()
        inner = _CELL
    elif context == _CELL and (tag in markup.blocks or tag in markup.lines):
        # Inside a table cell, nested blocks stay on the row's line.
        out.write(" ", verbatim=False)
    elif tag in markup.lines:
        out.start_line("- " if tag in markup.bullets else "")
        inner, close = _LINE, out.end_item
    elif tag in markup.blocks:
        close = out.end_paragraph if context == _FLOW else out.end_line
        close()
    if element.text:
        out.write(element.text, verbatim=verbatim)
    for child in element:
        _render_element(child, markup, out, inner, verbatim=verbatim)
    if close is not None:
        close()


# --- JSON Lines -----------------------------------------------------------------------------------


def _parse_jsonl(filename: str, content: str) -> list[ParsedDocument]:
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
    title = _clean_title(_string_field(record, "title", number, required=True))
    if not title:
        raise _RecordError(f"line {number}: 'title' is empty")
    text = normalize_text(_string_field(record, "text", number, required=True))
    if not text:
        raise _RecordError(f"line {number}: 'text' is empty")
    url_field = "source_url" if record.get("source_url") is not None else "url"
    return ParsedDocument(
        title=title,
        text=text,
        source_url=_one_line(_string_field(record, url_field, number)),
        author=_one_line(_string_field(record, "author", number)),
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


_PARSERS: dict[str, Callable[[str, str], list[ParsedDocument]]] = {
    ".txt": _parse_txt,
    ".md": _parse_markdown,
    ".html": _parse_html,
    ".htm": _parse_html,
    ".jsonl": _parse_jsonl,
}
