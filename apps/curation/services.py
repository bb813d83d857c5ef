"""Writes for curation: the automatic merge and a curator's decision at a place. Both check the caller's role, lock
the document's row (so two curators' writes to one document take turns) and write atomically."""

import datetime
from dataclasses import dataclass

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction

from apps.annotations.models import Annotation
from apps.curation.models import Decision, EventDecision
from apps.curation.places import EventItem, Place, Span, Strategy, event_places, overlaps, place_holds, places
from apps.curation.selectors import annotator_spans, document_annotators, event_items
from apps.documents.models import Document
from apps.events.models import Event, EventSlot
from apps.projects.selectors import CURATE_ROLES, require_role


@dataclass(frozen=True)
class MergeCounts:
    merged: int  # places whose agreed version went into the curated layer
    left: int  # places left for a curator
    kept: int  # places a curator had decided, left as they were

    def as_dict(self) -> dict:
        return {"merged": self.merged, "left": self.left, "kept": self.kept}


@dataclass(frozen=True)
class MergeResult(MergeCounts):
    """The span places' counts, and the event places' ones in `events`."""

    events: MergeCounts = MergeCounts(0, 0, 0)

    def as_dict(self) -> dict:
        return {**super().as_dict(), "events": self.events.as_dict()}


def _locked(document: Document) -> Document:
    return Document.objects.select_for_update().only("id", "project_id", "text").get(pk=document.pk)


def _copies(place: Place, spans: list[Span], sources: dict[int, Annotation], user) -> list[Annotation]:
    """Curated copies of `spans` (one annotator's version at the place), each naming every span of its shape."""
    copies = []
    for span in spans:
        source = sources[span.id]
        copies.append(
            Annotation(
                document_id=source.document_id,
                tag_id=source.tag_id,
                start=span.start,
                end=span.end,
                quote=source.quote,
                note=source.note,
                annotator=user,
                origin=source.origin,
                normalized=source.normalized,
                normalized_by_hand=source.normalized_by_hand,
                place_id=source.place_id,
                entity_id=source.entity_id,
                curated=True,
                curated_from=place.sources(span.shape),
            )
        )
    return copies


def _curated_spans_replaced(stale, new: list[Annotation]) -> None:
    """Put `new` curated spans in place of the `stale` ones. A curated event's slot on a stale span moves to the new
    span of the same offsets and tag; a slot whose span has no such successor goes with it."""
    used = list(
        EventSlot.objects.filter(annotation__in=stale).values_list(
            "event_id", "slot", "position", "annotation__start", "annotation__end", "annotation__tag_id"
        )
    )
    stale.delete()
    Annotation.objects.bulk_create(new)
    successors = {(a.start, a.end, a.tag_id): a for a in new}
    EventSlot.objects.bulk_create(
        EventSlot(event_id=event_id, slot=slot, position=position, annotation=successors[(start, end, tag_id)])
        for event_id, slot, position, start, end, tag_id in used
        if (start, end, tag_id) in successors
    )


def _sources(document: Document) -> dict[int, Annotation]:
    return {a.pk: a for a in Annotation.objects.filter(document=document, curated=False)}


@transaction.atomic
def curation_merge(*, document: Document, user, strategy: str, minimum: int | None = None, overwrite: bool = False):
    """Take into the curated layer the version the strategy agrees on at each place: `all` annotators, a
    `majority`, or at least `minimum` of them. Places a curator decided stay as they are unless `overwrite`; the
    merge's own earlier results are recomputed."""
    require_role(user, document.project, CURATE_ROLES)
    if strategy not in Strategy.__members__.values():
        raise ValidationError({"strategy": f"Choose one of: {', '.join(Strategy)}."})
    if strategy == Strategy.MIN and (minimum is None or minimum < 1):
        raise ValidationError({"min": "The min strategy needs min, a whole number of annotators (1 or more)."})
    document = _locked(document)
    spans = annotator_spans(document)
    annotators = document_annotators(document, spans)
    sources = _sources(document)
    decisions = list(Decision.objects.filter(document=document))
    curated = list(Annotation.objects.filter(document=document, curated=True).values_list("id", "start", "end"))
    merged = left = kept = 0
    new, stale_curated, stale_decisions = [], set(), set()
    for place in places(spans):
        decided = [d.pk for d in decisions if overlaps(d.start, d.end, place.start, place.end)]
        if decided and not overwrite:
            kept += 1
            continue
        stale_decisions.update(decided)
        stale_curated.update(pk for pk, start, end in curated if overlaps(start, end, place.start, place.end))
        version = place.merged(annotators, Strategy(strategy), minimum or 1)
        if version is None:
            left += 1
            continue
        holder = next(name for name in annotators if place.version_of(name) == version)
        new += _copies(place, place.spans_of(holder), sources, user)
        merged += 1
    with pghistory.context(user=user.pk):
        _curated_spans_replaced(Annotation.objects.filter(pk__in=stale_curated), new)
        Decision.objects.filter(pk__in=stale_decisions).delete()
    events = _events_merge(document, user, annotators, spans, sources, Strategy(strategy), minimum or 1, overwrite)
    return MergeResult(merged, left, kept, events)


