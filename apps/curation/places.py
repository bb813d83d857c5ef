"""Places of a document's text for curation: the stretches where the annotators' spans overlap, each with every
annotator's version there and its state. No Django here: the selectors load spans, these functions group them."""

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class State(StrEnum):
    AGREE = "agree"  # every annotator of the document has the same spans here
    DISAGREE = "disagree"  # two or more annotators, with different spans
    SINGLE = "single"  # one annotator only
    CURATED = "curated"  # a curator decided here, or the merge did


class Strategy(StrEnum):
    ALL = "all"
    MAJORITY = "majority"
    MIN = "min"


@dataclass(frozen=True)
class Span:
    id: int
    start: int
    end: int
    tag: str
    annotator: str
    quote: str = ""

    @property
    def shape(self) -> tuple[int, int, str]:
        return (self.start, self.end, self.tag)


Version = tuple[tuple[int, int, str], ...]  # an annotator's spans at a place, as (start, end, tag), sorted


@dataclass
class Place:
    start: int
    end: int
    spans: list[Span] = field(default_factory=list)

    def version_of(self, annotator: str) -> Version:
        return tuple(sorted(span.shape for span in self.spans if span.annotator == annotator))

    def spans_of(self, annotator: str) -> list[Span]:
        return sorted((span for span in self.spans if span.annotator == annotator), key=lambda s: (s.start, s.end))

    @property
    def annotators(self) -> set[str]:
        return {span.annotator for span in self.spans}

    def votes(self, annotators: Sequence[str]) -> Counter:
        """How many of `annotators` hold each version here (an empty version for those with nothing here)."""
        return Counter(self.version_of(name) for name in annotators)

    def state(self, annotators: Sequence[str]) -> State:
        if len(self.annotators) == 1:
            return State.SINGLE
        return State.AGREE if len(self.votes(annotators)) == 1 else State.DISAGREE

    def agreed(self, annotators: Sequence[str]) -> tuple[Version, int] | None:
        """The version most annotators hold (never the empty one) and how many hold it, when no other ties it."""
        ranked = [(version, count) for version, count in self.votes(annotators).most_common() if version]
        if not ranked or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
            return None
        return ranked[0]

    def merged(self, annotators: Sequence[str], strategy: Strategy, minimum: int = 1) -> Version | None:
        """The version the strategy takes here, or None when the place is left for a curator."""
        agreed = self.agreed(annotators)
        if agreed is None:
            return None
        version, count = agreed
        passes = {
            Strategy.ALL: count == len(annotators),
            Strategy.MAJORITY: count * 2 > len(annotators),
            Strategy.MIN: count >= minimum,
        }[strategy]
        return version if passes else None

    def sources(self, shape: tuple) -> list[int]:
        """The ids of every annotator's span with exactly this shape here."""
        return sorted(span.id for span in self.spans if span.shape == shape)


def places(spans: Iterable[Span]) -> list[Place]:
    """The spans grouped into places: runs of spans that overlap one another, in text order."""
    found: list[Place] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end, s.id)):
        if found and span.start < found[-1].end:
            found[-1].end = max(found[-1].end, span.end)
            found[-1].spans.append(span)
        else:
            found.append(Place(span.start, span.end, [span]))
    return found


def overlaps(start: int, end: int, other_start: int, other_end: int) -> bool:
    return start < other_end and other_start < end


@dataclass(frozen=True)
class EventItem:
    """An annotator's event as a place holds it: placed at its actor1 span (start, end), with the shape versions
    compare (type, sub-type, date, precision, fatalities, and every slot's span as offsets)."""

    id: int
    start: int | None  # None when the event has no actor1 span (it was detached)
    end: int | None
    date: datetime.date
    annotator: str
    shape: tuple
    label: str = ""
    sources: tuple[int, ...] = ()  # for a curated event, the annotators' events it was taken from


def place_holds(place: Place, curated: EventItem) -> bool:
    """Whether a curated event belongs to an event place: it was taken from events there (its own slots may have
    changed since, as its spans were re-curated)."""
    return any(source.id in curated.sources for source in place.spans)


def event_places(events: Iterable[EventItem]) -> list[tuple[datetime.date, Place]]:
    """The events grouped into event places: events of one date whose actor1 spans overlap, in text order (events
    without an actor1 span have no place). A Place holds the events in its `spans`, so versions, votes and the merge
    strategies work on events unchanged."""
    by_date: dict[datetime.date, list[EventItem]] = {}
    for event in events:
        if event.start is not None:
            by_date.setdefault(event.date, []).append(event)
    found = [(date, place) for date, items in by_date.items() for place in places(items)]
    return sorted(found, key=lambda pair: (pair[1].start, pair[1].end, pair[0]))
