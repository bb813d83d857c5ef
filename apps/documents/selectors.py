"""Reads for documents, always scoped to the projects the user belongs to."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Count, F, JSONField, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone

from apps.documents.models import SEARCH_CONFIG, Document, ImportBatch, ImportFile
from apps.projects.models import Membership, Project
from apps.projects.selectors import READ_ROLES, access_object, projects_visible_to

SORTS = {
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
    "published": (F("published").asc(nulls_last=True), "id"),
    "-published": (F("published").desc(nulls_last=True), "-id"),
    "created": ("created", "id"),
    "-created": ("-created", "-id"),
}
DEFAULT_SORT = "-created"


def documents_visible_to(user) -> QuerySet[Document]:
    """Documents of every project the user is a member of."""
    return Document.objects.filter(project__in=projects_visible_to(user))


def document_list(*, project: Project, query: str = "", sort: str = DEFAULT_SORT) -> QuerySet[Document]:
    """A project's documents with annotation counts, full-text filtered by `query`; ranked when searching."""
    documents = (
        Document.objects.filter(project=project)
        .defer("text", "search_vector")
        .annotate(annotation_count=Count("annotations"))
    )
    query = query.strip()
    if query:
        documents = document_search(documents, query)
        if sort not in SORTS or sort == DEFAULT_SORT:
            return documents.order_by("-rank", "-id")
    return documents.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))


def document_for_reader(user, document_id: int) -> Document:
    """The document if the user may read its project, else 404."""
    document = documents_visible_to(user).select_related("project", "imported_by").filter(pk=document_id).first()
    if document is None:
        raise Http404("No such document.")
    return document


def access_document(
    user, document_id: int, roles: Iterable[str] = READ_ROLES, *, documents: QuerySet[Document] | None = None
) -> tuple[Document, Membership]:
    """The document (with its project and importer) and the user's membership, in one query; 404 for non-members,
    403 for a role not in `roles`. `documents` narrows what is read of the document (deferred fields, annotations)."""
    if documents is None:
        documents = Document.objects.all()
    return access_object(
        documents.select_related("project", "imported_by"),
        user,
        document_id,
        project_path="project",
        roles=roles,
        missing="No such document.",
    )


# The document's annotation counts by tag slug, as one JSON object computed in the same query.
ANNOTATION_COUNTS_SQL = """
SELECT COALESCE(jsonb_object_agg(tag.slug, counted.n), '{}'::jsonb)
FROM (
    SELECT annotation.tag_id, count(*) AS n FROM annotations_annotation annotation
    WHERE annotation.document_id = documents_document.id AND NOT annotation.curated GROUP BY annotation.tag_id
) counted JOIN projects_tag tag ON tag.id = counted.tag_id
"""


def with_annotation_counts(documents: QuerySet[Document]) -> QuerySet[Document]:
    """Add `annotation_counts` ({tag slug: count}) to each document without a query per document."""
    return documents.annotate(annotation_counts=RawSQL(ANNOTATION_COUNTS_SQL, [], output_field=JSONField()))


def document_search(documents: QuerySet[Document], query: str) -> QuerySet[Document]:
    """Full-text search (websearch syntax) over title and text, best matches first."""
    search = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    return documents.filter(search_vector=search).annotate(rank=SearchRank(F("search_vector"), search))


def import_batches_visible_to(user) -> QuerySet[ImportBatch]:
    """Import batches of every project the user is a member of."""
    return ImportBatch.objects.filter(project__in=projects_visible_to(user))


def import_batch_for_member(user, batch_id: int) -> ImportBatch:
    """A batch with its project, or 404 for a non-member."""
    batch = import_batches_visible_to(user).select_related("project", "user").filter(pk=batch_id).first()
    if batch is None:
        raise Http404("No such import.")
    return batch


def import_batch_files(batch: ImportBatch) -> QuerySet[ImportFile]:
    """The batch's files in upload order, without their stored bytes."""
    return batch.files.defer("data").order_by("position")


def import_batch_is_stalled(batch: ImportBatch) -> bool:
    """True when a running batch has stored no progress for LECTOR_IMPORT_STALLED_SECONDS (its worker has died)."""
    if batch.state != ImportBatch.State.RUNNING or batch.progressed is None:
        return False
    return timezone.now() - batch.progressed > datetime.timedelta(seconds=settings.LECTOR_IMPORT_STALLED_SECONDS)


def recent_import_batches(project: Project, limit: int = 5) -> QuerySet[ImportBatch]:
    """The project's latest batches, for the import page."""
    return ImportBatch.objects.filter(project=project).select_related("user").order_by("-created", "-id")[:limit]
