from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from apps.annotations.highlights import Legend, Segment, block_segments, render_block, segments
from apps.documents.reading import text_blocks


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
    legend = Legend(tag_slugs={1: "actor"}, annotator_names={7: "ana"})
    html = render_block(
        text, text_blocks(text)[0], [Segment(0, 8, (Span(1, 0, 8),)), Segment(8, len(text), ())], legend
    )
    assert "<script>" not in html
    assert html.startswith(
        '<p class="block" id="block-0" data-offset="0"><mark class="hl tag-actor" '
        'data-annotation-ids="1" data-tags="actor" data-annotators="ana" data-depth="1">&lt;script&gt;</mark>'
    )
    assert "&amp; {{ x }}" in html
