"""Plain text (.txt) and Markdown (.md): the text as written, titled by the first heading or the file name."""

import re

from apps.documents.importers.base import ParsedDocument, clean_title, file_stem, normalize_text, require_text

_MARKDOWN_H1 = re.compile(r"^ {0,3}#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_MARKDOWN_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def parse_txt(filename: str, content: str) -> list[ParsedDocument]:
    text = require_text(filename, normalize_text(content))
    return [ParsedDocument(title=clean_title(file_stem(filename), filename), text=text)]


def parse_markdown(filename: str, content: str) -> list[ParsedDocument]:
    text = require_text(filename, normalize_text(content))
    return [ParsedDocument(title=clean_title(_markdown_title(text), file_stem(filename), filename), text=text)]


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
