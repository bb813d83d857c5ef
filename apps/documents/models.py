import pgtrigger
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models

from apps.core.models import TimeStampedModel
from apps.projects.models import Project

SEARCH_CONFIG = "english"


class Document(TimeStampedModel):
    """A source document. `text` is stored once, normalised on import; every offset in Lector points into it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=300)
    text = models.TextField()
    source_url = models.URLField(max_length=2000, blank=True)
    author = models.CharField(max_length=300, blank=True)
    published = models.DateField(null=True, blank=True)
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the text; a re-import is a duplicate.")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("text", weight="B", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "content_hash"], name="document_unique_text_per_project"),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="document_search_gin"),
            models.Index(fields=["project", "title"], name="document_project_title"),
            models.Index(fields=["project", "published"], name="document_project_published"),
        ]
        triggers = [
            # An annotation's history (annotations.AnnotationChange, quotes included) lives as long as its document:
            # deleting a document, or its project, deletes it too, whatever path deletes the rows. A trigger, since
            # the history rows are themselves written by triggers while the annotations are deleted.
            pgtrigger.Trigger(
                name="document_delete_purges_history",
                when=pgtrigger.After,
                operation=pgtrigger.Delete,
                level=pgtrigger.Row,
                func="DELETE FROM annotations_annotationchange WHERE document_id = OLD.id; RETURN NULL;",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ImportBatch(models.Model):
    """A batch of uploaded files imported in the background; its counts say how far the worker has got."""

    class State(models.TextChoices):
        QUEUED = "queued", "queued"
        RUNNING = "running", "running"
        FINISHED = "finished", "finished"
        FAILED = "failed", "failed"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="import_batches")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    files_total = models.PositiveIntegerField(default=0)
    files_done = models.PositiveIntegerField(default=0, help_text="Files finished, failed ones included.")
    files_failed = models.PositiveIntegerField(default=0)
    documents_imported = models.PositiveIntegerField(default=0)
    documents_duplicate = models.PositiveIntegerField(default=0)
    documents_failed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, help_text="Why the batch as a whole stopped, when it did.")
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    progressed = models.DateTimeField(null=True, blank=True, help_text="When the worker last stored progress.")

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["project", "-created"], name="import_batch_project_created")]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.state})"


class ImportFile(models.Model):
    """One file of a batch. Its bytes stay in PostgreSQL until processed (a worker on any server can read them)."""

    class State(models.TextChoices):
        PENDING = "pending", "pending"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=500)
    size = models.BigIntegerField()
    data = models.BinaryField(null=True, help_text="The upload, zlib-compressed; emptied once the file is processed.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    reason = models.TextField(blank=True, help_text="Why the file could not be imported.")
    documents_total = models.PositiveIntegerField(null=True, blank=True)
    documents_done = models.PositiveIntegerField(
        default=0, help_text="Documents of the file already handled: a resumed import starts after them."
    )
    imported = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    problems = models.JSONField(
        default=list, help_text="The first duplicates and failed documents: {name, outcome, reason, document}."
    )

    class Meta:
        ordering = ["batch", "position"]
        constraints = [models.UniqueConstraint(fields=["batch", "position"], name="import_file_unique_position")]

    def __str__(self) -> str:
        return self.name
