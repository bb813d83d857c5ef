"""The quantity grammar on phrases from conflict reports (ACLED, UN OCHA, SOHR, Airwars, Reuters wording), and its
properties on any text."""

import pytest
from hypothesis import given, seed, settings
from hypothesis import strategies as st

from apps.quantities.grammar import VAGUE_DEFAULTS, Vague, find_quantities, read_quantity

# phrase -> (low, best, high, qualifier, unit, counted, conservative)
PHRASES = {
    "38 IS fighters": (38, 38, 38, "exactly", None, "fighters", 38),
    "more than 20,000 civilians": (20000, 20000, None, "more_than", None, "civilians", 20000),
    "hundreds of fighters": (100, 100, 999, "vague", None, "fighters", 100),
    "hundreds of Islamic State fighters": (100, 100, 999, "vague", None, "fighters", 100),
    "dozens of civilians": (12, 12, 99, "vague", None, "civilians", 12),
    "dozens of airstrikes": (12, 12, 99, "vague", None, "airstrikes", 12),
    "tens of thousands of people": (10000, 10000, 99999, "vague", None, "people", 10000),
    "hundreds of thousands of displaced": (100000, 100000, 999999, "vague", None, None, 100000),
    "thousands of families": (1000, 1000, 9999, "vague", None, "families", 1000),
    "several rockets": (3, 10, 19, "vague", None, "rockets", 10),
    "a few fighters": (2, 3, 9, "vague", None, "fighters", 3),
    "scores of bodies": (40, 40, 99, "vague", None, "bodies", 40),
    "tens of civilians": (10, 10, 99, "vague", None, "civilians", 10),
    "millions of refugees": (1000000, 1000000, 9999999, "vague", None, "refugees", 1000000),
    "many casualties": (10, 10, None, "vague", None, "casualties", 10),
    "3,000 people": (3000, 3000, 3000, "exactly", None, "people", 3000),
    "three soldiers": (3, 3, 3, "exactly", None, "soldiers", 3),
    "twenty-one civilians": (21, 21, 21, "exactly", None, "civilians", 21),
    "one child": (1, 1, 1, "exactly", None, "child", 1),
    "a hundred fighters": (100, 100, 100, "exactly", None, "fighters", 100),
    "two hundred and fifty families": (250, 250, 250, "exactly", None, "families", 250),
    "1.6 million people": (1600000, 1600000, 1600000, "exactly", None, "people", 1600000),
    "1.6 km": (1.6, 1.6, 1.6, "exactly", "km", None, 1.6),
    "12,500 fighters": (12500, 12500, 12500, "exactly", None, "fighters", 12500),
    "20 to 30 rockets": (20, 25, 30, "range", None, "rockets", 20),
    "between 20 and 30 militants": (20, 25, 30, "range", None, "militants", 20),
    "between twenty and thirty fighters": (20, 25, 30, "range", None, "fighters", 20),
    "20-30 civilians": (20, 25, 30, "range", None, "civilians", 20),
    "20–30 civilians": (20, 25, 30, "range", None, "civilians", 20),
    "from 5 to 8 km": (5, 6, 8, "range", "km", None, 5),
    "two or three drones": (2, 2, 3, "range", None, "drones", 2),
    "4,000-5,000 IS members": (4000, 4500, 5000, "range", None, "members", 4000),
    "about 300 fighters": (300, 300, 300, "about", None, "fighters", 300),
    "some 3,000 people": (3000, 3000, 3000, "about", None, "people", 3000),
    "nearly 100 civilians": (100, 100, 100, "about", None, "civilians", 100),
    "approximately 250 families": (250, 250, 250, "about", None, "families", 250),
    "around 40 km": (40, 40, 40, "about", "km", None, 40),
    "roughly 60 percent": (60, 60, 60, "about", "percent", None, 60),
    "an estimated 7,000 IS fighters": (7000, 7000, 7000, "about", None, "fighters", 7000),
    "almost 2,000 airstrikes": (2000, 2000, 2000, "about", None, "airstrikes", 2000),
    "at least 16 civilians": (16, 16, None, "at_least", None, "civilians", 16),
    "at least eight soldiers": (8, 8, None, "at_least", None, "soldiers", 8),
    "no fewer than 50 rockets": (50, 50, None, "at_least", None, "rockets", 50),
    "more than 200 airstrikes": (200, 200, None, "more_than", None, "airstrikes", 200),
    "over 5,000 IS fighters": (5000, 5000, None, "more_than", None, "fighters", 5000),
    "upwards of 1,000 people": (1000, 1000, None, "more_than", None, "people", 1000),
    "in excess of 100 km2": (100, 100, None, "more_than", "km2", None, 100),
    "no more than 4 square kilometres": (None, 4, 4, "at_most", "km2", None, 4),
    "up to 30 airstrikes": (None, 30, 30, "at_most", None, "airstrikes", 30),
    "as many as 500 fighters": (None, 500, 500, "at_most", None, "fighters", 500),
    "fewer than 10 civilians": (None, 10, 10, "less_than", None, "civilians", 10),
    "less than 1 km": (None, 1, 1, "less_than", "km", None, 1),
    "under 50 percent": (None, 50, 50, "less_than", "percent", None, 50),
    "45%": (45, 45, 45, "exactly", "percent", None, 45),
    "5 per cent": (5, 5, 5, "exactly", "percent", None, 5),
    "700 square kilometers": (700, 700, 700, "exactly", "km2", None, 700),
    "50 sq km": (50, 50, 50, "exactly", "km2", None, 50),
    "15 kilometres": (15, 15, 15, "exactly", "km", None, 15),
    "10 miles": (10, 10, 10, "exactly", "mi", None, 10),
    "two mortar shells": (2, 2, 2, "exactly", None, "shells", 2),
    "five U.S. soldiers": (5, 5, 5, "exactly", None, "soldiers", 5),
    "29,600 people": (29600, 29600, 29600, "exactly", None, "people", 29600),
    "62 SDF fighters": (62, 62, 62, "exactly", None, "fighters", 62),
    "seven children": (7, 7, 7, "exactly", None, "children", 7),
    "a dozen": (None, None, None, None, None, None, None),
    "exactly 17 vehicles": (17, 17, 17, "exactly", None, "vehicles", 17),
    "20k displaced people": (20000, 20000, 20000, "exactly", None, None, 20000),
    "no casualties": (None, None, None, None, None, None, None),
}