def _events_merge(document, user, annotators, spans, sources, strategy, minimum, overwrite) -> MergeCounts:
    """The merge of the event places, after the span places' (so the curated spans it reuses are there)."""
    events = {e.pk: e for e in Event.objects.filter(document=document, curated=False)}
    decisions = list(EventDecision.objects.filter(document=document))
    curated = event_items(document, curated=True)
    merged = left = kept = 0
    taken, stale_curated, stale_decisions = [], set(), set()
    for date, place in event_places(event_items(document, curated=False)):
        decided = [d.pk for d in decisions if d.date == date and overlaps(d.start, d.end, place.start, place.end)]
        if decided and not overwrite:
            kept += 1
            continue
        stale_decisions.update(decided)
        stale_curated.update(e.id for e in curated if place_holds(place, e))
        version = place.merged(annotators, strategy, minimum)
        if version is None:
            left += 1
            continue
        holder = next(name for name in annotators if place.version_of(name) == version)
        taken += [(place, item) for item in place.spans_of(holder)]
        merged += 1
    with pghistory.context(user=user.pk):
        Event.objects.filter(pk__in=stale_curated).delete()
        EventDecision.objects.filter(pk__in=stale_decisions).delete()
        _event_copies(document, user, taken, events, spans, sources)
    return MergeCounts(merged, left, kept)


def _event_copies(document, user, taken: list[tuple[Place, EventItem]], events: dict[int, Event], spans, sources):
    """Curated copies of the taken events, each naming every event of its shape at its place; their slots point at
    the curated spans of the same offsets and tag, made (from the annotator's span) where the curated layer lacks
    them."""
    if not taken:
        return
    slots = list(
        EventSlot.objects.filter(event_id__in=[item.id for _, item in taken]).select_related("annotation__tag")
    )
    curated = {(a.start, a.end, a.tag_id): a for a in Annotation.objects.filter(document=document, curated=True)}
    every_span = Place(0, len(document.text), spans)
    by_id = {span.id: span for span in spans}
    missing = {}
    for slot in slots:
        key = (slot.annotation.start, slot.annotation.end, slot.annotation.tag_id)
        if key not in curated and key not in missing:
            missing[key] = _copies(every_span, [by_id[slot.annotation_id]], sources, user)[0]
    Annotation.objects.bulk_create(missing.values())
    curated.update(missing)
    copies = []
    for place, item in taken:
        source = events[item.id]
        copies.append(
            Event(
                project_id=source.project_id,
                document_id=source.document_id,
                event_type=source.event_type,
                sub_event_type=source.sub_event_type,
                disorder_type=source.disorder_type,
                date=source.date,
                time_precision=source.time_precision,
                fatalities=source.fatalities,
                notes=source.notes,
                created_by=user,
                curated=True,
                curated_from=place.sources(item.shape),
            )
        )
    Event.objects.bulk_create(copies)
    copy_of = {item.id: copy for (_, item), copy in zip(taken, copies, strict=True)}
    EventSlot.objects.bulk_create(
        EventSlot(
            event=copy_of[slot.event_id],
            slot=slot.slot,
            position=slot.position,
            annotation=curated[(slot.annotation.start, slot.annotation.end, slot.annotation.tag_id)],
        )
        for slot in slots
    )


