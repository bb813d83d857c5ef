"""Highlights: cutting a text at annotation boundaries and rendering the reading view's blocks."""

import heapq
from collections.abc import Iterable, Sequence
from typing import NamedTuple, Protocol

from django.utils.safestring import SafeString, mark_safe

from apps.reader.blocks import Block


class Span(Protocol):
    id: int
    start: int
    end: int
    tag_id: int
    annotator_id: int


class Segment(NamedTuple):
    """text[start:end] and the annotations that cover all of it (outermost first)."""

    start: int
    end: int
    annotations: tuple


def segments(text: str, annotations: Iterable[Span]) -> list[Segment]:
    """Cut `text` at every annotation boundary; each piece lists exactly the annotations covering it.

    The pieces concatenate back to the text. Annotations outside the text are clipped to it.
    """
    length = len(text)
    spans = sorted(
        (a for a in annotations if min(a.end, length) > max(a.start, 0)), key=lambda a: (a.start, -a.end, a.id)
    )
    cuts = sorted({0, length}.union(*((max(a.start, 0), min(a.end, length)) for a in spans)))
    pieces = []
    active: dict[int, Span] = {}  # insertion order is (start, -end, id): outermost first
    endings: list[tuple[int, int]] = []  # a heap of (end, id) of the active spans
    next_span = 0
    for left, right in zip(cuts, cuts[1:], strict=False):
        while endings and endings[0][0] <= left:
            del active[heapq.heappop(endings)[1]]
        while next_span < len(spans) and max(spans[next_span].start, 0) <= left:
            span = spans[next_span]
            active[span.id] = span
            heapq.heappush(endings, (span.end, span.id))
            next_span += 1
        pieces.append(Segment(left, right, tuple(active.values())))
    return pieces


def block_segments(blocks: Sequence[Block], pieces: Sequence[Segment]) -> list[tuple[Block, list[Segment]]]:
    """Distribute pieces over blocks, cutting a piece that crosses a block edge; text between blocks is dropped."""
    result = []
    index = 0
    for block in blocks:
        inside = []
        while index < len(pieces) and pieces[index].end <= block.start:
            index += 1
        scan = index
        while scan < len(pieces) and pieces[scan].start < block.end:
            piece = pieces[scan]
            inside.append(Segment(max(piece.start, block.start), min(piece.end, block.end), piece.annotations))
            scan += 1
        result.append((block, inside))
    return result


def escape_text(text: str) -> str:
    """Escape document text for an HTML text node (quotes need no escaping there): str.replace is several times
    faster than django.utils.html.escape on the tens of thousands of pieces of a long document."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _mark_opening(annotations: tuple) -> str:
    """The opening <mark> of a piece covered by `annotations` (outermost first), in the compact form the page's
    legend decodes: t<tag id> for the innermost tag (its colour), o<tag id> for the outermost one (the underline of a
    nested piece), u<user id> per annotator (the page's style underlines others' work), d2/d3 for the depth
    (d3: three or more), and the annotation ids for the details panel. Only integers enter the markup, so the same
    HTML serves every user and survives tag renames."""
    if len(annotations) == 1:  # most pieces: one annotation, so no joining or de-duplicating
        (only,) = annotations
        return f'<mark class="t{only.tag_id} u{only.annotator_id}" data-ids="{only.id}">'
    annotators = " ".join(f"u{who}" for who in dict.fromkeys(a.annotator_id for a in annotations))
    ids = " ".join(str(a.id) for a in annotations)
    depth = "d2" if len(annotations) == 2 else "d3"
    return f'<mark class="t{annotations[-1].tag_id} o{annotations[0].tag_id} {annotators} {depth}" data-ids="{ids}">'


class _MarkOpenings(dict):
    """The opening <mark> tag of each distinct set of covering annotations, made once."""

    def __missing__(self, annotations: tuple) -> str:
        opening = self[annotations] = _mark_opening(annotations)
        return opening


def _block_parts(text, block, pieces, first_piece, openings, swap, parts) -> int:
    """Append one block's HTML to `parts`, from pieces[first_piece:]; returns the index of the next piece."""
    parts.append(f'<p class="block" id="b{block.start}" data-offset="{block.start}"{swap}>')
    index = first_piece
    while index < len(pieces) and pieces[index].end <= block.start:
        index += 1
    while index < len(pieces) and pieces[index].start < block.end:
        start, end, annotations = pieces[index]
        chunk = escape_text(text[max(start, block.start) : min(end, block.end)])
        parts.append(f"{openings[annotations]}{chunk}</mark>" if annotations else chunk)
        if end > block.end:
            break  # the piece goes on in the next block
        index += 1
    parts.append("</p>")
    return index


def render_block(text: str, block: Block, pieces: Sequence[Segment], *, oob: bool = False) -> SafeString:
    """One block's HTML. Every piece of document text passes through escape_text(); only our markup is added, and
    its attribute values are integers."""
    parts: list[str] = []
    _block_parts(text, block, pieces, 0, _MarkOpenings(), ' hx-swap-oob="true"' if oob else "", parts)
    return mark_safe("".join(parts))  # noqa: S308 - document text went through escape_text() only


# Blocks are drawn in chunks of about this many code points, each with `content-visibility: auto`: the browser then
# skips the style, layout and paint of every chunk off screen, and watches ~100 chunks of a 1 MB text for visibility
# instead of thousands of paragraphs (each frame costs time in proportion to the number watched).
CHUNK_CODE_POINTS = 10_000
# Estimated height of a chunk before it is first drawn (the browser remembers the real one after): one line of the
# reading column per LINE_CODE_POINTS, LINE_EM high, plus a paragraph's bottom margin (see lector.css). It is given
# as a class, h<N> for N x HEIGHT_STEP_EM, whose rules are in lector.css: the Content-Security-Policy forbids style
# attributes.
LINE_CODE_POINTS, LINE_EM, PARAGRAPH_MARGIN_EM = 75, 1.7, 1.0
HEIGHT_STEP_EM, HEIGHT_STEPS = 10, 60


def _chunks(blocks: Sequence[Block]) -> list[list[Block]]:
    chunks: list[list[Block]] = []
    size = CHUNK_CODE_POINTS
    for block in blocks:
        if size >= CHUNK_CODE_POINTS:
            chunks.append([])
            size = 0
        chunks[-1].append(block)
        size += block.end - block.start
    return chunks


def _estimated_height_class(chunk: Sequence[Block]) -> str:
    lines = sum(-(-(block.end - block.start) // LINE_CODE_POINTS) for block in chunk)
    height_em = lines * LINE_EM + len(chunk) * PARAGRAPH_MARGIN_EM
    return f"h{min(HEIGHT_STEPS, max(1, round(height_em / HEIGHT_STEP_EM)))}"


def render_text(text: str, blocks: Sequence[Block], pieces: Sequence[Segment]) -> SafeString:
    """The whole text as blocks in chunks, keeping the whitespace between blocks as text, so that the container's
    text is exactly the document's text. One pass over the pieces: this is the hot path of a long document."""
    parts: list[str] = []
    openings = _MarkOpenings()
    position = index = 0
    for chunk in _chunks(blocks):
        parts.append(f'<div class="chunk {_estimated_height_class(chunk)}">')
        for block in chunk:
            parts.append(escape_text(text[position : block.start]))
            index = _block_parts(text, block, pieces, index, openings, "", parts)
            position = block.end
        parts.append("</div>")
    parts.append(escape_text(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - document text went through escape_text() only
