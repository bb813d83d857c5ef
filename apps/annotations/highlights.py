"""Highlights: cutting a text at annotation boundaries and rendering the reading view's blocks."""

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from django.utils.safestring import SafeString, mark_safe

from apps.documents.reading import Block


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


@dataclass(frozen=True)
class Legend:
    """How highlights are labelled: each annotation's tag slug and annotator name, by id."""

    tag_slugs: dict[int, str]
    annotator_names: dict[int, str]


class _MarkOpenings(dict):
    """The opening <mark> tag of each distinct set of covering annotations, made once."""

    def __init__(self, legend: Legend):
        super().__init__()
        self.legend = legend

    def __missing__(self, annotations: tuple) -> str:
        slugs, names = self.legend.tag_slugs, self.legend.annotator_names
        if len(annotations) == 1:  # most pieces: one annotation, so no joining or de-duplicating
            (only,) = annotations
            slug, who = slugs[only.tag_id], names.get(only.annotator_id) or f"user-{only.annotator_id}"
            opening = (
                f'<mark class="hl tag-{slug}" data-annotation-ids="{only.id}" data-tags="{slug}" '
                f'data-annotators="{who}" data-depth="1">'
            )
        else:
            ids = " ".join(str(a.id) for a in annotations)
            tags = " ".join(dict.fromkeys(slugs[a.tag_id] for a in annotations))
            who = " ".join(dict.fromkeys(names.get(a.annotator_id) or f"user-{a.annotator_id}" for a in annotations))
            opening = (
                f'<mark class="hl tag-{slugs[annotations[-1].tag_id]} outer-{slugs[annotations[0].tag_id]}" '
                f'data-annotation-ids="{ids}" data-tags="{tags}" data-annotators="{who}" '
                f'data-depth="{len(annotations)}">'
            )
        self[annotations] = opening
        return opening


def _block_parts(text, block, pieces, first_piece, openings, swap, parts) -> int:
    """Append one block's HTML to `parts`, from pieces[first_piece:]; returns the index of the next piece."""
    parts.append(f'<p class="block" id="block-{block.start}" data-offset="{block.start}"{swap}>')
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


def render_block(
    text: str, block: Block, pieces: Sequence[Segment], legend: Legend, *, oob: bool = False
) -> SafeString:
    """One block's HTML. Every piece of document text passes through escape_text(); only our markup is added.
    Attribute values are ids (integers), tag slugs (validated slugs) and usernames (letters, digits and @.+-_ only,
    by Django's username validator), so they need no escaping."""
    parts: list[str] = []
    _block_parts(text, block, pieces, 0, _MarkOpenings(legend), ' hx-swap-oob="true"' if oob else "", parts)
    return mark_safe("".join(parts))  # noqa: S308 - document text went through escape_text() only


def render_text(text: str, blocks: Sequence[Block], pieces: Sequence[Segment], legend: Legend) -> SafeString:
    """The whole text as blocks, keeping the whitespace between blocks as text, so that the container's text is
    exactly the document's text. One pass over the pieces: this is the hot path of a long document."""
    parts: list[str] = []
    openings = _MarkOpenings(legend)
    position = index = 0
    for block in blocks:
        parts.append(escape_text(text[position : block.start]))
        index = _block_parts(text, block, pieces, index, openings, "", parts)
        position = block.end
    parts.append(escape_text(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - document text went through escape_text() only
