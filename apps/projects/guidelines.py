"""Rendering a project's Markdown guidelines safely: raw HTML is not interpreted, and the output is sanitised."""

from urllib.parse import urlsplit

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def _is_remote(url: str) -> bool:
    parts = urlsplit(url.strip())
    return bool(parts.scheme or parts.netloc)


def _render_image(self, tokens, idx, options, env):
    """A remote image becomes a link to it: loading it would tell its host about every reader (a tracking pixel)."""
    token = tokens[idx]
    src = token.attrGet("src") or ""
    if not _is_remote(src):
        return self.image(tokens, idx, options, env)
    alt = self.renderInlineAsText(token.children or [], options, env) or src
    return f'<a href="{escapeHtml(src)}">{escapeHtml(alt)}</a>'


_markdown.add_render_rule("image", _render_image)


def _drop_remote_image_sources(tag: str, attribute: str, value: str) -> str | None:
    return None if tag == "img" and attribute == "src" and _is_remote(value) else value


def render_guidelines(source: str) -> SafeString:
    """Markdown to HTML with raw HTML escaped, then cleaned by nh3 (links get rel=noopener noreferrer); no image
    is loaded from another host."""
    html = nh3.clean(
        _markdown.render(source or ""),
        link_rel="noopener noreferrer nofollow",
        attribute_filter=_drop_remote_image_sources,
    )
    return mark_safe(html)  # noqa: S308
