"""Inter-annotator agreement over plain spans: span-level P/R/F1 (exact and overlap) and token-level Cohen's kappa.

No Django here: the selectors load spans and texts, these functions do the arithmetic. Every ratio is computed from
integer counts, and an undefined value is None (never NaN or infinity).
"""

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from apps.agreement.unitizing import Unit, UnitizingAlpha, unitizing_alpha

TOKEN = re.compile(r"\w+|[^\w\s]")
OUTSIDE = "O"


@dataclass(frozen=True)
class Span:
    """One annotator's tagged span of a document: code-point offsets, end exclusive."""

    document: int
    start: int
    end: int
    tag: str
    annotator: str = ""
    id: int = 0
    quote: str = ""

    @property
    def key(self) -> tuple[int, int, int, str]:
        """What an exact match must share."""
        return (self.document, self.start, self.end, self.tag)


@dataclass(frozen=True)
class Scores:
    """Precision, recall and F1 of a candidate against a reference; None where undefined."""

    precision: float | None
    recall: float | None
    f1: float | None


@dataclass(frozen=True)
class Agreement:
    """Exact and overlap scores plus kappa, for one tag or overall."""

    exact: Scores
    overlap: Scores
    kappa: float | None


@dataclass(frozen=True)
class PairReport:
    """Agreement between annotator `a` (the reference) and `b`."""

    a: str
    b: str
    overall: Agreement
    per_tag: dict[str, Agreement]
    disagreements: list["Disagreement"]


@dataclass(frozen=True)
class Disagreement:
    """A span of `annotator` with no exact match among `missing_from`'s spans."""

    span: Span
    missing_from: str

    @property
    def annotator(self) -> str:
        """Who has the span."""
        return self.span.annotator


@dataclass(frozen=True)
class Report:
    """Agreement of two or more annotators over their shared documents; means over pairs when more than two."""

    documents: list[int]
    annotators: list[str]
    pairs: list[PairReport]
    overall: Agreement
    per_tag: dict[str, Agreement]
    disagreements: list[Disagreement] = field(default_factory=list)
    unitizing: UnitizingAlpha | None = None  # Krippendorff's uα of all the annotators together


def ratio(numerator: int, denominator: int) -> float | None:
    """numerator / denominator, or None when the denominator is 0."""
    return numerator / denominator if denominator else None


def scores(matched: int, reference_count: int, candidate_count: int) -> Scores:
    """P = matched/|candidate|, R = matched/|reference|; F1 = 2·matched/(|A|+|B|), which is 2PR/(P+R) when both exist.

    The count form keeps F1 defined (0) when one side has no spans at all; it is None only when neither has any.
    """
    return Scores(
        precision=ratio(matched, candidate_count),
        recall=ratio(matched, reference_count),
        f1=ratio(2 * matched, reference_count + candidate_count),
    )


def exact_unmatched(reference: Iterable[Span], candidate: Iterable[Span]) -> list[Span]:
    """The reference spans left over after matching each one-to-one to a candidate with the same document, offsets
    and tag (among duplicates, the later ones are left over)."""
    available = Counter(span.key for span in candidate)
    leftover = []
    for span in sorted(reference, key=lambda s: (s.document, s.start, s.end, s.tag, s.id)):
        if available[span.key]:
            available[span.key] -= 1
        else:
            leftover.append(span)
    return leftover


def exact_match_count(reference: Sequence[Span], candidate: Sequence[Span]) -> int:
    """How many spans match one-to-one with the same document, start, end and tag."""
    counts_a, counts_b = Counter(s.key for s in reference), Counter(s.key for s in candidate)
    return sum(min(n, counts_b[key]) for key, n in counts_a.items())


