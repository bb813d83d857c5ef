"""Reads for curation: a document's places with every annotator's version, the curated layer and the decisions."""

from dataclasses import dataclass

from django.db.models import QuerySet

from apps.annotations.models import Annotation
from apps.curation.models import Decision, EventDecision
from apps.curation.places import EventItem, Place, Span, State, event_places, overlaps, place_holds, places
from apps.documents.models import Document
from apps.events.models import Event, EventSlot, Slot


def annotator_spans(document: Document) -> list[Span]:
    """The annotators' spans of the document (not the curated layer)."""
    rows = Annotation.objects.filter(document=document, curated=False).values_list(
        "id", "start", "end", "tag__slug", "annotator__username", "quote"
    )
    return [Span(*row) for row in rows]


def document_annotators(document: Document, spans: list[Span]) -> list[str]:
    """Everyone with spans or events in the document, sorted: annotator k is the k-th of them."""
    authors = Event.objects.filter(document=document, curated=False).values_list("created_by__username", flat=True)
    return sorted({span.annotator for span in spans} | set(authors))


def curated_annotations(document: Document) -> QuerySet[Annotation]:
    return Annotation.objects.filter(document=document, curated=True).select_related("tag")


def event_items(document: Document, *, curated: bool) -> list[EventItem]:
    """The document's events (the annotators' ones, or the curated layer's) as EventItems, in two queries."""
    slots: dict[int, list[tuple]] = {}
    rows = EventSlot.objects.filter(event__document=document, event__curated=curated).values_list(
        "event_id", "slot", "position", "annotation__start", "annotation__end", "annotation__quote"
    )
    for event_id, slot, position, start, end, quote in rows.order_by("event_id", "slot", "position"):
        slots.setdefault(event_id, []).append((slot, position, start, end, quote))
    items = []
    events = Event.objects.filter(document=document, curated=curated).values_list(
        "id", "event_type", "sub_event_type", "date", "time_precision", "fatalities", "created_by__username",
        "curated_from",
    )  # fmt: skip
    for pk, event_type, sub_event_type, date, precision, fatalities, annotator, sources in events:
        filled = slots.get(pk, [])
        actor1 = next((row for row in filled if row[0] == Slot.ACTOR1), (None, 0, None, None))
        shape = (
            event_type, sub_event_type, date.isoformat(), precision, -1 if fatalities is None else fatalities,
            tuple(row[:4] for row in filled),
        )  # fmt: skip
        parts = ", ".join(f"{slot} “{quote}”" for slot, _, _, _, quote in filled)
        label = f"{event_type} / {sub_event_type}, {date.isoformat()}"
        label += f", {fatalities} killed" if fatalities is not None else ""
        items.append(
            EventItem(pk, actor1[2], actor1[3], date, annotator, shape, f"{label}: {parts}", tuple(sources or ()))
        )
    return items


STATE_LABELS = {
    State.AGREE: "all agree",
    State.DISAGREE: "annotators disagree",
    State.SINGLE: "one annotator only",
    State.CURATED: "curated",
}


@dataclass
class CurationPlace:
    """A place with what the curation view shows of it."""

    index: int
    place: Place
    state: State
    versions: list[tuple[int, str, list[Span]]]  # (k, annotator, their spans here), k from 1
    curated: list[Annotation]
    decision: Decision | None
    agreed_take: int | None  # an annotation id of the version Enter accepts
    agreed_by: list[str]  # the annotators who hold that version

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass
class EventCurationPlace:
    """An event place with what the curation view shows of it: `versions` and `curated` hold EventItems."""

    index: int
    date: object
    place: Place
    state: State
    versions: list[tuple[int, str, list[EventItem]]]
    curated: list[EventItem]
    decision: EventDecision | None
    agreed_take: int | None  # an event id of the version Enter accepts
    agreed_by: list[str]

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


def _counts(items) -> dict[str, int]:
    return {state.value: sum(1 for item in items if item.state == state) for state in State}


@dataclass
class Curation:
    annotators: list[str]
    places: list[CurationPlace]
    event_places: list[EventCurationPlace]

    @property
    def counts(self) -> dict[str, int]:
        """How many span places are in each state."""
        return _counts(self.places)

    @property
    def event_counts(self) -> dict[str, int]:
        """How many event places are in each state."""
        return _counts(self.event_places)


def _agreed(place: Place, annotators: list[str]) -> tuple[int | None, list[str]]:
    """The id of an item of the version Enter accepts, and who holds that version."""
    agreed = place.agreed(annotators)
    if agreed is None:
        return None, []
    agreed_by = [name for name in annotators if place.version_of(name) == agreed[0]]
    return place.spans_of(agreed_by[0])[0].id, agreed_by


def document_event_curation(document: Document, annotators: list[str]) -> list[EventCurationPlace]:
    """Every event place of the document with its state, in five queries."""
    curated = event_items(document, curated=True)
    decisions = list(EventDecision.objects.filter(document=document).select_related("curator"))
    items = []
    for index, (date, place) in enumerate(event_places(event_items(document, curated=False))):
        here = [e for e in curated if place_holds(place, e)]
        decision = next(
            (d for d in decisions if d.date == date and overlaps(d.start, d.end, place.start, place.end)), None
        )
        state = State.CURATED if here or decision else place.state(annotators)
        agreed_take, agreed_by = _agreed(place, annotators)
        versions = [(k, name, place.spans_of(name)) for k, name in enumerate(annotators, start=1)]
        items.append(EventCurationPlace(index, date, place, state, versions, here, decision, agreed_take, agreed_by))
    return items


def document_curation(document: Document) -> Curation:
    """Every place and event place of the document with its state, in nine queries."""
    spans = annotator_spans(document)
    annotators = document_annotators(document, spans)
    curated = list(curated_annotations(document))
    decisions = list(Decision.objects.filter(document=document).select_related("curator"))
    items = []
    for index, place in enumerate(places(spans)):
        here = [a for a in curated if overlaps(a.start, a.end, place.start, place.end)]
        decision = next((d for d in decisions if overlaps(d.start, d.end, place.start, place.end)), None)
        state = State.CURATED if here or decision else place.state(annotators)
        agreed_take, agreed_by = _agreed(place, annotators)
        versions = [(k, name, place.spans_of(name)) for k, name in enumerate(annotators, start=1)]
        items.append(CurationPlace(index, place, state, versions, here, decision, agreed_take, agreed_by))
    return Curation(annotators, items, document_event_curation(document, annotators))
