from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from apps.reader.blocks import text_blocks
from apps.reader.highlights import Segment, block_segments, render_block, segments


@dataclass(frozen=True)
class Span:
    id: int
    start: int
    end: int
    tag_id: int = 1
    annotator_id: int = 7


def test_nested_spans_share_the_inner_piece():
    text = "hundreds of Islamic State fighters"
    outer, inner = Span(1, 0, 34, tag_id=3), Span(2, 12, 34, tag_id=1)
    pieces = segments(text, [inner, outer])
    assert [(p.start, p.end, [a.id for a in p.annotations]) for p in pieces] == [(0, 12, [1]), (12, 34, [1, 2])]


@st.composite
def text_and_spans(draw):
    text = draw(
        st.lists(st.sampled_from(["a", " ", "\n", "👩🏽‍🚒", "é", "\u0301", "ب", "語"]), max_size=40).map("".join)
    )
    spans = []
    for index in range(draw(st.integers(0, 8))):
        start = draw(st.integers(0, max(len(text) - 1, 0)))
        end = draw(st.integers(start + 1, len(text) + 1))
        spans.append(Span(index + 1, start, min(end, len(text)) if len(text) else 1))
    return text, spans


@given(text_and_spans())
def test_pieces_concatenate_back_and_list_exactly_their_covering_annotations(case):
    text, spans = case
    pieces = segments(text, spans)
    assert "".join(text[p.start : p.end] for p in pieces) == text
    for piece in pieces:
        assert piece.start < piece.end
        covering = {s.id for s in spans if s.start <= piece.start and piece.end <= s.end and s.start < s.end}
        assert {a.id for a in piece.annotations} == covering
        # No annotation boundary falls inside a piece.
        assert not any(piece.start < b < piece.end for s in spans for b in (s.start, s.end))


@given(text_and_spans())
def test_blocks_render_exactly_their_slice(case):
    text, spans = case
    for block, inside in block_segments(text_blocks(text), segments(text, spans)):
        assert "".join(text[p.start : p.end] for p in inside) == text[block.start : block.end]


def test_rendering_escapes_every_piece_of_text():
    text = '<script>alert("x")</script> & {{ x }}'
    html = render_block(text, text_blocks(text)[0], [Segment(0, 8, (Span(1, 0, 8),)), Segment(8, len(text), ())])
    assert "<script>" not in html
    assert html.startswith(
        '<p class="block" id="b0" data-offset="0"><mark class="t1 u7" data-ids="1">&lt;script&gt;</mark>'
    )
    assert "&amp; {{ x }}" in html


def test_a_nested_piece_names_inner_and_outer_tag_every_annotator_once_and_its_depth():
    text = "hundreds of Islamic State fighters"
    outer, inner, third = Span(1, 0, 34, tag_id=3, annotator_id=7), Span(2, 12, 25, tag_id=5), Span(3, 12, 25, 4, 8)
    html = render_block(text, text_blocks(text)[0], segments(text, [outer, inner, third]))
    assert '<mark class="t3 u7" data-ids="1">hundreds of </mark>' in html
    assert '<mark class="t4 o3 u7 u8 d3" data-ids="1 2 3">Islamic State</mark>' in html
