"""CoNLL (IOB2): for each document with matching annotations, a `# document_id = N` line, then one `TOKEN\tTAG` line
per token, a blank line at each blank line of the text (the reader's paragraph breaks) and after the document.

Tokens: the regex `\\w+|[^\\w\\s]` over the text, widened so that a token never splits a user-perceived character:
combining marks (and a zero-width joiner or non-joiner inside a word) stay in their word, an emoji keeps its
modifiers and zero-width-joined sequence, a flag's two regional indicators stay together. A run of CJK characters is
one token (there is no word segmentation).

Tags: `B-<tag slug>` on the first token of a span, `I-<tag slug>` on the following ones, `O` outside any span.
A token covered even partly by a span counts as covered. Where spans overlap, a token takes the tag of the longest
span covering it (ties: the earlier start, then the lower annotation id); a token whose winning span differs from the
previous token's, or that starts a paragraph, is `B-`."""

import heapq
import re
import unicodedata
from collections.abc import Iterator
from functools import cache

from apps.exports.selectors import documents_with_annotations
from apps.exports.streaming import joined
from apps.reader.blocks import PARAGRAPH_BREAK

JOINERS = "\u200c\u200d"
REGIONAL_INDICATOR = "\U0001f1e6-\U0001f1ff"


def _class_ranges(code_points: list[int]) -> str:
    """The code points as the inside of a regex character class, in ranges."""
    ranges = []
    for point in code_points:
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    return "".join(re.escape(chr(low)) + ("-" + re.escape(chr(high)) if high > low else "") for low, high in ranges)


@cache
def token_pattern() -> re.Pattern:
    """The tokenizer (built on first use: the class of combining marks is read from the Unicode database)."""
    planes = (range(0x20000), range(0xE0000, 0xE0200))  # marks live in planes 0, 1 and 14 only
    marks = [point for plane in planes for point in plane if unicodedata.category(chr(point))[0] == "M"]
    # Marks, emoji skin-tone modifiers and emoji tag characters extend the character before them.
    extend = _class_ranges(marks) + "\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f"
    word = rf"\w(?:[\w{extend}]|[{JOINERS}](?=\w))*"
    flag = rf"[{REGIONAL_INDICATOR}]{{2}}"
    symbol = rf"[^\w\s][{extend}]*(?:\u200d[^\w\s][{extend}]*)*"
    return re.compile(f"{word}|{flag}|{symbol}")


def iob_lines(text: str, rows: list[dict]) -> Iterator[str]:
    """The `TOKEN\\tTAG` lines of one text (and blank lines at its paragraph breaks), for `rows` sorted by start."""
    active = []  # heap of the spans started before the current token, best first: (-length, start, id, end, tag)
    pending = 0
    previous_end = previous_winner = None
    for match in token_pattern().finditer(text):
        start, end = match.span()
        if previous_end is not None and PARAGRAPH_BREAK.search(text, previous_end, start):
            yield "\n"
            previous_winner = None
        previous_end = end
        while pending < len(rows) and rows[pending]["start"] < end:
            row = rows[pending]
            heapq.heappush(active, (row["start"] - row["end"], row["start"], row["id"], row["end"], row["tag_slug"]))
            pending += 1
        # A span ending before this token ends before every later one too; those left below the top never win.
        while active and active[0][3] <= start:
            heapq.heappop(active)
        if not active:
            previous_winner = None
            yield f"{match.group()}\tO\n"
            continue
        winner = active[0]
        prefix = "I" if winner[2] == previous_winner else "B"
        previous_winner = winner[2]
        yield f"{match.group()}\t{prefix}-{winner[4]}\n"


def render(annotations, *, document_url=None) -> Iterator[str]:
    """Each document's comment line, token lines and closing blank line, in chunks."""
    for document_id, text, rows in documents_with_annotations(annotations):
        yield f"# document_id = {document_id}\n"
        yield from joined(iob_lines(text, rows))
        yield "\n"
