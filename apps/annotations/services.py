"""Writes for annotations. Every rule about spans lives here; the reading view and the API both call these."""

import functools
import re
from dataclasses import dataclass, field

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from apps.annotations.models import Annotation, AnnotationChange
from apps.documents.models import Document
from apps.projects.models import Role, Tag
from apps.projects.selectors import ANNOTATE_ROLES, require_role


class AnnotationConflict(Exception):
    """Someone changed the annotation after this edit was started (stale version)."""

    def __init__(self, annotation: Annotation):
        super().__init__(
            f"{annotation.annotator} changed this annotation first (now version {annotation.version}); "
            "your change was not saved. Review it and try again."
        )
        self.current = annotation


@dataclass(frozen=True)
class SpanSpec:
    """A validated, whitespace-trimmed span of a document's text."""

    start: int
    end: int
    quote: str


def span_validate(*, text: str, start, end, quote: str | None = None) -> SpanSpec:
    """Check offsets (code points, end exclusive) and the quote against the text; trim surrounding whitespace."""
    try:
        start, end = int(start), int(end)
    except (TypeError, ValueError) as error:
        raise ValidationError({"start": "start and end must be whole numbers."}) from error
    if start < 0:
        raise ValidationError({"start": f"start must be 0 or more (got {start})."})
    if end > len(text):
        raise ValidationError({"end": f"end {end} is past the end of the text ({len(text)} characters)."})
    if start >= end:
        raise ValidationError({"end": f"The span is empty: end ({end}) must be greater than start ({start})."})
    if quote is not None and quote != "" and text[start:end] != quote:
        raise ValidationError(
            {"quote": f"The quote does not match the text at {start}–{end} (the text there is {text[start:end]!r})."}
        )
    selected = text[start:end]
    stripped = selected.strip()
    if not stripped:
        raise ValidationError({"quote": "The selection holds only whitespace."})
    start += len(selected) - len(selected.lstrip())
    end -= len(selected) - len(selected.rstrip())
    return SpanSpec(start, end, text[start:end])


def tag_for_document(document: Document, tag) -> Tag:
    """The project's tag given as a Tag or a slug; ValidationError when it is not in the project's tag set."""
    slug = tag.slug if isinstance(tag, Tag) else str(tag or "")
    found = Tag.objects.filter(project_id=document.project_id, slug=slug).first()
    if found is None or (isinstance(tag, Tag) and tag.project_id != document.project_id):
        raise ValidationError({"tag": f"“{slug}” is not a tag of project {document.project}."})
    return found


def may_edit(membership, annotation: Annotation) -> bool:
    """The editing rule: owners change any annotation, annotators only their own, viewers none."""
    if membership is None or membership.role not in ANNOTATE_ROLES:
        return False
    return membership.role == Role.OWNER or annotation.annotator_id == membership.user_id


def require_can_edit(user, annotation: Annotation) -> None:
    """PermissionDenied unless `may_edit` allows the user to change the annotation (404 for non-members)."""
    membership = require_role(user, annotation.document.project, ANNOTATE_ROLES)
    if not may_edit(membership, annotation):
        raise PermissionDenied("Only its author or a project owner can change this annotation.")


def recorded(service):
    """Run a service inside a history context naming its user; the triggers store it with each change."""

    @functools.wraps(service)
    def wrapper(*args, user, **kwargs):
        # The request middleware cannot see API token users (DRF authenticates in the view) or commands.
        with pghistory.context(user=user.pk):
            return service(*args, user=user, **kwargs)

    return wrapper


@recorded
@transaction.atomic
def annotation_create(*, document: Document, user, start, end, tag, note: str = "", quote: str | None = None):
    """Tag text[start:end] of the document; the span is trimmed of surrounding whitespace."""
    require_role(user, document.project, ANNOTATE_ROLES)
    span = span_validate(text=document.text, start=start, end=end, quote=quote)
    tag = tag_for_document(document, tag)
    return Annotation.objects.create(
        document=document, tag=tag, start=span.start, end=span.end, quote=span.quote, note=note, annotator=user
    )


def _locked_current(annotation: Annotation, version) -> Annotation:
    current = Annotation.objects.select_for_update().select_related("annotator").get(pk=annotation.pk)
    try:
        version = int(version)
    except (TypeError, ValueError) as error:
        raise ValidationError({"version": "version must be a whole number."}) from error
    if current.version != version:
        raise AnnotationConflict(current)
    return current


@recorded
@transaction.atomic
def annotation_update(
    *, annotation: Annotation, user, version, tag=None, note: str | None = None, start=None, end=None
) -> Annotation:
    """Retag, change the note or move the offsets; refused with AnnotationConflict when `version` is stale."""
    require_can_edit(user, annotation)
    current = _locked_current(annotation, version)
    fields = ["version", "modified"]
    if start is not None or end is not None:
        span = span_validate(
            text=annotation.document.text,
            start=current.start if start is None else start,
            end=current.end if end is None else end,
        )
        current.start, current.end, current.quote = span.start, span.end, span.quote
        fields += ["start", "end", "quote"]
    if tag is not None:
        current.tag = tag_for_document(annotation.document, tag)
        fields.append("tag")
    if note is not None:
        current.note = note
        fields.append("note")
    current.version += 1
    current.save(update_fields=fields)
    return Annotation.objects.select_related("tag", "annotator", "document__project").get(pk=current.pk)


@recorded
@transaction.atomic
def annotation_delete(*, annotation: Annotation, user, version=None) -> None:
    """Delete an annotation; with `version`, refuse when someone changed it meanwhile."""
    require_can_edit(user, annotation)
    if version is not None:
        _locked_current(annotation, version)
    annotation.delete()