def _overlapping_pairs(reference: list[Span], candidate: list[Span]) -> list[tuple[int, ...]]:
    """A sort key ending in (reference index, candidate index) for every pair sharing a code point; `candidate` is
    sorted by start."""
    pairs = []
    starts = [span.start for span in candidate]
    longest = max(span.end - span.start for span in candidate)
    for i, r in enumerate(reference):
        # Only candidates starting in (r.start − longest, r.end) can reach into r: a window, not the whole list.
        for j in range(bisect_left(starts, r.start - longest + 1), bisect_left(starts, r.end)):
            c = candidate[j]
            overlap = min(r.end, c.end) - max(r.start, c.start)
            if overlap > 0:
                union = max(r.end, c.end) - min(r.start, c.start)
                pairs.append((-overlap, union, r.start, c.start, r.id, c.id, i, j))
    return pairs


def overlap_match_count(reference: Sequence[Span], candidate: Sequence[Span]) -> int:
    """How many spans match one-to-one with the same document and tag and at least one shared code point.

    Greedy: pairs are taken largest overlap first, and among equal overlaps the tightest (smallest union) first, so an
    identical pair is never passed over for a looser one; each span is matched at most once.
    """
    groups: dict[tuple[int, str], tuple[list[Span], list[Span]]] = defaultdict(lambda: ([], []))
    for span in reference:
        groups[span.document, span.tag][0].append(span)
    for span in candidate:
        groups[span.document, span.tag][1].append(span)
    matched = 0
    for group_a, group_b in groups.values():
        if not group_a or not group_b:
            continue
        group_a.sort(key=lambda s: (s.start, s.end, s.id))
        group_b.sort(key=lambda s: (s.start, s.end, s.id))
        used_a, used_b = set(), set()
        for *_, i, j in sorted(_overlapping_pairs(group_a, group_b)):
            if i not in used_a and j not in used_b:
                used_a.add(i)
                used_b.add(j)
                matched += 1
    return matched


def tokens(text: str) -> list[tuple[int, int]]:
    """The (start, end) code-point offsets of the text's tokens: runs of word characters, and single other symbols."""
    return [match.span() for match in TOKEN.finditer(text)]


def token_labels(token_offsets: Sequence[tuple[int, int]], spans: Iterable[Span]) -> list[str]:
    """Each token's label: the tag of the longest span sharing a code point with it (ties: earlier start, lower id),
    else OUTSIDE."""
    starts = [start for start, _ in token_offsets]
    ends = [end for _, end in token_offsets]
    best: list[tuple[int, int, int] | None] = [None] * len(token_offsets)
    labels = [OUTSIDE] * len(token_offsets)
    for span in spans:
        rank = (-(span.end - span.start), span.start, span.id)
        # Tokens are sorted and disjoint: the first that ends after span.start, up to the last starting before span.end.
        for index in range(bisect_left(ends, span.start + 1), bisect_left(starts, span.end)):
            if best[index] is None or rank < best[index]:
                best[index] = rank
                labels[index] = span.tag
    return labels


def kappa(labels_a: Sequence, labels_b: Sequence) -> float | None:
    """Cohen's kappa of two equally long labellings (see kappa_from_counts)."""
    return kappa_from_confusion(Counter(zip(labels_a, labels_b, strict=True)))


def kappa_from_counts(total: int, agreed: int, chance: int) -> float | None:
    """Cohen's kappa (po − pe)/(1 − pe) with po = agreed/total and pe = chance/total²; 1 when pe = 1 (then po = 1
    too), None when there is nothing to label."""
    if total == 0:
        return None
    if chance == total * total:
        return 1.0
    # Multiplied through by total², so the division is the only inexact step.
    return (agreed * total - chance) / (total * total - chance)


def kappa_from_confusion(confusion: Counter) -> float | None:
    """Multi-class kappa from counts of (label by a, label by b) pairs."""
    counts_a, counts_b = Counter(), Counter()
    for (a, b), n in confusion.items():
        counts_a[a] += n
        counts_b[b] += n
    agreed = sum(n for (a, b), n in confusion.items() if a == b)
    chance = sum(n * counts_b[label] for label, n in counts_a.items())
    return kappa_from_counts(confusion.total(), agreed, chance)


