"""Writes for documents: create, import (paste, files, command), edit metadata."""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.documents.importers import ImportFileError, ParsedDocument, normalize_text, parse_file
from apps.documents.models import Document
from apps.projects.models import Project


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
    """Store one document; raises ValidationError for bad fields and DuplicateDocument for a re-import."""
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


@dataclass
class ImportReport:
    """What a batch import did, file by file."""

    imported: list[Document] = field(default_factory=list)
    duplicates: list[tuple[str, Document]] = field(default_factory=list)
    errors: list[ImportFileError] = field(default_factory=list)

    def merge(self, other: "ImportReport") -> None:
        self.imported += other.imported
        self.duplicates += other.duplicates
        self.errors += other.errors


def document_import_parsed(*, project: Project, user, source_name: str, parsed: ParsedDocument) -> ImportReport:
    """Import one parsed document, reporting a duplicate or an invalid field instead of raising."""
    report = ImportReport()
    try:
        report.imported.append(
            document_create(
                project=project,
                user=user,
                title=parsed.title,
                text=parsed.text,
                source_url=parsed.source_url,
                author=parsed.author,
                published=parsed.published,
            )
        )
    except DuplicateDocument as duplicate:
        report.duplicates.append((source_name, duplicate.existing))
    except ValidationError as error:
        reasons = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in error.message_dict.items())
        report.errors.append(ImportFileError(source_name, reasons))
    return report


def document_import_file(*, project: Project, user, filename: str, data: bytes) -> ImportReport:
    """Import every document of one file (.txt, .md, .html, .jsonl); a bad file is reported, never raised."""
    report = ImportReport()
    try:
        parsed_documents = parse_file(filename, data)
    except ImportFileError as error:
        report.errors.append(error)
        return report
    for index, parsed in enumerate(parsed_documents, start=1):
        name = filename if len(parsed_documents) == 1 else f"{filename} #{index}"
        report.merge(document_import_parsed(project=project, user=user, source_name=name, parsed=parsed))
    return report


def document_import_files(*, project: Project, user, files: list[tuple[str, bytes]]) -> ImportReport:
    """Import a batch of files; each document is saved on its own, so one bad file never costs the others."""
    report = ImportReport()
    for filename, data in files:
        report.merge(document_import_file(project=project, user=user, filename=filename, data=data))
    return report


@transaction.atomic
def document_update_metadata(
    *, document: Document, title: str, source_url: str, author: str, published: datetime.date | None
) -> Document:
    """Edit a document's title and metadata; the text never changes, since annotations point into it."""
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
    from apps.projects.models import Role
    from apps.projects.selectors import require_role

    require_role(user, document.project, [Role.OWNER])
    document.delete()
