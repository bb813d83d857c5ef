"""Rendering a project's Markdown guidelines safely: raw HTML is not interpreted, and the output is sanitised."""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render_guidelines(source: str) -> SafeString:
    """Markdown to HTML with raw HTML escaped, then cleaned by nh3 (links get rel=noopener noreferrer)."""
    return mark_safe(nh3.clean(_markdown.render(source or ""), link_rel="noopener noreferrer nofollow"))  # noqa: S308
