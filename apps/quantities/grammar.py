"""Reading quantity phrases of conflict reports ("more than 20,000 civilians", "hundreds of fighters", "between 20
and 30 rockets") into numbers. Pure: no Django, no database. The grammar is a few tables (qualifiers, vague
magnitudes, units, multipliers) compiled into regular expressions; number words go through text2num."""

import math
import re
from dataclasses import dataclass

from text_to_num import text2num

QUALIFIERS = ("exactly", "about", "at_least", "more_than", "at_most", "less_than", "range", "vague")

# Phrase before a number -> qualifier. Longest phrases are tried first.
QUALIFIER_PHRASES = {
    "exactly": "exactly",
    "precisely": "exactly",
    "a total of": "exactly",
    "about": "about",
    "around": "about",
    "some": "about",
    "nearly": "about",
    "almost": "about",
    "approximately": "about",
    "approx.": "about",
    "roughly": "about",
    "an estimated": "about",
    "estimated": "about",
    "close to": "about",
    "at least": "at_least",
    "no fewer than": "at_least",
    "no less than": "at_least",
    "not less than": "at_least",
    "a minimum of": "at_least",
    "more than": "more_than",
    "over": "more_than",
    "above": "more_than",
    "upwards of": "more_than",
    "in excess of": "more_than",
    "well over": "more_than",
    "no more than": "at_most",
    "not more than": "at_most",
    "up to": "at_most",
    "as many as": "at_most",
    "at most": "at_most",
    "a maximum of": "at_most",
    "fewer than": "less_than",
    "less than": "less_than",
    "under": "less_than",
    "below": "less_than",
}


@dataclass(frozen=True)
class Vague:
    """What a vague magnitude allows: `low`..`high` (high None: no bound), and the figure an event dataset records."""

    low: int
    conservative: int
    high: int | None


# ACLED's codebook: when a report gives no figure, record the most conservative one the words allow ("dozens" 12,
# "hundreds" 100; "several", "many" 10). A project may override any row (apps.quantities.models.VagueMagnitude).
VAGUE_DEFAULTS: dict[str, Vague] = {
    "a couple of": Vague(2, 2, 2),
    "a few": Vague(2, 3, 9),
    "a handful of": Vague(2, 3, 9),
    "several": Vague(3, 10, 19),
    "many": Vague(10, 10, None),
    "numerous": Vague(10, 10, None),
    "tens": Vague(10, 10, 99),
    "dozens": Vague(12, 12, 99),
    "scores": Vague(40, 40, 99),
    "hundreds": Vague(100, 100, 999),
    "thousands": Vague(1000, 1000, 9999),
    "tens of thousands": Vague(10000, 10000, 99999),
    "hundreds of thousands": Vague(100000, 100000, 999999),
    "millions": Vague(1000000, 1000000, 9999999),
}

# Unit words -> the unit recorded; a count has unit None.
UNITS = {
    "km2": "km2",
    "km²": "km2",
    "sq km": "km2",
    "square kilometres": "km2",
    "square kilometers": "km2",
    "square km": "km2",
    "km": "km",
    "kms": "km",
    "kilometres": "km",
    "kilometers": "km",
    "kilometre": "km",
    "kilometer": "km",
    "miles": "mi",
    "mile": "mi",
    "metres": "m",
    "meters": "m",
    "m": "m",
    "hectares": "ha",
    "percent": "percent",
    "per cent": "percent",
    "%": "percent",
    "tonnes": "t",
    "tons": "t",
    "dollars": "usd",
    "usd": "usd",
}

MULTIPLIERS = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "k": 1_000}

NUMBER_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "thousand",
    "million",
    "billion",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that end a counted noun phrase: verbs, prepositions, months and the like.
STOP_WORDS = _words(
    """a an the and or but of in on at from to by with for into near during after before since while as
    than were was are is be been being have has had who which that this these those it its their his her they we he
    she killed wounded injured died dead displaced fled arrested captured detained surrendered reported said according
    january february march april may june july august september october november december monday tuesday wednesday
    thursday friday saturday sunday ago later earlier more less each per including among"""
)