def _offset(value, name: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise ValidationError({name: f"{name} must be a whole number."}) from error


def _range_checked(document: Document, start, end) -> tuple[Document, int, int]:
    """The locked document and the checked [start, end) of a place in its text (ValidationError naming the field)."""
    start, end = _offset(start, "start"), _offset(end, "end")
    document = _locked(document)
    length = len(document.text)
    if start < 0:
        raise ValidationError({"start": f"start must be 0 or more (got {start})."})
    if end > length:
        raise ValidationError({"end": f"end {end} is past the end of the text ({length} characters)."})
    if start >= end:
        raise ValidationError({"end": f"end ({end}) must be greater than start ({start})."})
    return document, start, end


@transaction.atomic
def curation_decide(*, document: Document, user, start, end, take) -> Decision:
    """Record a curator's choice at [start, end): `take` (an annotator's annotation there) brings that annotator's
    whole version of the place into the curated layer; None rejects every version. It replaces what the curated
    layer and earlier decisions held there."""
    require_role(user, document.project, CURATE_ROLES)
    document, start, end = _range_checked(document, start, end)
    taken = None
    if take is not None:
        take = _offset(take, "take")
        taken = Annotation.objects.filter(document=document, curated=False, pk=take).first()
        if taken is None or not overlaps(taken.start, taken.end, start, end):
            raise ValidationError({"take": f"No annotator's annotation {take} in this document at {start}–{end}."})
    spans = annotator_spans(document)
    here = [span for span in spans if overlaps(span.start, span.end, start, end)]
    place = Place(min([start, *(s.start for s in here)]), max([end, *(s.end for s in here)]), here)
    new = []
    if taken is not None:
        new = _copies(place, place.spans_of(taken.annotator.username), _sources(document), user)
    with pghistory.context(user=user.pk):
        _curated_spans_replaced(
            Annotation.objects.filter(document=document, curated=True, start__lt=place.end, end__gt=place.start), new
        )
        Decision.objects.filter(document=document, start__lt=place.end, end__gt=place.start).delete()
        return Decision.objects.create(
            document=document,
            start=place.start,
            end=place.end,
            curator=user,
            taken_from=taken.annotator if taken else None,
        )


def _date(value) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as error:
        raise ValidationError({"date": f"“{value}” is not a date (YYYY-MM-DD)."}) from error


@transaction.atomic
def curation_decide_event(*, document: Document, user, date, start, end, take) -> EventDecision:
    """Record a curator's choice at the event place of `date` whose actor1 spans lie at [start, end): `take` (an
    annotator's event there) brings that annotator's events of the place into the curated layer, their slots on
    curated spans; None rejects every version. It replaces the curated events and decisions there."""
    require_role(user, document.project, CURATE_ROLES)
    document, start, end = _range_checked(document, start, end)
    date = _date(date)
    items = [e for e in event_items(document, curated=False) if e.date == date and e.start is not None]
    taken = None
    if take is not None:
        take = _offset(take, "take")
        taken = next((e for e in items if e.id == take and overlaps(e.start, e.end, start, end)), None)
        if taken is None:
            raise ValidationError(
                {"take": f"No annotator's event {take} in this document of {date} with actor1 at {start}–{end}."}
            )
    here = [e for e in items if overlaps(e.start, e.end, start, end)]
    place = Place(min([start, *(e.start for e in here)]), max([end, *(e.end for e in here)]), here)
    stale = [e.id for e in event_items(document, curated=True) if place_holds(place, e)]
    with pghistory.context(user=user.pk):
        Event.objects.filter(pk__in=stale).delete()
        EventDecision.objects.filter(document=document, date=date, start__lt=place.end, end__gt=place.start).delete()
        if taken is not None:
            events = {
                e.pk: e
                for e in Event.objects.filter(pk__in=[e.id for e in place.spans_of(taken.annotator)]).select_related(
                    "created_by"
                )
            }
            chosen = [(place, item) for item in place.spans_of(taken.annotator)]
            _event_copies(document, user, chosen, events, annotator_spans(document), _sources(document))
        return EventDecision.objects.create(
            document=document,
            date=date,
            start=place.start,
            end=place.end,
            curator=user,
            taken_from=next(e.created_by for e in events.values()) if taken else None,
        )