def test_the_table_has_sixty_phrases():
    assert len(PHRASES) >= 60


@pytest.mark.parametrize(("phrase", "expected"), PHRASES.items())
def test_reading(phrase, expected):
    reading = read_quantity(phrase)
    got = tuple(reading[key] for key in ("low", "best", "high", "qualifier", "unit", "counted", "conservative"))
    assert got == expected
    assert reading["kind"] == "quantity"


def test_project_table_overrides_a_vague_magnitude():
    table = {"dozens": Vague(24, 24, 99), "a bunch of": Vague(5, 5, 20)}
    assert read_quantity("dozens of fighters", table)["conservative"] == 24
    assert read_quantity("a bunch of rockets", table)["best"] == 5
    assert read_quantity("a bunch of rockets")["best"] is None
    assert read_quantity("dozens of fighters")["conservative"] == 12


SAMPLE = (
    "On 12 March 2019, 38 IS fighters and more than 20,000 civilians had left Baghuz since January; hundreds of "
    "fighters remained in an area of less than 1 km2, some 3 km from the river. Between 20 and 30 rockets were fired."
)


def test_find_quantities_in_running_text():
    assert [SAMPLE[start:end] for start, end in find_quantities(SAMPLE)] == [
        "38 IS fighters",
        "more than 20,000 civilians",
        "hundreds of fighters",
        "less than 1 km2",
        "some 3 km",
        "Between 20 and 30 rockets",
    ]


def test_find_quantities_counts_code_points():
    text = "😀 نحو — about 40 fighters"
    [(start, end)] = find_quantities(text)
    assert text[start:end] == "about 40 fighters"
    assert start == 8


def test_find_quantities_leaves_out_dates_and_bare_vague_words():
    assert find_quantities("In 2019 many said that 3 was the number, and several agreed.") == []


@seed(20261128)
@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_on_any_text(text):
    reading = read_quantity(text)
    assert set(reading) == {"kind", "low", "best", "high", "qualifier", "unit", "counted", "conservative"}
    for start, end in find_quantities(text):
        assert 0 <= start < end <= len(text)


WORDS = st.sampled_from(
    [
        "about",
        "more than",
        "at least",
        "up to",
        "between",
        "and",
        "to",
        "-",
        "dozens",
        "hundreds of",
        "tens of",
        "thousands",
        "several",
        "fighters",
        "km",
        "percent",
        "twenty",
        "one",
        "three hundred",
        "of",
        "civilians",
    ]
)


@seed(20261128)
@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(WORDS, st.integers(0, 10**7).map(str)), min_size=1, max_size=6))
def test_bounds_are_ordered(words):
    reading = read_quantity(" ".join(words))
    low, best, high, conservative = (reading[key] for key in ("low", "best", "high", "conservative"))
    if best is not None:
        assert low is None or low <= best
        assert high is None or best <= high
        assert low is None or low <= conservative
        assert high is None or conservative <= high


@seed(20261128)
@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10**9), st.booleans())
def test_digits_round_trip(number, grouped):
    text = f"{number:,}" if grouped else str(number)
    reading = read_quantity(f"{text} fighters")
    got = (reading["best"], reading["low"], reading["high"], reading["qualifier"])
    assert got == (number, number, number, "exactly")


@seed(20261128)
@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(VAGUE_DEFAULTS)))
def test_vague_rows_read_as_their_table(words):
    row = VAGUE_DEFAULTS[words]
    reading = read_quantity(f"{words} civilians")
    assert (reading["low"], reading["conservative"], reading["high"]) == (row.low, row.conservative, row.high)