# Nouns counted that do not look plural (a plural is any word ending in "s").
COUNTED_NOUNS = _words(
    """people men women children police personnel staff militia person man woman child fighter
    civilian soldier militant rocket airstrike strike shell mortar drone vehicle tank family member village house home
    building casualty fatality death body troop officer"""
)

_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_WORD_NUMBER = r"(?:a\s+)?(?:{w})(?:(?:(?<=hundred)\s+and\s+|[\s-]+)(?:{w}))*".format(w="|".join(NUMBER_WORDS))
_MULTIPLIER = r"(?:\s*(?:thousand|million|billion)\b|(?<=\d)k\b)"
NUMERAL = rf"(?:(?:{_DIGITS}){_MULTIPLIER}?|\b{_WORD_NUMBER}\b)"


def _alternatives(phrases) -> str:
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))


_QUALIFIER = rf"(?:\b(?P<qualifier>{_alternatives(QUALIFIER_PHRASES)})\s+)"
_RANGE_JOIN = r"(?:\s*(?:-|–|—)\s*|\s+(?:to|and|or)\s+)"
_UNIT = rf"(?:\s*(?P<unit>{_alternatives(UNITS)})(?![\w]))"
_CORE = (
    rf"(?:{_QUALIFIER}?(?:(?P<between>between|from)\s+)?(?P<first>{NUMERAL})"
    rf"(?:{_RANGE_JOIN}(?P<second>{NUMERAL}))?{_UNIT}?)"
)


def _vague_pattern(vague_table) -> str:
    return rf"\b(?P<vague>{_alternatives(vague_table)})(?:\s+of)?\b"


def _compile(vague_table):
    core = rf"(?:{_CORE}|{_vague_pattern(vague_table)})"
    return re.compile(core, re.IGNORECASE)


_DEFAULT_PATTERN = _compile(VAGUE_DEFAULTS)
_WORD = re.compile(r"[\w'’.-]+|[^\s\w]", re.UNICODE)


def _number(numeral: str) -> float | None:
    """The value of one numeral ("3,000", "1.6 million", "twenty-one", "a hundred"), or None."""
    text = re.sub(r"\s+", " ", numeral.strip().lower())
    multiplier = 1
    for word, factor in MULTIPLIERS.items():
        if re.search(rf"(?<=[\d\s]){word}$", text) and re.match(r"\d", text):
            multiplier = factor
            text = text[: -len(word)].strip()
            break
    if re.fullmatch(_DIGITS, text):
        value = float(text.replace(",", "")) * multiplier
    else:
        words = re.sub(r"^a\s+", "one ", text).replace("-", " ")
        try:
            value = float(text2num(words, "en"))
        except ValueError:
            return None
    return value


def _plain(value: float | None) -> int | float | None:
    if value is None or not math.isfinite(value):
        return None
    return int(value) if value == int(value) else value


def _is_counted_noun(word: str) -> bool:
    return word in COUNTED_NOUNS or (len(word) > 3 and word.endswith("s") and not word.endswith("ss"))


def _counted(tail: str) -> tuple[str | None, int]:
    """The noun a quantity counts from the words after it ("IS fighters were killed" -> "fighters"), and how many
    code points of `tail` the phrase takes up to that noun. Modifiers ("IS", "Islamic State", "mortar") may come
    between."""
    counted, end = None, 0
    for position, match in enumerate(re.finditer(r"\S+", tail)):
        if position >= 5:
            break
        word = match.group()
        if counted is None and re.fullmatch(r"(?:[A-Z]\.){2,}", word):
            continue
        stripped = word.rstrip(".,;:!?)\"'“”’")
        bare = stripped.lstrip("(\"'“‘").lower()
        if position == 0 and bare == "of":
            continue
        acronym = len(bare) > 1 and stripped.isupper()
        if not re.fullmatch(r"[^\W\d_][\w'’-]*", bare) or (bare in STOP_WORDS and not acronym):
            break
        if not acronym and _is_counted_noun(bare):
            counted, end = bare, match.start() + len(stripped)
        elif counted is not None:
            break
        if stripped != word:
            break
    return counted, end


