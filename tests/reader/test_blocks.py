from hypothesis import given
from hypothesis import strategies as st

from apps.reader.blocks import PARAGRAPH_BREAK, text_blocks


def test_paragraphs_split_at_blank_lines():
    text = "First line\nstill first.\n\nSecond.\n \n\n  Third."
    assert [text[b.start : b.end] for b in text_blocks(text)] == ["First line\nstill first.", "Second.", "Third."]


PIECES = st.sampled_from(["a", "é", "👩🏽‍🚒", "\u0301", "ب", "語", " ", "\n", "\t"])


@given(st.lists(PIECES, max_size=80).map("".join))
def test_blocks_are_ordered_slices_with_only_whitespace_between(text):
    blocks = text_blocks(text)
    position = 0
    for block in blocks:
        assert position <= block.start < block.end
        assert text[position : block.start].strip() == ""
        assert PARAGRAPH_BREAK.search(text[block.start : block.end]) is None
        position = block.end
    assert text[position:].strip() == ""
    kept = "".join(text[b.start : b.end] for b in blocks)
    assert "".join(kept.split()) == "".join(text.split())
