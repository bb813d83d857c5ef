"""Finding suggestions in a text: the project's vocabulary (what it has tagged, its actors, its places) in one
Aho-Corasick automaton, kept per project in this process and rebuilt when the vocabulary's version key changes, plus
the quantity grammar's phrases. Pure functions of their inputs, apart from the cache."""

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from threading import Lock

import ahocorasick

# Ties between sources proposing the same span with the same tag go to the first: what the project itself tagged
# says more than a register or a gazetteer.
SOURCE_ORDER = ("memory", "entity", "gazetteer", "quantity")
SCORE_ENTITY = 0.9
SCORE_PROJECT_PLACE = 0.9
SCORE_GEONAMES_PLACE = 0.6
SCORE_QUANTITY = 0.8
MIN_LENGTH = 2  # a single letter is never a name worth proposing


@dataclass(frozen=True)
class Term:
    """One string the automaton looks for, with the tag and source it proposes."""

    text: str
    tag_id: int
    source: str
    score: float


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    tag_id: int
    source: str
    score: float


@dataclass
class Vocabulary:
    """The automaton of a project's terms, built once for a version key."""

    version: tuple
    automaton: ahocorasick.Automaton | None
    term_count: int
    source: object  # what the automaton was built from (the caller's own record: tags, rejections)


def spellings(text: str) -> set[str]:
    """The text as written and, for a text starting in lower case, capitalised as at the start of a sentence: the
    match is case-aware ("US" is not "us"), but a sentence may begin with a tagged word."""
    variants = {text}
    if text[:1].islower():
        variants.add(text[:1].upper() + text[1:])
    return variants


# Word edges are marked in both the text and the keys, so the automaton only ever matches whole words: on a long
# text a term that is also the inside of other words ("IS" in "ISIS", a tagged fragment) would otherwise be found,
# and thrown away, thousands of times.
WORD_START, WORD_END = "\x02", "\x03"
_STARTS = re.compile(r"(?<!\w)(?=\w)")
_ENDS = re.compile(r"(?<=\w)(?!\w)")
_MARKS = re.compile(f"[{WORD_START}{WORD_END}]")


def with_word_edges(text: str) -> str:
    return _ENDS.sub(WORD_END, _STARTS.sub(WORD_START, text.replace(WORD_START, " ").replace(WORD_END, " ")))


@dataclass(frozen=True)
class MarkedText:
    """A text with its word edges marked, and where the marks are (to map offsets back)."""

    marked: str
    marks: list[int]

    @classmethod
    def of(cls, text: str) -> "MarkedText":
        marked = with_word_edges(text)
        return cls(marked, [m.start() for m in _MARKS.finditer(marked)])

    def original(self, index: int) -> int:
        """The offset in the text of the character at `index` in the marked text (never a mark)."""
        return index - bisect_right(self.marks, index)


def build_automaton(terms: Iterable[Term]) -> tuple[ahocorasick.Automaton | None, int]:
    """An automaton whose values are (length, [Term, ...]) for each spelling of the terms, keyed with their word
    edges marked."""
    by_key: dict[str, list[Term]] = {}
    for term in terms:
        text = term.text.strip()
        if len(text) < MIN_LENGTH:
            continue
        for key in spellings(text):
            by_key.setdefault(key, []).append(term)
    if not by_key:
        return None, 0
    automaton = ahocorasick.Automaton()
    for key, found in by_key.items():
        marked_key = with_word_edges(key)
        automaton.add_word(marked_key, (len(marked_key), tuple(found)))
    automaton.make_automaton()
    return automaton, len(by_key)


