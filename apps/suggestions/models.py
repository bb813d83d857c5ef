from django.conf import settings
from django.db import models
from django.db.models import F, Q

from apps.annotations.models import Annotation
from apps.core.models import TimeStampedModel
from apps.documents.models import Document
from apps.projects.models import Project, Tag


class Source(models.TextChoices):
    """Where a suggestion comes from."""

    MEMORY = "memory", "Project memory"
    ENTITY = "entity", "Actor register"
    GAZETTEER = "gazetteer", "Gazetteer"
    QUANTITY = "quantity", "Quantity grammar"


class Status(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class Suggestion(TimeStampedModel):
    """A span proposed to the readers of a document, kept once it has been shown so that its id stays the same on
    every read and the quality report can count what became of it (open ones count as ignored)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="suggestions")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="suggestions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    source = models.CharField(max_length=16, choices=Source.choices)
    score = models.FloatField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    annotation = models.ForeignKey(
        Annotation, null=True, blank=True, on_delete=models.SET_NULL, related_name="suggestions"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["document", "start", "-end", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "tag", "start", "end"], name="suggestion_unique_span"),
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="suggestion_start_before_end"),
        ]
        indexes = [models.Index(fields=["document", "status"], name="suggestion_document_status")]

    def __str__(self) -> str:
        return f"{self.source} {self.tag_id} [{self.start}:{self.end}] {self.quote[:40]}"


class Rejection(TimeStampedModel):
    """A (text, tag) a member rejected: never proposed again in the project until the list is cleared."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="suggestion_rejections")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["text", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "tag", "text"], name="rejection_unique_text")]

    def __str__(self) -> str:
        return f"{self.text} ≠ {self.tag_id}"
