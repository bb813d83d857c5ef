import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from apps.annotations.models import Annotation
from apps.core.models import TimeStampedModel
from apps.documents.models import Document
from apps.projects.models import Project, TagKind


class TimePrecision(models.IntegerChoices):
    """ACLED's time precision: how closely the report dates the event."""

    DAY = 1, "Day"
    WEEK = 2, "Week"
    MONTH = 3, "Month"


class ProjectTypology(TimeStampedModel):
    """A project's own event typology, made from the default (typology.ACLED_TYPOLOGY) the first time an owner edits
    it; a project without one uses the default. `types` is a list of {"name", "disorder_type", "sub_types": [...]}."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="typology")
    types = models.JSONField()


class Incident(TimeStampedModel):
    """One real-world event told by several documents: their events link to it, so a dataset counts it once."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="incidents")


class Event(TimeStampedModel):
    """Who did what to whom, where, when and how many, as one dataset row, built from a document's spans (EventSlot
    rows say which span fills which slot)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="events")
    event_type = models.CharField(max_length=100)
    sub_event_type = models.CharField(max_length=100)
    disorder_type = models.CharField(max_length=100, blank=True, help_text="From the typology, when saved.")
    date = models.DateField()
    time_precision = models.PositiveSmallIntegerField(choices=TimePrecision.choices, default=TimePrecision.DAY)
    fatalities = models.PositiveIntegerField(null=True, blank=True, help_text="The number a dataset records.")
    notes = models.TextField(blank=True)
    incident = models.ForeignKey(Incident, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    version = models.PositiveIntegerField(default=1, help_text="Raised by every edit; stale edits are refused.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="events")
    # The curated layer (apps/curation) lives here too, as for annotations: its events' slots point at curated spans,
    # and everything that reads the annotators' events leaves these rows out unless asked (layer=curated).
    curated = models.BooleanField(default=False, db_default=False, help_text="Part of the curated layer.")
    curated_from = ArrayField(
        models.BigIntegerField(),
        null=True,
        blank=True,
        help_text="The annotators' events a curated one was taken from (ids; null when not curated).",
    )

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(time_precision__in=[1, 2, 3]), name="event_time_precision_range"),
            models.CheckConstraint(
                condition=Q(curated=True, curated_from__isnull=False) | Q(curated=False, curated_from__isnull=True),
                name="event_curated_has_sources",
            ),
        ]
        indexes = [
            models.Index(fields=["project", "date"], name="event_project_date"),
            models.Index(fields=["document"], name="event_document"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} on {self.date}"


class Slot(models.TextChoices):
    ACTOR1 = "actor1", "Actor 1"
    ACTOR2 = "actor2", "Actor 2"
    ASSOC_ACTOR_1 = "assoc_actor_1", "Associated with actor 1"
    ASSOC_ACTOR_2 = "assoc_actor_2", "Associated with actor 2"
    LOCATION = "location", "Location"
    FATALITIES = "fatalities", "Fatalities"


SINGLE_SLOTS = (Slot.ACTOR1, Slot.ACTOR2, Slot.LOCATION, Slot.FATALITIES)
LIST_SLOTS = (Slot.ASSOC_ACTOR_1, Slot.ASSOC_ACTOR_2)
SLOT_KINDS = {
    Slot.ACTOR1: TagKind.ACTOR,
    Slot.ACTOR2: TagKind.ACTOR,
    Slot.ASSOC_ACTOR_1: TagKind.ACTOR,
    Slot.ASSOC_ACTOR_2: TagKind.ACTOR,
    Slot.LOCATION: TagKind.PLACE,
    Slot.FATALITIES: TagKind.QUANTITY,
}


class EventSlot(models.Model):
    """One span filling one slot of an event (the associated actors' slots hold several, in `position` order). A
    span may serve several events; deleting it takes it out of their slots (the services ask first)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots")
    slot = models.CharField(max_length=16, choices=Slot.choices)
    position = models.PositiveSmallIntegerField(default=0)
    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="event_slots")

    class Meta:
        ordering = ["event", "slot", "position"]
        constraints = [
            models.UniqueConstraint(fields=["event", "slot", "position"], name="event_slot_unique_position"),
        ]
        indexes = [models.Index(fields=["annotation"], name="event_slot_annotation")]

    def __str__(self) -> str:
        return f"{self.slot} of event {self.event_id}: annotation {self.annotation_id}"


EVENT_TRACKED_FIELDS = [
    "id", "project", "document", "event_type", "sub_event_type", "disorder_type", "date", "time_precision",
    "fatalities", "notes", "incident", "version", "created_by", "curated", "curated_from",
]  # fmt: skip


class EventChange(
    pghistory.create_event_model(
        Event,
        pghistory.InsertEvent("create"),
        pghistory.UpdateEvent("update"),
        pghistory.DeleteEvent("delete"),
        fields=EVENT_TRACKED_FIELDS,
        obj_field=pghistory.ObjForeignKey(related_name="changes", db_constraint=False),
    )
):
    """A snapshot of an event after each insert and update, and before its delete (database triggers)."""

    class Meta:
        ordering = ["pgh_id"]


class EventSlotChange(
    pghistory.create_event_model(
        EventSlot,
        pghistory.InsertEvent("create"),
        pghistory.DeleteEvent("delete"),
        fields=["id", "event", "slot", "position", "annotation"],
        obj_field=pghistory.ObjForeignKey(related_name="changes", db_constraint=False),
    )
):
    """A span put into or taken out of an event's slot (slots are replaced, never updated)."""

    class Meta:
        ordering = ["pgh_id"]