@recorded
@transaction.atomic
def annotation_restore(*, user, event_id: int | None = None, annotation_id: int | None = None) -> Annotation:
    """Re-create a deleted annotation (same id, document, offsets, tag, note and annotator); project owners only."""
    deletions = AnnotationChange.objects.filter(pgh_label="delete").select_related("document__project")
    if event_id is not None:
        deletions = deletions.filter(pgh_id=event_id)
    elif annotation_id is not None:
        deletions = deletions.filter(pgh_obj_id=annotation_id)
    else:
        raise TypeError("Give event_id or annotation_id.")
    deletion = deletions.order_by("-pgh_id").first()  # the join drops it when its document is gone too
    if deletion is None:
        raise Http404("No such deleted annotation.")
    document = deletion.document
    require_role(user, document.project, (Role.OWNER,))
    if Annotation.objects.filter(pk=deletion.pgh_obj_id).exists():
        raise ValidationError({"annotation": "This annotation is not deleted (it was restored already)."})
    tag = Tag.objects.filter(pk=deletion.tag_id, project_id=document.project_id).first()
    if tag is None:
        raise ValidationError({"tag": "Its tag has been removed from the project, so it cannot be restored."})
    span = span_validate(text=document.text, start=deletion.start, end=deletion.end, quote=deletion.quote)
    return Annotation.objects.create(
        pk=deletion.pgh_obj_id,
        document=document,
        tag=tag,
        start=span.start,
        end=span.end,
        quote=span.quote,
        note=deletion.note,
        annotator_id=deletion.annotator_id,
        # Above the deleted version, so an edit started before the delete is refused as stale.
        version=deletion.version + 1,
    )


def occurrences_untagged(annotation: Annotation) -> list[tuple[int, int]]:
    """Other whole-word, exact occurrences of the annotation's quote not yet tagged with its tag."""
    text = annotation.document.text
    quote = annotation.quote
    left = r"(?<!\w)" if quote[0].isalnum() or quote[0] == "_" else ""
    right = r"(?!\w)" if quote[-1].isalnum() or quote[-1] == "_" else ""
    pattern = re.compile(left + re.escape(quote) + right)
    matches = []
    position = 0
    while match := pattern.search(text, position):
        matches.append((match.start(), match.end()))
        position = match.start() + 1
    tagged = Annotation.objects.filter(document_id=annotation.document_id, tag_id=annotation.tag_id)
    if len(matches) <= 500:  # a short IN list beats reading every span of the tag
        tagged = tagged.filter(start__in={start for start, _ in matches})
    taken = set(tagged.values_list("start", "end"))
    return [span for span in matches if span not in taken]


@recorded
@transaction.atomic
def annotation_tag_occurrences(*, annotation: Annotation, user) -> list[Annotation]:
    """Tag every other exact occurrence of the annotation's text with the same tag, in one transaction."""
    require_role(user, annotation.document.project, ANNOTATE_ROLES)
    return Annotation.objects.bulk_create(
        Annotation(
            document_id=annotation.document_id,
            tag_id=annotation.tag_id,
            start=start,
            end=end,
            quote=annotation.quote,
            annotator=user,
        )
        for start, end in occurrences_untagged(annotation)
    )


@dataclass
class AnnotationImport:
    """What an import did (or, on errors or a dry run, would have done)."""

    created: int = 0
    documents_created: int = 0
    errors: list[str] = field(default_factory=list)
    unknown_tags: set[str] = field(default_factory=set)


def _import_document(project, user, record, report: AnnotationImport) -> Document | None:
    from apps.documents.importers import normalize_text
    from apps.documents.services import DuplicateDocument, document_create

    if record.document_id is not None:
        document = Document.objects.filter(project=project, pk=record.document_id).first()
        if document is None:
            report.errors.append(f"{record.where}: document {record.document_id} is not in project {project}.")
        return document
    if not record.text.startswith(normalize_text(record.text)):
        report.errors.append(
            f"{record.where}: the text has carriage returns or control characters before its end; "
            "its offsets would not match the stored text."
        )
        return None
    title = record.title or normalize_text(record.text).split("\n", 1)[0][:80]
    try:
        document = document_create(project=project, user=user, title=title or "Untitled", text=record.text)
    except DuplicateDocument as duplicate:
        return duplicate.existing
    except ValidationError as error:
        report.errors.append(f"{record.where}: {'; '.join(error.messages)}")
        return None
    report.documents_created += 1
    return document


@recorded
def annotations_import(*, project, user, records, dry_run: bool = False) -> AnnotationImport:
    """Create the records' documents and annotations, all or nothing; unknown tags are reported, never created."""
    require_role(user, project, ANNOTATE_ROLES)
    report = AnnotationImport()
    tags = {}
    for tag in Tag.objects.filter(project=project):
        tags[tag.slug.lower()] = tags[tag.label.lower()] = tag
    with transaction.atomic():
        new = []
        for record in records:
            document = _import_document(project, user, record, report)
            if document is None:
                continue
            for span in record.spans:
                tag = tags.get(span.tag.strip().lower())
                if tag is None:
                    report.unknown_tags.add(span.tag)
                    report.errors.append(f"{record.where}: unknown tag “{span.tag}”.")
                    continue
                try:
                    valid = span_validate(text=document.text, start=span.start, end=span.end, quote=span.quote)
                except ValidationError as error:
                    report.errors.append(f"{record.where}: {'; '.join(error.messages)}")
                    continue
                new.append(
                    Annotation(
                        document=document, tag=tag, start=valid.start, end=valid.end, quote=valid.quote,
                        note=span.note, annotator=user,
                    )
                )  # fmt: skip
        report.created = len(Annotation.objects.bulk_create(new, batch_size=2000))
        if report.errors or dry_run:
            transaction.set_rollback(True)
    return report
