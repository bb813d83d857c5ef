"""Writes for events and the project's typology. Every rule about events lives here; the API and the reading view
call these. Roles as for annotations: annotators create events and change their own, owners change any, viewers
only read."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404

from apps.annotations.models import Annotation
from apps.annotations.services import recorded
from apps.core.errors import Conflict
from apps.documents.models import Document
from apps.events.models import (
    LIST_SLOTS,
    SINGLE_SLOTS,
    SLOT_KINDS,
    Event,
    EventSlot,
    Incident,
    ProjectTypology,
    Slot,
    TimePrecision,
)
from apps.events.selectors import typology_for
from apps.projects.models import Project, Role
from apps.projects.selectors import ANNOTATE_ROLES, require_role


class EventConflict(Conflict):
    """Someone changed the event after this edit was started (stale version)."""

    field = "version"

    def __init__(self, event: Event):
        super().__init__(
            f"This event was changed meanwhile (now version {event.version}); your change was not saved. "
            "Review it and try again."
        )
        self.current = event

    def payload(self) -> dict:
        return {**super().payload(), "current_version": self.current.version}


class EventSlotDependents:
    """The events whose slots hold a span (registered with apps.annotations.dependents)."""

    label = "events"

    def find(self, annotation_ids: list[int]) -> list[int]:
        return sorted(
            set(EventSlot.objects.filter(annotation_id__in=annotation_ids).values_list("event_id", flat=True))
        )

    def detach(self, annotation_ids: list[int]) -> None:
        events = list(EventSlot.objects.filter(annotation_id__in=annotation_ids).values_list("event_id", flat=True))
        EventSlot.objects.filter(annotation_id__in=annotation_ids).delete()
        Event.objects.filter(pk__in=set(events)).update(version=F("version") + 1)


def may_edit_event(membership, event: Event) -> bool:
    """Owners change any event, annotators their own, viewers none."""
    if membership is None or membership.role not in ANNOTATE_ROLES:
        return False
    return membership.role == Role.OWNER or event.created_by_id == membership.user_id


def require_can_edit_event(user, event: Event) -> None:
    """PermissionDenied unless the user may change the event (404 for non-members)."""
    membership = require_role(user, event.project, ANNOTATE_ROLES)
    if not may_edit_event(membership, event):
        raise PermissionDenied("Only its author or a project owner can change this event.")


@dataclass
class _Spans:
    """The checked annotations of each slot."""

    single: dict[str, Annotation | None]
    lists: dict[str, list[Annotation]]


def _slot_ids(name: str, value) -> list[int]:
    values = value if isinstance(value, list) else ([] if value is None else [value])
    if name in SINGLE_SLOTS and isinstance(value, list):
        raise ValidationError({name: f"{name} takes one annotation id (or null)."})
    ids = []
    for item in values:
        if isinstance(item, bool) or not isinstance(item, int | str) or not str(item).isdecimal():
            raise ValidationError({name: f"“{item}” is not an annotation id."})
        ids.append(int(item))
    return ids


def _spans_checked(document: Document, slots: dict) -> _Spans:
    """The annotations each slot names, all of the document and of the kind the slot takes (ValidationError naming
    the slot)."""
    wanted = {name: _slot_ids(name, value) for name, value in slots.items()}
    every = {pk for ids in wanted.values() for pk in ids if pk < 2**62}
    found = {a.pk: a for a in Annotation.objects.select_related("tag", "entity", "place").filter(pk__in=every)}
    errors = {}
    for name, ids in wanted.items():
        for pk in ids:
            annotation = found.get(pk)
            if annotation is None or annotation.document_id != document.pk:
                errors[name] = f"Annotation {pk} is not a span of document {document.pk}."
            elif annotation.tag.kind != SLOT_KINDS[name]:
                errors[name] = (
                    f"Annotation {pk} is tagged “{annotation.tag.label}” ({annotation.tag.kind}); "
                    f"{name} takes a span of kind {SLOT_KINDS[name]}."
                )
        if name in LIST_SLOTS and len(set(ids)) != len(ids):
            errors[name] = f"{name} names the same annotation twice."
    if errors:
        raise ValidationError(errors)
    return _Spans(
        single={name: found[ids[0]] if ids else None for name, ids in wanted.items() if name in SINGLE_SLOTS},
        lists={name: [found[pk] for pk in ids] for name, ids in wanted.items() if name in LIST_SLOTS},
    )


def _type_checked(project: Project, event_type, sub_event_type) -> str:
    """The disorder type of a valid (type, sub-type) of the project's typology."""
    types = {entry["name"]: entry for entry in typology_for(project)}
    if event_type not in types:
        raise ValidationError({"event_type": f"“{event_type}” is not an event type of this project."})
    entry = types[event_type]
    if sub_event_type not in entry["sub_types"]:
        raise ValidationError({"sub_event_type": f"“{sub_event_type}” is not a sub-event type of “{event_type}”."})
    return entry.get("disorder_type", "")


