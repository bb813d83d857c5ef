"""Krippendorff's alpha for unitizing (uα; Krippendorff 1995, 2004 pp. 251-256): the agreement measure INCEpTION
reports for spans, through DKPro Statistics' KrippendorffAlphaUnitizingAgreement.

Each observer cuts a continuum [begin, begin + length) into units of a category and the gaps between them. For a
category c, the observed disagreement sums, over ordered pairs of observers, the distance of every pair of their
overlapping segments: two units differ by the squares of their start and end differences, a unit lying wholly
inside the other's gap counts its squared length, anything else nothing. The expected disagreement is what the same
units and gaps would give placed at random. alpha = 1 - observed / expected, per category and, over categories,
1 - sum of observed / sum of expected. No Django here; the arithmetic is on whole numbers until the last division.
"""

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate


@dataclass(frozen=True)
class Unit:
    """One observer's unit of a category: it covers [start, start + length)."""

    observer: Hashable
    start: int
    length: int
    category: str


@dataclass(frozen=True)
class CategoryAlpha:
    observed: float
    expected: float
    alpha: float | None  # None when nothing is expected to differ (no unit of the category at all)


@dataclass(frozen=True)
class UnitizingAlpha:
    alpha: float | None
    per_category: dict[str, CategoryAlpha]


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    is_unit: bool

    @property
    def length(self) -> int:
        return self.end - self.start


def distance(start_a: int, length_a: int, unit_a: bool, start_b: int, length_b: int, unit_b: bool) -> int:
    """Krippendorff's squared distance between two segments (a unit, or a gap when `unit_*` is False)."""
    end_a, end_b = start_a + length_a, start_b + length_b
    if unit_a and unit_b:
        if start_a < end_b and start_b < end_a:
            return (start_a - start_b) ** 2 + (end_a - end_b) ** 2
        return 0
    if unit_a and not unit_b and start_b <= start_a and end_a <= end_b:
        return length_a**2
    if unit_b and not unit_a and start_a <= start_b and end_b <= end_a:
        return length_b**2
    return 0


def segments(units: Iterable[tuple[int, int]], begin: int, end: int) -> list[Segment]:
    """The continuum cut into one observer's units (overlapping ones joined) and the gaps between them."""
    joined: list[list[int]] = []
    for start, stop in sorted(units):
        if joined and start < joined[-1][1]:
            joined[-1][1] = max(joined[-1][1], stop)
        else:
            joined.append([start, stop])
    cut, at = [], begin
    for start, stop in joined:
        if start > at:
            cut.append(Segment(at, start, False))
        cut.append(Segment(start, stop, True))
        at = stop
    if end > at:
        cut.append(Segment(at, end, False))
    return cut


def _observed_sum(cut_a: Sequence[Segment], cut_b: Sequence[Segment]) -> int:
    """The distances of every pair of overlapping segments of two observers (both cuts cover the continuum, so a
    walk along both visits each overlapping pair once)."""
    total, i, j = 0, 0, 0
    while i < len(cut_a) and j < len(cut_b):
        a, b = cut_a[i], cut_b[j]
        total += distance(a.start, a.length, a.is_unit, b.start, b.length, b.is_unit)
        if a.end <= b.end:
            i += 1
        else:
            j += 1
    return total


def _expected_terms(cuts: Sequence[Sequence[Segment]]) -> tuple[int, int]:
    """The numerator and the subtracted part of the denominator of the expected disagreement."""
    units = [segment.length for cut in cuts for segment in cut if segment.is_unit]
    gaps = sorted(segment.length for cut in cuts for segment in cut if not segment.is_unit)
    from_the_top = list(accumulate(reversed(gaps)))  # sums of the longest gaps
    numerator = 0
    for length in units:
        # (n - 1) / 3 * (2l³ - 3l² + l), where l(l - 1)(2l - 1) is always a multiple of 6
        numerator += (len(units) - 1) * (length * (length - 1) * (2 * length - 1) // 3)
        # l² times the sum, over the gaps h at least as long as the unit, of (l_h - l + 1)
        longer = len(gaps) - bisect_left(gaps, length)
        if longer:
            numerator += length**2 * (from_the_top[longer - 1] - longer * (length - 1))
    return numerator, sum(length * (length - 1) for length in units)


def unitizing_alpha(units: Iterable[Unit], observers: Sequence[Hashable], begin: int, length: int) -> UnitizingAlpha:
    """uα of `observers` (two or more; those without units count, with only gaps) over [begin, begin + length)."""
    by_category: dict[str, dict[Hashable, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for unit in units:
        by_category[unit.category][unit.observer].append((unit.start, unit.start + unit.length))
    m, end = len(observers), begin + length
    per_category = {}
    for category in sorted(by_category):
        cuts = [segments(by_category[category].get(name, ()), begin, end) for name in observers]
        observed_sum = sum(_observed_sum(cuts[i], cuts[j]) for i in range(m) for j in range(m) if i != j)
        observed = observed_sum / (m * (m - 1) * length**2)
        numerator, within_units = _expected_terms(cuts)
        denominator = length * (m * length * (m * length - 1) - within_units)
        expected = 2 * numerator / denominator if denominator else 0.0
        alpha = 1 - observed / expected if expected else None
        per_category[category] = CategoryAlpha(observed, expected, alpha)
    observed_total = sum(value.observed for value in per_category.values())
    expected_total = sum(value.expected for value in per_category.values())
    return UnitizingAlpha(1 - observed_total / expected_total if expected_total else None, per_category)
