"""The physical floor of the reading view: the bench's document and spans as one static HTML page, paragraphs as
<p data-offset> split at blank lines, the text cut at every span boundary and each covered piece a <mark> naming
its annotations and tags. `plain` as is; `cv` adds content-visibility: auto to the paragraphs, which lets Chromium
skip laying out and painting what is off screen. Nothing can paint this document faster than these pages.

Not a benchmark itself: bench/reader.py serves these pages from the same gunicorn as Lector and times them.
"""

import html
from collections import defaultdict

STYLE = (
    "p{white-space:pre-wrap;margin:0 0 1em} mark{background:rgba(255,200,0,.35)}"
    " mark[data-tags~=actor]{background:rgba(255,0,0,.2)}"
)
CONTENT_VISIBILITY = " p{content-visibility:auto;contain-intrinsic-size:auto 120px}"


def floor_page(text: str, spans: list[tuple[int, int, str]], *, content_visibility: bool) -> str:
    starting, ending = defaultdict(list), defaultdict(list)
    for index, (start, end, _tag) in enumerate(spans):
        starting[start].append(index)
        ending[end].append(index)
    paragraphs, offset = [], 0
    for paragraph in text.split("\n\n"):
        paragraphs.append((offset, offset + len(paragraph)))
        offset += len(paragraph) + 2
    cuts = sorted({0, len(text)} | starting.keys() | ending.keys() | {edge for p in paragraphs for edge in p})

    css = STYLE + (CONTENT_VISIBILITY if content_visibility else "")
    out = [
        f"<!doctype html><html><head><meta charset=utf-8><title>floor</title><style>{css}</style></head>"
        "<body style='max-width:760px;margin:auto;font:17px/1.6 Georgia'>"
    ]
    active: dict[int, str] = {}  # the spans covering the current piece, in the order they started
    paragraph = 0
    for a, b in zip(cuts, cuts[1:], strict=False):
        for index in ending.get(a, ()):
            active.pop(index, None)
        for index in starting.get(a, ()):
            active[index] = spans[index][2]
        while paragraph < len(paragraphs) and paragraphs[paragraph][1] <= a and paragraphs[paragraph][0] < a:
            paragraph += 1
        if paragraph == len(paragraphs):
            break
        para_start, para_end = paragraphs[paragraph]
        if a == para_start:
            out.append(f'<p data-offset="{para_start}">' + ("</p>" if para_start == para_end else ""))
        if para_start <= a and b <= para_end:
            piece = html.escape(text[a:b], quote=False)
            if active:
                ids = " ".join(map(str, active))
                tags = " ".join(active.values())
                out.append(f'<mark data-annotation-ids="{ids}" data-tags="{tags}">{piece}</mark>')
            else:
                out.append(piece)
        if b == para_end:
            out.append("</p>")
    out.append("</body></html>")
    return "".join(out)