def binary_kappa(confusion: Counter, tag: str) -> float | None:
    """Kappa of the "tag vs anything else" labellings, from the multi-class confusion counts."""
    total = confusion.total()
    tagged_a = sum(n for (a, _), n in confusion.items() if a == tag)
    tagged_b = sum(n for (_, b), n in confusion.items() if b == tag)
    disagreed = sum(n for (a, b), n in confusion.items() if (a == tag) != (b == tag))
    chance = tagged_a * tagged_b + (total - tagged_a) * (total - tagged_b)
    return kappa_from_counts(total, total - disagreed, chance)


def mean(values: Iterable[float | None]) -> float | None:
    """The mean of the defined values, or None when none is defined."""
    defined = [value for value in values if value is not None]
    return sum(defined) / len(defined) if defined else None


def mean_agreement(agreements: Sequence[Agreement]) -> Agreement:
    """Each number averaged over the pairs where it is defined."""

    def mean_scores(all_scores: list[Scores]) -> Scores:
        return Scores(
            precision=mean(s.precision for s in all_scores),
            recall=mean(s.recall for s in all_scores),
            f1=mean(s.f1 for s in all_scores),
        )

    return Agreement(
        exact=mean_scores([a.exact for a in agreements]),
        overlap=mean_scores([a.overlap for a in agreements]),
        kappa=mean(a.kappa for a in agreements),
    )


def span_agreement(reference: Sequence[Span], candidate: Sequence[Span], kappa_value: float | None) -> Agreement:
    """Exact and overlap scores of `candidate` against `reference`, with the given kappa."""
    return Agreement(
        exact=scores(exact_match_count(reference, candidate), len(reference), len(candidate)),
        overlap=scores(overlap_match_count(reference, candidate), len(reference), len(candidate)),
        kappa=kappa_value,
    )


def compare_pair(
    a: str,
    b: str,
    spans_a: Sequence[Span],
    spans_b: Sequence[Span],
    labels_a: Sequence[str],
    labels_b: Sequence[str],
    tags: Sequence[str],
) -> PairReport:
    """Agreement of `b` against reference `a`, overall and for each of `tags`; labels are their token labellings."""
    confusion = Counter(zip(labels_a, labels_b, strict=True))
    per_tag = {}
    for tag in tags:
        tag_a = [span for span in spans_a if span.tag == tag]
        tag_b = [span for span in spans_b if span.tag == tag]
        per_tag[tag] = span_agreement(tag_a, tag_b, binary_kappa(confusion, tag))
    disagreements = [Disagreement(span, b) for span in exact_unmatched(spans_a, spans_b)]
    disagreements += [Disagreement(span, a) for span in exact_unmatched(spans_b, spans_a)]
    disagreements.sort(key=lambda d: (d.span.document, d.span.start, d.span.end, d.span.tag, d.annotator))
    return PairReport(
        a=a,
        b=b,
        overall=span_agreement(spans_a, spans_b, kappa_from_confusion(confusion)),
        per_tag=per_tag,
        disagreements=disagreements,
    )


def shared_documents(spans_by_annotator: dict[str, Sequence[Span]]) -> list[int]:
    """The documents every annotator has at least one span in, in id order."""
    document_sets = [{span.document for span in spans} for spans in spans_by_annotator.values()]
    return sorted(set.intersection(*document_sets)) if document_sets else []


def spans_alpha(
    spans: dict[str, Sequence[Span]], documents: Sequence[int], texts: dict[int, str]
) -> UnitizingAlpha | None:
    """uα of the annotators' spans (tags as categories) over the documents' texts laid end to end, in order."""
    if len(spans) < 2 or not documents:
        return None
    offsets, at = {}, 0
    for document in documents:
        offsets[document] = at
        at += len(texts[document])
    units = [
        Unit(name, offsets[span.document] + span.start, span.end - span.start, span.tag)
        for name, annotated in spans.items()
        for span in annotated
        if span.document in offsets
    ]
    return unitizing_alpha(units, list(spans), 0, at) if at else None


