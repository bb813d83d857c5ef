import pghistory
from django.conf import settings
from django.db import models
from django.db.models import F, Q

from apps.core.models import TimeStampedModel
from apps.documents.models import Document
from apps.projects.models import Tag


class Annotation(TimeStampedModel):
    """A tagged span of a document's text: code-point offsets, end exclusive, with the quoted text.

    Later layers (event links, normalised quantities, gazetteer entries, canonical actors, suggestions) hang off
    this row by foreign key rather than widening it.
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

    class Meta:
        ordering = ["document", "start", "-end", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(start__gte=0), name="annotation_start_nonnegative"),
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="annotation_start_before_end"),
        ]
        indexes = [models.Index(fields=["document", "start"], name="annotation_document_start")]

    def __str__(self) -> str:
        return f"{self.tag.slug} [{self.start}:{self.end}] {self.quote[:40]}"


TRACKED_FIELDS = ["id", "document", "tag", "start", "end", "quote", "note", "annotator", "version"]


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