def _empty(qualifier=None) -> dict:
    return {
        "kind": "quantity",
        "low": None,
        "best": None,
        "high": None,
        "qualifier": qualifier,
        "unit": None,
        "counted": None,
        "conservative": None,
    }


def _reading(match: re.Match, vague_table: dict[str, Vague]) -> dict | None:
    reading = _empty()
    if match.group("vague"):
        row = vague_table[_vague_key(match.group("vague"), vague_table)]
        reading.update(
            qualifier="vague", low=row.low, best=row.conservative, high=row.high, conservative=row.conservative
        )
        return reading
    first = _number(match.group("first"))
    if first is None:
        return None
    second = _number(match.group("second")) if match.group("second") else None
    if match.group("unit"):
        reading["unit"] = UNITS[re.sub(r"\s+", " ", match.group("unit").lower())]
    if second is not None:
        low, high = min(first, second), max(first, second)
        best = (low + high) / 2
        if all(float(v).is_integer() for v in (low, high)):
            best = math.floor(best)
        reading.update(qualifier="range", low=low, best=best, high=high, conservative=low)
    else:
        qualifier = QUALIFIER_PHRASES.get(re.sub(r"\s+", " ", (match.group("qualifier") or "").lower()), "exactly")
        bounds = {
            "exactly": (first, first),
            "about": (first, first),
            "at_least": (first, None),
            "more_than": (first, None),
            "at_most": (None, first),
            "less_than": (None, first),
        }[qualifier]
        reading.update(qualifier=qualifier, low=bounds[0], best=first, high=bounds[1], conservative=first)
    for key in ("low", "best", "high", "conservative"):
        reading[key] = _plain(reading[key])
    return reading


def _vague_key(words: str, vague_table) -> str:
    normal = re.sub(r"\s+", " ", words.lower())
    normal = normal[:-3] if normal.endswith(" of") and normal not in vague_table else normal
    return normal


def vague_table_merged(overrides: dict[str, Vague] | None) -> dict[str, Vague]:
    """The default vague magnitudes with a project's rows put over them."""
    return {**VAGUE_DEFAULTS, **{k.lower(): v for k, v in (overrides or {}).items()}}


_PATTERNS: dict[tuple, re.Pattern] = {}


def _pattern(vague_table: dict[str, Vague] | None) -> tuple[re.Pattern, dict[str, Vague]]:
    if not vague_table:
        return _DEFAULT_PATTERN, VAGUE_DEFAULTS
    table = vague_table_merged(vague_table)
    key = tuple(sorted(table))
    if key not in _PATTERNS:
        _PATTERNS[key] = _compile(table)
    return _PATTERNS[key], table


def read_quantity(text: str, vague_table: dict[str, Vague] | None = None) -> dict:
    """The reading of a quantity phrase: low, best, high, qualifier, unit, counted, conservative (all None when the
    text holds no quantity). `vague_table` overrides rows of VAGUE_DEFAULTS."""
    pattern, table = _pattern(vague_table)
    if not isinstance(text, str):
        return _empty()
    for match in pattern.finditer(text):
        reading = _reading(match, table)
        if reading is None:
            continue
        reading["counted"], _ = _counted(text[match.end() :])
        return reading
    return _empty()


def find_quantities(text: str) -> list[tuple[int, int]]:
    """Code-point spans (start, end exclusive) of the quantity phrases in running text, each with the noun it
    counts when one follows ("38 IS fighters", "more than 20,000 civilians", "hundreds of fighters"). A bare
    number with neither a counted noun, a unit nor a qualifier (a year, a date) is left out, and so is a vague word
    counting nothing ("many", "several")."""
    spans = []
    for match in _DEFAULT_PATTERN.finditer(text):
        reading = _reading(match, VAGUE_DEFAULTS)
        if reading is None:
            continue
        counted, length = _counted(text[match.end() :])
        if counted is None and reading["unit"] is None and reading["qualifier"] in ("exactly", "vague"):
            continue
        end = match.end() + length if counted else match.start() + len(re.sub(r"\s+of$", "", match.group()))
        spans.append((match.start(), end))
    return spans
