"""Highlights: cutting a text at annotation boundaries and rendering the reading view's blocks."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from apps.documents.reading import Block


class Span(Protocol):
    id: int
    start: int
    end: int


@dataclass(frozen=True)
class Segment:
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
    boundaries = {0, length}
    for a in spans:
        boundaries.add(max(a.start, 0))
        boundaries.add(min(a.end, length))
    cuts = sorted(boundaries)
    pieces = []
    active: dict[int, Span] = {}
    next_span = 0
    for left, right in zip(cuts, cuts[1:], strict=False):
        while next_span < len(spans) and max(spans[next_span].start, 0) <= left:
            active[spans[next_span].id] = spans[next_span]
            next_span += 1
        for key in [key for key, a in active.items() if a.end <= left]:
            del active[key]
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


def render_block(text: str, block: Block, pieces: Sequence[Segment], tag_slug_of, *, oob: bool = False) -> SafeString:
    """One block's HTML. Every piece of document text passes through escape(); only our markup is added."""
    swap = ' hx-swap-oob="true"' if oob else ""
    parts = [f'<p class="block" id="block-{block.start}" data-offset="{block.start}"{swap}>']
    for piece in pieces:
        chunk = escape(text[piece.start : piece.end])
        if not piece.annotations:
            parts.append(chunk)
            continue
        ids = " ".join(str(a.id) for a in piece.annotations)
        tags = " ".join(dict.fromkeys(tag_slug_of(a) for a in piece.annotations))
        innermost = tag_slug_of(piece.annotations[-1])
        parts.append(
            f'<mark class="hl tag-{innermost}" data-annotation-ids="{ids}" data-tags="{tags}" '
            f'data-depth="{len(piece.annotations)}">{chunk}</mark>'
        )
    parts.append("</p>")
    return mark_safe("".join(parts))  # noqa: S308 - every document piece above went through escape()
