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
