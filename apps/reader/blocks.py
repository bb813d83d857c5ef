"""Splitting a document's text into the reading view's blocks (paragraphs)."""

import re
from dataclasses import dataclass

# A paragraph ends at a blank line; the blank lines themselves belong to no block.
PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")


@dataclass(frozen=True)
class Block:
    """A paragraph: text[start:end], with start the code-point offset the reader uses as data-offset."""

    start: int
    end: int


def text_blocks(text: str) -> list[Block]:
    """The text's paragraphs, in order; the text between two blocks is only whitespace."""
    blocks = []
    position = 0
    for match in PARAGRAPH_BREAK.finditer(text):
        if match.start() > position:
            blocks.append(Block(position, match.start()))
        position = match.end()
    if position < len(text):
        blocks.append(Block(position, len(text)))
    return blocks
