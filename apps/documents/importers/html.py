"""HTML (.html, .htm): the article text and metadata of a page, without its navigation, headers and footers."""

import datetime
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from apps.documents.importers.base import (
    ImportFileError,
    ParsedDocument,
    clean_title,
    file_stem,
    normalize_text,
    one_line,
    require_text,
)

logger = logging.getLogger(__name__)

_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_FURNITURE_ROLES = ("navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar")
_BOILERPLATE = etree.XPath(
    "//nav | //header | //footer | //aside | //script | //style | //noscript | //template"
    + "".join(f" | //*[@role='{role}']" for role in _FURNITURE_ROLES)
)


def parse_html(filename: str, content: str) -> list[ParsedDocument]:
    require_text(filename, normalize_text(content))
    document = html_to_document(content, fallback_title=file_stem(filename) or filename)
    if not document.text:
        raise ImportFileError(filename, "has no readable text")
    return [document]


def html_to_document(html: str, *, fallback_title: str) -> ParsedDocument:
    """Readable article text and metadata of an HTML page; text is '' when the page has none.

    Navigation, headers, footers, asides, scripts and styles are cut from the page before trafilatura sees it: on a
    short page trafilatura falls back to the whole page's text, menus included.
    """
    page = _parse_page(html)
    if page is not None:
        for element in _BOILERPLATE(page):
            if element.getparent() is not None:
                element.drop_tree()
        html = lxml_html.tostring(page, encoding="unicode")
    extracted = _run_trafilatura(html)
    body = getattr(extracted, "body", None)
    text = _render(body, _TRAFILATURA_MARKUP) if body is not None else ""
    title = _string_attribute(extracted, "title")
    if (not text or not title) and page is not None:
        text = text or _render(next(page.iter("body"), page), _HTML_MARKUP)
        title = title or (page.findtext(".//title") or "")
    return ParsedDocument(
        title=clean_title(title, fallback_title),
        text=normalize_text(text),
        source_url=one_line(_string_attribute(extracted, "url")),
        author=one_line(_string_attribute(extracted, "author")),
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
