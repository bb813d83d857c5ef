import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.agreement.metrics import (
    OUTSIDE,
    Scores,
    Span,
    agreement,
    exact_unmatched,
    kappa,
    report_dict,
    token_labels,
    tokens,
)


def spans(annotator, *triples, document=1):
    return [Span(document, start, end, tag, annotator, id=index) for index, (start, end, tag) in enumerate(triples, 1)]


def approx(scores: Scores):
    return pytest.approx((scores.precision, scores.recall, scores.f1))


TEXT = "x" * 50


def test_exact_and_overlap_scores_by_hand():
    a = spans("a", (0, 5, "actor"), (10, 15, "location"), (20, 30, "actor"))
    b = spans("b", (0, 5, "actor"), (12, 15, "location"), (25, 35, "actor"), (40, 45, "actor"))

    report = agreement({"a": a, "b": b}, {1: TEXT})

    # Exact: only (0, 5, actor) matches. P = 1/|B| = 1/4, R = 1/|A| = 1/3, F1 = 2·1/(3+4) = 2/7
    # (= 2PR/(P+R) = 2·(1/12)/(7/12)).
    assert approx(report.overall.exact) == (1 / 4, 1 / 3, 2 / 7)
    # Overlap: (0,5)~(0,5), (10,15)~(12,15) (3 shared), (20,30)~(25,35) (5 shared); (40,45) has no partner.
    # P = 3/4, R = 3/3, F1 = 2·3/7 = 6/7.
    assert approx(report.overall.overlap) == (3 / 4, 1.0, 6 / 7)
    # actor: A has 2, B has 3. Exact 1 → P 1/3, R 1/2, F1 2/5; overlap 2 → P 2/3, R 1, F1 4/5.
    assert approx(report.per_tag["actor"].exact) == (1 / 3, 1 / 2, 2 / 5)
    assert approx(report.per_tag["actor"].overlap) == (2 / 3, 1.0, 4 / 5)
    # location: 1 each, no exact match, one overlap match.
    assert approx(report.per_tag["location"].exact) == (0.0, 0.0, 0.0)
    assert approx(report.per_tag["location"].overlap) == (1.0, 1.0, 1.0)


def test_overlap_matching_is_one_to_one_by_largest_overlap():
    a = spans("a", (0, 10, "actor"))
    b = spans("b", (0, 4, "actor"), (3, 10, "actor"))

    report = agreement({"a": a, "b": b}, {1: TEXT})

    # (0,10) shares 4 with (0,4) and 7 with (3,10): it takes (3,10) and is used up. P = 1/2, R = 1/1, F1 = 2·1/3.
    assert approx(report.overall.overlap) == (1 / 2, 1.0, 2 / 3)


def test_overlap_needs_the_same_tag_and_a_shared_code_point():
    a = spans("a", (0, 5, "actor"), (10, 15, "actor"))
    b = spans("b", (0, 5, "location"), (15, 20, "actor"))  # touching at 15 shares nothing (end exclusive)

    report = agreement({"a": a, "b": b}, {1: TEXT})

    assert approx(report.overall.overlap) == (0.0, 0.0, 0.0)


def test_kappa_by_hand():
    text = "a b c d"  # tokens a(0,1) b(2,3) c(4,5) d(6,7)
    a = spans("a", (0, 3, "actor"))  # a, b → actor
    b = spans("b", (0, 1, "actor"), (4, 5, "location"))  # a → actor, c → location

    report = agreement({"a": a, "b": b}, {1: text})

    # A = [actor, actor, O, O], B = [actor, O, location, O]. po = 2/4 (a and d agree).
    # pe = P_A(actor)·P_B(actor) + P_A(O)·P_B(O) + P_A(location)·P_B(location) = 2/4·1/4 + 2/4·2/4 + 0 = 6/16.
    # kappa = (1/2 − 3/8)/(1 − 3/8) = (1/8)/(5/8) = 0.2
    assert report.overall.kappa == pytest.approx(0.2)
    # actor vs not: A = [T, T, F, F], B = [T, F, F, F]. po = 3/4; pe = 1/2·1/4 + 1/2·3/4 = 1/2;
    # kappa = (3/4 − 1/2)/(1/2) = 0.5
    assert report.per_tag["actor"].kappa == pytest.approx(0.5)
    # location vs not: A all F, B = [F, F, T, F]. po = 3/4; pe = 1·3/4 = 3/4; kappa = 0/(1/4) = 0
    assert report.per_tag["location"].kappa == pytest.approx(0.0)