def agreement(
    spans_by_annotator: dict[str, Sequence[Span]],
    texts: dict[int, str],
    tag_order: Sequence[str] = (),
    reference: str | None = None,
) -> Report:
    """Agreement of the annotators (in the dict's order; pairs in that order) over the documents in `texts` that they
    all annotated. Per-tag results cover the tags used there, in `tag_order` first, then alphabetically. With a
    `reference` (the curated layer), the pairs are that reference with each of the others, not every pair."""
    annotators = list(spans_by_annotator)
    documents = [document for document in shared_documents(spans_by_annotator) if document in texts]
    in_scope = set(documents)
    spans = {name: [s for s in spans_by_annotator[name] if s.document in in_scope] for name in annotators}
    used = {span.tag for name in annotators for span in spans[name]}
    order = {tag: position for position, tag in enumerate(tag_order)}
    tags = sorted(used, key=lambda tag: (order.get(tag, len(order)), tag))

    token_offsets = {document: tokens(texts[document]) for document in documents}
    labels = {}
    for name in annotators:
        by_document = defaultdict(list)
        for span in spans[name]:
            by_document[span.document].append(span)
        labels[name] = [
            label for document in documents for label in token_labels(token_offsets[document], by_document[document])
        ]

    if reference is None:
        chosen = list(combinations(annotators, 2))
    else:
        chosen = [(reference, name) for name in annotators if name != reference]
    pairs = [compare_pair(a, b, spans[a], spans[b], labels[a], labels[b], tags) for a, b in chosen]
    disagreements = sorted(
        (d for pair in pairs for d in pair.disagreements),
        key=lambda d: (d.span.document, d.span.start, d.span.end, d.span.tag, d.annotator, d.missing_from),
    )
    return Report(
        documents=documents,
        annotators=annotators,
        pairs=pairs,
        overall=mean_agreement([pair.overall for pair in pairs]),
        per_tag={tag: mean_agreement([pair.per_tag[tag] for pair in pairs]) for tag in tags},
        disagreements=disagreements,
        unitizing=spans_alpha(spans, documents, texts),
    )


def unitizing_dict(value: UnitizingAlpha | None) -> dict:
    """uα overall and by tag (with each tag's observed and expected disagreement)."""
    if value is None:
        return {"alpha": None, "per_tag": {}}
    return {
        "alpha": value.alpha,
        "per_tag": {
            tag: {"alpha": item.alpha, "observed": item.observed, "expected": item.expected}
            for tag, item in value.per_category.items()
        },
    }


def scores_dict(value: Scores) -> dict:
    """Scores as a plain dict."""
    return {"precision": value.precision, "recall": value.recall, "f1": value.f1}


def agreement_dict(value: Agreement) -> dict:
    """An Agreement as a plain dict."""
    return {"exact": scores_dict(value.exact), "overlap": scores_dict(value.overlap), "kappa": value.kappa}


def report_dict(report: Report) -> dict:
    """The report as plain JSON-ready data (the API's response body)."""
    return {
        "documents": report.documents,
        "annotators": report.annotators,
        "pairs": [[pair.a, pair.b] for pair in report.pairs],
        "overall": agreement_dict(report.overall),
        "per_tag": {tag: agreement_dict(value) for tag, value in report.per_tag.items()},
        "unitizing_alpha": unitizing_dict(report.unitizing),
        "disagreements": [
            {
                "document": d.span.document,
                "start": d.span.start,
                "end": d.span.end,
                "quote": d.span.quote,
                "tag": d.span.tag,
                "annotator": d.annotator,
                "missing_from": d.missing_from,
            }
            for d in report.disagreements
        ],
    }
