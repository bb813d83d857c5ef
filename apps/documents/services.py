"""Writes for documents: create (a pasted text, the API), edit metadata, delete. Batch imports: import_batches.py."""

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.documents.importers import normalize_text
from apps.documents.models import Document
from apps.projects.models import Project, Role
from apps.projects.selectors import ANNOTATE_ROLES, require_role


def content_hash(text: str) -> str:
    """SHA-256 hex digest of a normalised text: the identity used to spot duplicates."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class DuplicateDocument(Exception):
    """The project already holds a document with exactly this text."""

    def __init__(self, existing: Document):
        super().__init__(f"already imported as “{existing.title}”")
        self.existing = existing


@transaction.atomic
def document_create(
    *,
    project: Project,
    user,
    title: str,
    text: str,
    source_url: str = "",
    author: str = "",
    published: datetime.date | None = None,
) -> Document:
    """Store one document; raises ValidationError for bad fields and DuplicateDocument for a re-import.

    Raises PermissionDenied unless the user may import into the project (annotators and owners), Http404 for
    non-members."""
    require_role(user, project, ANNOTATE_ROLES)
    text = normalize_text(text)
    title = title.strip()
    errors = {}
    if not text:
        errors["text"] = "The text is empty."
    if not title:
        errors["title"] = "A title is required."
    if errors:
        raise ValidationError(errors)
    digest = content_hash(text)
    existing = Document.objects.filter(project=project, content_hash=digest).first()
    if existing is not None:
        raise DuplicateDocument(existing)
    document = Document(
        project=project,
        title=title[:300],
        text=text,
        source_url=source_url,
        author=author[:300],
        published=published,
        content_hash=digest,
        imported_by=user,
    )
    document.full_clean(exclude=["search_vector", "imported_by", "project"])
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError as error:  # a concurrent import of the same text won the race
        raise DuplicateDocument(Document.objects.get(project=project, content_hash=digest)) from error
    return document


@transaction.atomic
def document_update_metadata(
    *, document: Document, user, title: str, source_url: str, author: str, published: datetime.date | None
) -> Document:
    """Edit a document's title and metadata; the text never changes, since annotations point into it.

    Raises PermissionDenied unless the user is an annotator or owner of the project, Http404 for non-members."""
    require_role(user, document.project, ANNOTATE_ROLES)
    document.title = title.strip()
    document.source_url = source_url.strip()
    document.author = author.strip()
    document.published = published
    document.full_clean(exclude=["search_vector", "imported_by", "project", "text", "content_hash"])
    document.save(update_fields=["title", "source_url", "author", "published", "modified"])
    return document


@transaction.atomic
def document_delete(*, document: Document, user) -> None:
    """Delete a document and its annotations; only a project owner may."""
    require_role(user, document.project, [Role.OWNER])
    document.delete()
