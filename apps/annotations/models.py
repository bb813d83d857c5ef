import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q

from apps.core.models import TimeStampedModel
from apps.documents.models import Document
from apps.projects.models import Tag


class Origin(models.TextChoices):
    """How an annotation came to be."""

    MANUAL = "manual", "Tagged by hand"
    SUGGESTION = "suggestion", "Accepted suggestion"
    TAG_ALL = "tag_all", "Tag all occurrences"
    IMPORT = "import", "Imported"


class Annotation(TimeStampedModel):
    """A tagged span of a document's text: code-point offsets, end exclusive, with the quoted text.

    Its normalised value (a quantity's reading, a place, an actor) is kept on the row, in the shape the API shows
    it, so that the history triggers record its changes and exports write it without a join; `place` and `entity`
    are the keys it was made from, for the queries that go from a place or an actor to its mentions.
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="annotations")
    # RESTRICT: a tag in use cannot be deleted alone, but deleting its whole project may take it along.
    tag = models.ForeignKey(Tag, on_delete=models.RESTRICT, related_name="annotations")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    note = models.TextField(blank=True)
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="annotations")
    version = models.PositiveIntegerField(default=1, help_text="Raised by every edit; stale edits are refused.")
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.MANUAL)
    normalized = models.JSONField(null=True, blank=True, help_text="What the span means, by its tag's kind.")
    normalized_by_hand = models.BooleanField(default=False, help_text="Set by a person: never recomputed.")
    place = models.ForeignKey(
        "places.Place", null=True, blank=True, on_delete=models.SET_NULL, related_name="annotations"
    )
    entity = models.ForeignKey(
        "actors.Entity", null=True, blank=True, on_delete=models.SET_NULL, related_name="annotations"
    )
    # The curated layer (apps/curation) lives in this table too, so that the API, the exports and the history treat
    # its spans like any other; everything that reads the annotators' work leaves these rows out.
    curated = models.BooleanField(default=False, db_default=False, help_text="Part of the curated layer.")
    curated_from = ArrayField(
        models.BigIntegerField(),
        null=True,
        blank=True,
        help_text="The annotators' annotations a curated one was taken from (ids; null when not curated).",
    )

    class Meta:
        ordering = ["document", "start", "-end", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(start__gte=0), name="annotation_start_nonnegative"),
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="annotation_start_before_end"),
            models.CheckConstraint(
                condition=Q(curated=True, curated_from__isnull=False) | Q(curated=False, curated_from__isnull=True),
                name="annotation_curated_has_sources",
            ),
        ]
        indexes = [models.Index(fields=["document", "start"], name="annotation_document_start")]

    def __str__(self) -> str:
        return f"{self.tag.slug} [{self.start}:{self.end}] {self.quote[:40]}"


TRACKED_FIELDS = [
    "id", "document", "tag", "start", "end", "quote", "note", "annotator", "version", "origin", "normalized",
    "normalized_by_hand", "place", "entity", "curated", "curated_from",
]  # fmt: skip


class AnnotationChange(
    pghistory.create_event_model(
        Annotation,
        pghistory.InsertEvent("create"),
        pghistory.UpdateEvent("update"),
        pghistory.DeleteEvent("delete"),
        fields=TRACKED_FIELDS,
        obj_field=pghistory.ObjForeignKey(related_name="changes"),
    )
):
    """A snapshot of an annotation after each insert and update, and before its delete, written by database
    triggers (so bulk and raw writes are kept too); `pgh_context.metadata["user"]` is who made it."""

    class Meta:
        ordering = ["pgh_id"]
