import pghistory
from django.conf import settings
from django.db import models
from django.db.models import F, Q

from apps.core.models import TimeStampedModel
from apps.documents.models import Document


class Decision(TimeStampedModel):
    """A curator's choice at a place of a document's text: one annotator's version taken into the curated layer, or
    every version rejected. A re-merge leaves the places with a decision as they are (unless told to overwrite)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="curation_decisions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    curator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    taken_from = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The annotator whose version was taken; empty when every version was rejected.",
    )

    class Meta:
        ordering = ["document", "start", "end"]
        constraints = [models.CheckConstraint(condition=Q(start__lt=F("end")), name="decision_start_before_end")]
        indexes = [models.Index(fields=["document", "start"], name="decision_document_start")]

    def __str__(self) -> str:
        return f"[{self.start}:{self.end}] of document {self.document_id}"


class EventDecision(TimeStampedModel):
    """A curator's choice at an event place (the annotators' events of one date whose actor1 spans overlap within
    [start, end)): one annotator's events taken into the curated layer, or every version rejected."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="event_curation_decisions")
    date = models.DateField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    curator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    taken_from = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The annotator whose events were taken; empty when every version was rejected.",
    )

    class Meta:
        ordering = ["document", "date", "start", "end"]
        constraints = [models.CheckConstraint(condition=Q(start__lt=F("end")), name="event_decision_start_before_end")]
        indexes = [models.Index(fields=["document", "date"], name="event_decision_document_date")]

    def __str__(self) -> str:
        return f"events of {self.date} at [{self.start}:{self.end}] of document {self.document_id}"


class DecisionChange(
    pghistory.create_event_model(
        Decision,
        pghistory.InsertEvent("create"),
        pghistory.UpdateEvent("update"),
        pghistory.DeleteEvent("delete"),
        obj_field=pghistory.ObjForeignKey(related_name="changes", db_constraint=False),
    )
):
    """Every decision made and undone, kept after the decision row is gone."""

    class Meta:
        ordering = ["pgh_id"]


class EventDecisionChange(
    pghistory.create_event_model(
        EventDecision,
        pghistory.InsertEvent("create"),
        pghistory.UpdateEvent("update"),
        pghistory.DeleteEvent("delete"),
        obj_field=pghistory.ObjForeignKey(related_name="changes", db_constraint=False),
    )
):
    """Every event decision made and undone, kept after the decision row is gone."""

    class Meta:
        ordering = ["pgh_id"]