def _date_checked(value) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as error:
        raise ValidationError({"date": f"“{value}” is not a date (YYYY-MM-DD)."}) from error


def _text_checked(name: str, value) -> str:
    value = "" if value is None else str(value)
    if "\x00" in value:
        raise ValidationError({name: f"The {name} contain a NUL character."})
    return value


def fatalities_proposed(span: Annotation | None) -> int | None:
    """The conservative figure of a quantity span's reading, when it has one."""
    reading = (span.normalized or {}) if span else {}
    value = reading.get("conservative")
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return int(value)
    return None


def _fatalities_checked(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not str(value).isdecimal() or int(value) > 2**31 - 1:
        raise ValidationError({"fatalities_number": f"“{value}” is not a number of people (0 or more)."})
    return int(value)


def _slots_write(event: Event, spans: _Spans) -> None:
    """Replace the event's slots named in `spans` with their annotations."""
    names = [*spans.single, *spans.lists]
    EventSlot.objects.filter(event=event, slot__in=names).delete()
    rows = [EventSlot(event=event, slot=name, annotation=a) for name, a in spans.single.items() if a is not None]
    rows += [
        EventSlot(event=event, slot=name, position=position, annotation=a)
        for name, members in spans.lists.items()
        for position, a in enumerate(members)
    ]
    EventSlot.objects.bulk_create(rows)


def _same_incident(event: Event, other_id) -> None:
    """Link the event to the incident of another event of the project (from another document), or with None unlink
    it."""
    if other_id is None:
        event.incident = None
        return
    other = Event.objects.filter(pk=other_id if str(other_id).isdecimal() else 0, project_id=event.project_id).first()
    if other is None:
        raise ValidationError({"same_as": f"“{other_id}” is not an event of this project."})
    if other.document_id == event.document_id:
        raise ValidationError({"same_as": "Events of one document are different events; link events of others."})
    if other.incident_id is None:
        other.incident = Incident.objects.create(project_id=event.project_id)
        other.version += 1
        other.save(update_fields=["incident", "version", "modified"])
    event.incident_id = other.incident_id


SLOT_NAMES = [slot.value for slot in Slot]


@recorded
@transaction.atomic
def event_create(
    *,
    user,
    document: Document | int,
    event_type: str,
    sub_event_type: str,
    actor1=None,
    date=None,
    time_precision=TimePrecision.DAY,
    notes: str = "",
    fatalities_number=None,
    same_as=None,
    **slots,
) -> Event:
    """An event of a document, its slots filled with spans of that document (annotation ids); `date` defaults to
    the document's published date, `fatalities_number` to the fatalities span's conservative figure. ValidationError
    names the bad field; PermissionDenied for viewers."""
    unknown = set(slots) - set(SLOT_NAMES)
    if unknown:
        raise TypeError(f"Unexpected arguments: {', '.join(sorted(unknown))}")
    document_id = document.pk if isinstance(document, Document) else document
    found = (
        Document.objects.select_related("project").defer("text", "search_vector").filter(pk=document_id).first()
        if str(document_id).isdecimal()
        else None
    )
    missing = ValidationError({"document": f"Document {document_id} does not exist or is not in one of your projects."})
    if found is None:
        raise missing
    try:
        require_role(user, found.project, ANNOTATE_ROLES)
    except Http404:
        raise missing from None
    if actor1 is None or actor1 == []:
        raise ValidationError({"actor1": "An event needs actor1: the span of the actor who acted."})
    spans = _spans_checked(found, {"actor1": actor1, **{name: slots.get(name) for name in SLOT_NAMES[1:]}})
    disorder_type = _type_checked(found.project, event_type, sub_event_type)
    if date in (None, ""):
        if found.published is None:
            raise ValidationError({"date": "The document has no published date: give the event's date."})
        date = found.published
    if time_precision not in TimePrecision.values:
        raise ValidationError({"time_precision": "time_precision is 1 (day), 2 (week) or 3 (month)."})
    number = _fatalities_checked(fatalities_number)
    event = Event(
        project=found.project,
        document=found,
        event_type=event_type,
        sub_event_type=sub_event_type,
        disorder_type=disorder_type,
        date=_date_checked(date),
        time_precision=time_precision,
        notes=_text_checked("notes", notes),
        fatalities=number if number is not None else fatalities_proposed(spans.single["fatalities"]),
        created_by=user,
    )
    if same_as is not None:
        _same_incident(event, same_as)
    event.save()
    _slots_write(event, spans)
    return event


def _locked(event: Event, version) -> Event:
    try:
        version = int(version)
    except (TypeError, ValueError) as error:
        raise ValidationError({"version": "version must be a whole number."}) from error
    current = Event.objects.select_for_update(of=("self",)).select_related("project").filter(pk=event.pk).first()
    if current is None:
        raise Http404("No such event.")
    if current.version != version:
        raise EventConflict(current)
    return current


UNSET = object()


@recorded
@transaction.atomic
def event_update(*, event: Event, user, version, **changes) -> Event:
    """Change an event's fields or slots (a slot given replaces its spans; null empties it), refused with
    EventConflict when `version` is stale."""
    require_can_edit_event(user, event)
    current = _locked(event, version)
    unknown = set(changes) - {
        *SLOT_NAMES, "event_type", "sub_event_type", "date", "time_precision", "notes", "fatalities_number",
        "same_as",
    }  # fmt: skip
    if unknown:
        raise TypeError(f"Unexpected arguments: {', '.join(sorted(unknown))}")
    if "actor1" in changes and changes["actor1"] in (None, []):
        raise ValidationError({"actor1": "An event needs actor1: the span of the actor who acted."})
    spans = _spans_checked(current.document, {name: changes[name] for name in SLOT_NAMES if name in changes})
    if "event_type" in changes or "sub_event_type" in changes:
        current.event_type = changes.get("event_type", current.event_type)
        current.sub_event_type = changes.get("sub_event_type", current.sub_event_type)
        current.disorder_type = _type_checked(current.project, current.event_type, current.sub_event_type)
    if "date" in changes:
        current.date = _date_checked(changes["date"])
    if "time_precision" in changes:
        if changes["time_precision"] not in TimePrecision.values:
            raise ValidationError({"time_precision": "time_precision is 1 (day), 2 (week) or 3 (month)."})
        current.time_precision = changes["time_precision"]
    if "notes" in changes:
        current.notes = _text_checked("notes", changes["notes"])
    if "fatalities_number" in changes:
        current.fatalities = _fatalities_checked(changes["fatalities_number"])
    elif spans.single.get("fatalities") is not None:
        current.fatalities = fatalities_proposed(spans.single["fatalities"])
    if "same_as" in changes:
        _same_incident(current, changes["same_as"])
    current.version += 1
    current.save()
    _slots_write(current, spans)
    return current


@recorded
@transaction.atomic
def event_delete(*, event: Event, user, version=None) -> None:
    """Delete an event (its spans stay); with `version`, refuse when someone changed it meanwhile."""
    require_can_edit_event(user, event)
    if version is not None:
        _locked(event, version)
    event.delete()


def _typology_checked(types) -> list[dict]:
    if not isinstance(types, list) or not types:
        raise ValidationError({"types": "Give a non-empty list of event types."})
    names, checked = set(), []
    for entry in types:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
            raise ValidationError({"types": "Each event type is {name, disorder_type, sub_types: [names]}."})
        subs = entry.get("sub_types")
        if not isinstance(subs, list) or not subs or not all(isinstance(s, str) and s.strip() for s in subs):
            raise ValidationError({"types": f"“{entry['name']}” needs a list of sub-event type names."})
        name = entry["name"].strip()
        if name in names:
            raise ValidationError({"types": f"“{name}” is named twice."})
        names.add(name)
        disorder = entry.get("disorder_type", "")
        checked.append({"name": name, "disorder_type": str(disorder).strip(), "sub_types": [s.strip() for s in subs]})
    return checked


@transaction.atomic
def typology_set(*, project: Project, user, types) -> list[dict]:
    """Replace the project's event typology (owners only); a type or sub-type that events still use must stay."""
    require_role(user, project, [Role.OWNER])
    checked = _typology_checked(types)
    allowed = {(entry["name"], sub) for entry in checked for sub in entry["sub_types"]}
    used = set(Event.objects.filter(project=project).values_list("event_type", "sub_event_type").distinct())
    missing = sorted(used - allowed)
    if missing:
        shown = ", ".join(f"{kind} / {sub}" for kind, sub in missing)
        raise ValidationError({"types": f"Events still use {shown}: keep them, or change those events first."})
    ProjectTypology.objects.update_or_create(project=project, defaults={"types": checked})
    return checked