def test_kappa_is_one_when_both_label_everything_alike():
    # pe = 1 and po = 1: (po − pe)/(1 − pe) is 0/0, defined as 1.
    assert kappa(["O", "O", "O"], ["O", "O", "O"]) == 1.0
    assert kappa([], []) is None


def test_tokens_are_words_and_single_symbols_in_code_points():
    assert tokens("3,000 👍🏽 fled.") == [(0, 1), (1, 2), (2, 5), (6, 7), (7, 8), (9, 13), (13, 14)]


def test_token_takes_the_tag_of_the_longest_covering_span():
    offsets = tokens("ab cd ef")  # ab(0,2) cd(3,5) ef(6,8)
    labels = token_labels(
        offsets,
        [
            Span(1, 3, 8, "location", id=1),  # length 5, later start
            Span(1, 0, 5, "actor", id=2),  # length 5, earlier start: wins cd
            Span(1, 3, 4, "quantity", id=3),  # shorter, loses cd
        ],
    )
    assert labels == ["actor", "actor", "location"]
    # A span touching part of a token labels the whole token; ties of length and start go to the lower id.
    assert token_labels(offsets, [Span(1, 4, 5, "actor", id=9), Span(1, 4, 5, "location", id=8)]) == [
        OUTSIDE,
        "location",
        OUTSIDE,
    ]


def test_only_documents_all_annotated_count():
    a = [*spans("a", (0, 5, "actor")), *spans("a", (0, 5, "actor"), document=2)]
    b = spans("b", (0, 5, "actor"))

    report = agreement({"a": a, "b": b}, {1: TEXT, 2: TEXT})

    assert report.documents == [1]
    assert approx(report.overall.exact) == (1.0, 1.0, 1.0)
    assert report.disagreements == []


def test_disagreements_are_spans_without_an_exact_match_both_ways():
    a = spans("a", (0, 5, "actor"), (10, 15, "actor"))
    b = spans("b", (0, 5, "actor"), (10, 16, "actor"))

    report = agreement({"a": a, "b": b}, {1: TEXT})

    assert [(d.span.start, d.span.end, d.annotator, d.missing_from) for d in report.disagreements] == [
        (10, 15, "a", "b"),
        (10, 16, "b", "a"),
    ]


def test_duplicate_spans_match_once_each():
    a = spans("a", (0, 5, "actor"), (0, 5, "actor"))
    b = spans("b", (0, 5, "actor"))

    assert [span.id for span in exact_unmatched(a, b)] == [2]
    report = agreement({"a": a, "b": b}, {1: TEXT})
    # P = 1/1, R = 1/2, F1 = 2·1/3
    assert approx(report.overall.exact) == (1.0, 1 / 2, 2 / 3)


def test_three_annotators_report_the_mean_over_pairs():
    a = spans("a", (0, 5, "actor"))
    b = spans("b", (0, 5, "actor"))
    c = spans("c", (0, 5, "actor"), (10, 15, "actor"))

    report = agreement({"a": a, "b": b, "c": c}, {1: TEXT})

    assert [[p.a, p.b] for p in report.pairs] == [["a", "b"], ["a", "c"], ["b", "c"]]
    # Exact F1 per pair: a–b 1, a–c 2·1/3, b–c 2·1/3 → mean (1 + 2/3 + 2/3)/3 = 7/9.
    assert report.overall.exact.f1 == pytest.approx(7 / 9)
    # Precision: a–b 1/1, a–c 1/2, b–c 1/2 → 2/3; recall: 1, 1, 1 → 1.
    assert report.overall.exact.precision == pytest.approx(2 / 3)
    assert report.overall.exact.recall == pytest.approx(1.0)
    assert report_dict(report)["pairs"] == [["a", "b"], ["a", "c"], ["b", "c"]]


