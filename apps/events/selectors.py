"""Reads for events, scoped through the projects access gate."""

from django.db.models import Prefetch, QuerySet

from apps.events.models import Event, EventSlot, ProjectTypology
from apps.events.typology import ACLED_TYPOLOGY
from apps.places.models import Place
from apps.projects.models import Project
from apps.projects.selectors import READ_ROLES, access_object, projects_visible_to


def typology_for(project: Project) -> list[dict]:
    """The project's event types with their sub-types: its own, or ACLED's by default."""
    own = ProjectTypology.objects.filter(project=project).values_list("types", flat=True).first()
    return own if own is not None else ACLED_TYPOLOGY


def slots_prefetch() -> Prefetch:
    """Each event's slots with their spans, tags, actors and places (one query for all the events)."""
    return Prefetch(
        "slots",
        queryset=EventSlot.objects.select_related(
            "annotation__tag", "annotation__entity", "annotation__place"
        ).order_by("slot", "position"),
    )


def events_visible_to(user) -> QuerySet[Event]:
    """Events in every project the user is a member of, with their slots."""
    return (
        Event.objects.filter(project__in=projects_visible_to(user))
        .select_related("created_by", "document")
        .defer("document__text", "document__search_vector")
        .prefetch_related(slots_prefetch())
    )


def access_event(user, event_id: int, roles=READ_ROLES):
    """The event with the caller's membership, in one query; 404 for non-members, 403 for a role not in `roles`."""
    return access_object(
        Event.objects.select_related("project", "document").defer("document__text", "document__search_vector"),
        user,
        event_id,
        project_path="project",
        roles=roles,
        missing="No such event.",
    )


def slot_spans(event: Event) -> dict:
    """The event's spans by slot: single slots to an annotation or None, associated actors to lists."""
    spans = {"actor1": None, "actor2": None, "assoc_actor_1": [], "assoc_actor_2": [], "location": None,
             "fatalities": None}  # fmt: skip
    for slot in event.slots.all():
        if isinstance(spans[slot.slot], list):
            spans[slot.slot].append(slot.annotation)
        else:
            spans[slot.slot] = slot.annotation
    return spans


def events_of_document(document) -> QuerySet[Event]:
    """The document's events with their slots (not the curated layer's), for the reading view's events panel."""
    return (
        Event.objects.filter(document=document, curated=False)
        .select_related("created_by")
        .prefetch_related(slots_prefetch())
    )


def places_of_events(project: Project):
    """The places where the project's events happened, for the events page's filter."""
    return (
        Place.objects.filter(
            annotations__event_slots__slot="location", annotations__event_slots__event__project=project
        )
        .distinct()
        .order_by("name")
    )