def _is_word_boundary(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_")


def windows(marked: MarkedText, size: int):
    """(start, end) of pieces of the marked text of about `size` characters, each ending at a line break (no
    suggestion crosses one), in reading order."""
    start, length = 0, len(marked.marked)
    while start < length:
        end = marked.marked.find("\n", start + size)
        end = length if end < 0 else end
        yield start, end
        start = end


def automaton_candidates(
    automaton: ahocorasick.Automaton | None,
    text: str,
    marked: MarkedText | None = None,
    window: tuple[int, int] | None = None,
) -> list[Candidate]:
    """Every whole-word occurrence of the automaton's keys in the text (code-point offsets, end exclusive);
    `marked` is MarkedText.of(text), when the caller keeps it; `window`, a piece of it from windows()."""
    if automaton is None or not text:
        return []
    marked = marked or MarkedText.of(text)
    found = []
    for last, (length, terms) in automaton.iter(marked.marked, *(window or ())):
        # The key begins and ends with marks (for a key made of words): the span is what lies between them.
        first = last - length + 1
        while marked.marked[first] in (WORD_START, WORD_END):
            first += 1
        end_at = last
        while marked.marked[end_at] in (WORD_START, WORD_END):
            end_at -= 1
        start, end = marked.original(first), marked.original(end_at) + 1
        if not _is_word_boundary(text, start, end):
            continue
        found.extend(Candidate(start, end, term.tag_id, term.source, term.score) for term in terms)
    return found


def resolve(candidates: Iterable[Candidate]) -> list[Candidate]:
    """One candidate per span and tag (the best score, then the first source); among overlapping spans of one tag,
    the leftmost and then longest. In reading order."""
    best: dict[tuple[int, int, int], Candidate] = {}
    for candidate in candidates:
        key = (candidate.start, candidate.end, candidate.tag_id)
        known = best.get(key)
        if known is None or (-candidate.score, SOURCE_ORDER.index(candidate.source)) < (
            -known.score,
            SOURCE_ORDER.index(known.source),
        ):
            best[key] = candidate
    kept = []
    reached: dict[int, int] = {}  # tag id -> end of the last kept span
    for candidate in sorted(best.values(), key=lambda c: (c.start, c.start - c.end, c.tag_id)):
        if candidate.start >= reached.get(candidate.tag_id, 0):
            kept.append(candidate)
            reached[candidate.tag_id] = candidate.end
    return kept


class Coverage:
    """A document's annotated spans per tag, merged, to find the candidates that overlap one of their own tag."""

    def __init__(self, annotated: Iterable[tuple[int, int, int]]):
        by_tag: dict[int, list[tuple[int, int]]] = {}
        for tag_id, start, end in annotated:
            by_tag.setdefault(tag_id, []).append((start, end))
        self.merged: dict[int, tuple[list[int], list[int]]] = {}
        for tag_id, spans in by_tag.items():
            starts, ends = [], []
            for start, end in sorted(spans):
                if ends and start <= ends[-1]:
                    ends[-1] = max(ends[-1], end)
                else:
                    starts.append(start)
                    ends.append(end)
            self.merged[tag_id] = (starts, ends)

    def free(self, candidates: list[Candidate]) -> list[Candidate]:
        """The candidates that overlap no annotation of their own tag."""
        kept = []
        for candidate in candidates:
            spans = self.merged.get(candidate.tag_id)
            if spans:
                index = bisect_right(spans[0], candidate.end - 1) - 1
                if index >= 0 and spans[1][index] > candidate.start:
                    continue
            kept.append(candidate)
        return kept


def covered(candidates: list[Candidate], annotated: Iterable[tuple[int, int, int]]) -> list[Candidate]:
    """The candidates that overlap no annotation of their own tag (`annotated`: (tag id, start, end))."""
    return Coverage(annotated).free(candidates)


_cache: dict[int, Vocabulary] = {}
_cache_lock = Lock()


def vocabulary_for(project_id: int, version: tuple, load) -> Vocabulary:
    """The project's automaton for this version key, built from `load()` (an object with `terms`) when the cached
    one is older."""
    known = _cache.get(project_id)
    if known is not None and known.version == version:
        return known
    with _cache_lock:
        known = _cache.get(project_id)
        if known is not None and known.version == version:
            return known
        source = load()
        automaton, count = build_automaton(source.terms)
        vocabulary = Vocabulary(version=version, automaton=automaton, term_count=count, source=source)
        _cache[project_id] = vocabulary
        return vocabulary