def test_no_spans_means_null_not_nan():
    report = agreement({"a": [], "b": []}, {1: TEXT})
    body = report_dict(report)

    assert body["documents"] == []
    assert body["overall"] == {
        "exact": {"precision": None, "recall": None, "f1": None},
        "overlap": {"precision": None, "recall": None, "f1": None},
        "kappa": None,
    }


# --- properties --------------------------------------------------------------------------------------------------

TAGS = ["actor", "location", "quantity"]


@st.composite
def texts_and_spans(draw, annotators=2):
    text = draw(st.text(alphabet="ab1 ,.\n", min_size=1, max_size=40))
    length = len(text)

    def span_list(name):
        starts_ends = st.tuples(st.integers(0, length - 1), st.integers(1, length)).filter(lambda se: se[0] < se[1])
        triples = draw(st.lists(st.tuples(starts_ends, st.sampled_from(TAGS)), max_size=8))
        return [Span(1, s, e, tag, name, id=i) for i, ((s, e), tag) in enumerate(triples)]

    return text, [span_list(name) for name in "abcd"[:annotators]]


def all_numbers(report):
    for value in [report.overall, *report.per_tag.values()]:
        for scores in (value.exact, value.overlap):
            yield "score", scores.precision
            yield "score", scores.recall
            yield "score", scores.f1
        yield "kappa", value.kappa


PROPERTY_SETTINGS = settings(max_examples=300, deadline=None, database=None)


@PROPERTY_SETTINGS
@given(texts_and_spans(annotators=1))
def test_an_annotator_agrees_perfectly_with_itself(data):
    text, (a,) = data
    report = agreement({"a": a, "a2": [Span(s.document, s.start, s.end, s.tag, "a2", s.id) for s in a]}, {1: text})

    if not a:  # Edge case: no spans means no shared document, so nothing is defined.
        assert report.documents == []
        assert report.overall.exact.f1 is None
        assert report.overall.kappa is None
        return
    assert report.overall.exact.f1 == 1.0
    assert report.overall.overlap.f1 == 1.0
    assert all(value.exact.f1 == 1.0 and value.overlap.f1 == 1.0 for value in report.per_tag.values())
    # Edge case: a text of only whitespace has no tokens, so kappa is undefined (None) rather than 1.
    has_tokens = bool(tokens(text))
    assert report.overall.kappa == (1.0 if has_tokens else None)
    assert all(value.kappa == (1.0 if has_tokens else None) for value in report.per_tag.values())
    assert report.disagreements == []


@PROPERTY_SETTINGS
@given(texts_and_spans())
def test_f1_and_kappa_are_symmetric(data):
    text, (a, b) = data
    forward = agreement({"a": a, "b": b}, {1: text})
    backward = agreement({"b": b, "a": a}, {1: text})

    assert forward.overall.exact.f1 == pytest.approx(backward.overall.exact.f1)
    assert forward.overall.overlap.f1 == pytest.approx(backward.overall.overlap.f1)
    assert forward.overall.kappa == pytest.approx(backward.overall.kappa)
    assert forward.overall.exact.precision == pytest.approx(backward.overall.exact.recall)
    for tag, value in forward.per_tag.items():
        assert value.exact.f1 == pytest.approx(backward.per_tag[tag].exact.f1)
        assert value.overlap.f1 == pytest.approx(backward.per_tag[tag].overlap.f1)


@PROPERTY_SETTINGS
@given(texts_and_spans(annotators=3))
def test_overlap_is_never_below_exact_and_values_stay_in_range(data):
    text, span_lists = data
    report = agreement(dict(zip("abc", span_lists, strict=True)), {1: text})

    for value in [report.overall, *report.per_tag.values()]:
        for exact, overlap in [
            (value.exact.f1, value.overlap.f1),
            (value.exact.precision, value.overlap.precision),
            (value.exact.recall, value.overlap.recall),
        ]:
            # Both are defined or undefined together: they share their denominators.
            assert (exact is None) == (overlap is None)
            if exact is not None:
                assert overlap >= exact - 1e-12
    for kind, number in all_numbers(report):
        if number is None:
            continue
        assert math.isfinite(number)
        low = -1.0 if kind == "kappa" else 0.0
        assert low - 1e-12 <= number <= 1.0 + 1e-12
