"""Writes for annotations. Every rule about spans lives here; the reading view and the API both call these."""

import functools
import json
import re
from dataclasses import dataclass, field

import pghistory
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.functions import Now
from django.http import Http404
from django.utils import timezone

from apps.annotations.dependents import dependents_settle
from apps.annotations.history_selectors import last_changed_by
from apps.annotations.models import Annotation, AnnotationChange, Origin
from apps.annotations.normalizers import NORMALIZED_FIELDS, reading_by_hand, readings_apply
from apps.core.db import PreparedStatement
from apps.core.errors import Conflict
from apps.documents.models import Document
from apps.projects.models import Role, Tag
from apps.projects.selectors import ANNOTATE_ROLES, Member, require_role


class AnnotationConflict(Conflict):
    """Someone changed the annotation after this edit was started (stale version); the message names who made
    that last change (from the history), not the annotation's author."""

    field = "version"

    def __init__(self, annotation: Annotation):
        who = last_changed_by(annotation.pk) or "Someone"
        super().__init__(
            f"{who} changed this annotation first (now version {annotation.version}); "
            "your change was not saved. Review it and try again."
        )
        self.current = annotation

    def payload(self) -> dict:
        return {**super().payload(), "current_version": self.current.version}


class AnnotationGone(Conflict):
    """The annotation was deleted (or restored) by someone else while this write was under way."""

    field = "annotation"

    def __init__(self, annotation_id: int, what: str):
        who = last_changed_by(annotation_id) or "Someone"
        super().__init__(f"{who} {what} this annotation meanwhile; your change was not saved.")
        self.annotation_id = annotation_id


@dataclass(frozen=True)
class SpanSpec:
    """A validated, whitespace-trimmed span of a document's text."""

    start: int
    end: int
    quote: str


def span_offsets(start, end) -> tuple[int, int]:
    """The offsets as whole numbers, or a ValidationError naming `start`."""
    try:
        return int(start), int(end)
    except (TypeError, ValueError) as error:
        raise ValidationError({"start": "start and end must be whole numbers."}) from error


QUOTE_SHOWN = 80  # characters of the text quoted back in an error


def span_check(*, length: int, selected: str, start: int, end: int, quote: str | None = None) -> SpanSpec:
    """The span rule, given the text's length in code points and `text[start:end]` (read in Python or in SQL):
    offsets in range, the quote (if sent) equal to the selection, and the selection trimmed of surrounding
    whitespace, which must leave something."""
    if start < 0:
        raise ValidationError({"start": f"start must be 0 or more (got {start})."})
    if end > length:
        raise ValidationError({"end": f"end {end} is past the end of the text ({length} characters)."})
    if start >= end:
        raise ValidationError({"end": f"The span is empty: end ({end}) must be greater than start ({start})."})
    if quote is not None and quote != "" and selected != quote:
        shown = selected if len(selected) <= QUOTE_SHOWN else selected[: QUOTE_SHOWN - 1] + "…"
        raise ValidationError(
            {"quote": f"The quote does not match the text at {start}–{end} (the text there is {shown!r})."}
        )
    stripped = selected.strip()
    if not stripped:
        raise ValidationError({"quote": "The selection holds only whitespace."})
    start += len(selected) - len(selected.lstrip())
    return SpanSpec(start, start + len(stripped), stripped)


def may_edit(membership, annotation: Annotation) -> bool:
    """The editing rule (projects.selectors.Member.may_edit): owners change any annotation, annotators only their
    own, viewers none."""
    return Member(membership).may_edit(annotation)


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


def tag_for_document(document: Document, tag) -> Tag:
    """The project's tag given as a Tag or a slug; ValidationError when it is not in the project's tag set."""
    slug = tag.slug if isinstance(tag, Tag) else str(tag or "")
    found = Tag.objects.filter(project_id=document.project_id, slug=slug).first()
    if found is None or (isinstance(tag, Tag) and tag.project_id != document.project_id):
        raise ValidationError({"tag": f"“{slug}” is not a tag of project {document.project}."})
    return found


@dataclass(frozen=True)
class NewAnnotation:
    """One span to create: its document (an id), offsets in code points (end exclusive), its tag (a slug, or a Tag),
    and optionally a note and the quote the client saw (refused when it differs from the text)."""

    document: int
    start: int
    end: int
    tag: str | Tag
    note: str = ""
    quote: str | None = None
    origin: str = Origin.MANUAL


class AnnotationsRefused(Exception):
    """Some of the items cannot be created, so none was: `errors` maps an item's index to {field: [messages]};
    `denied` holds the indexes refused for the user's role (rather than for their content)."""

    def __init__(self, errors: dict[int, dict[str, list[str]]], denied: set[int]):
        super().__init__(f"{len(errors)} item(s) refused.")
        self.errors = dict(sorted(errors.items()))
        self.denied = denied

    def as_django_error(self) -> Exception:
        """The first refusal as the error a single write raises (PermissionDenied or ValidationError)."""
        index, fields = next(iter(self.errors.items()))
        if index in self.denied:
            return PermissionDenied(fields["document"][0])
        return ValidationError(fields)


# Up to this many spans of one document are cut from its text one by one (substr scans the text for each);
# beyond it, the text is cut once into pieces of CHUNK code points and each span read from the one or two it covers.
DIRECT_SPANS = 8
CHUNK = 255  # the longest repetition PostgreSQL's regular expressions allow
# Past the end of any text, and still a bigint: larger numbers sent by a client are clamped to it.
OFFSET_CEILING = 2**62

# Tag columns in the model's field order, so a row's tag part becomes a Tag without another query.
TAG_ATTNAMES = [field.attname for field in Tag._meta.concrete_fields]
TAG_COLUMNS = ", ".join(f'tag."{field.column}"' for field in Tag._meta.concrete_fields)
TAG_PK = TAG_ATTNAMES.index(Tag._meta.pk.attname)

# One query for every span of a write: each document once (project, the user's role, length in code points),
# text[start:end] of each span read by PostgreSQL (whose length and substr count code points, like Lector's offsets),
# and the tag named by its slug in the document's project. FOR KEY SHARE keeps the documents and tags from being
# deleted before the annotations are committed.
SPANS_SQL = f"""
WITH span AS (
    SELECT * FROM unnest(
        %(items)s::int[], %(documents)s::bigint[], %(starts)s::bigint[], %(ends)s::bigint[], %(slugs)s::text[]
    ) AS span(item, document_id, start, stop, slug)
), document AS MATERIALIZED (
    SELECT document.id, document.project_id, project.name AS project_name, membership.role, document.text,
        length(document.text) AS length,
        CASE WHEN membership.role = ANY(%(roles)s)
            AND (SELECT count(*) FROM span WHERE span.document_id = document.id) > {DIRECT_SPANS}
        THEN ARRAY(
            SELECT chunk.piece[1]
            FROM regexp_matches(document.text, '.{{1,{CHUNK}}}', 'g') WITH ORDINALITY AS chunk(piece, number)
            ORDER BY chunk.number
        ) END AS pieces
    FROM documents_document document
    JOIN projects_project project ON project.id = document.project_id
    LEFT JOIN projects_membership membership
        ON membership.project_id = document.project_id AND membership.user_id = %(user)s
    WHERE document.id IN (SELECT document_id FROM span)
    FOR KEY SHARE OF document
)
SELECT span.item, document.project_id, document.project_name, document.role, document.length,
    CASE WHEN document.role = ANY(%(roles)s) AND 0 <= span.start AND span.start < span.stop
        AND span.stop <= document.length
    THEN CASE WHEN document.pieces IS NULL
        THEN substr(document.text, span.start::int + 1, (span.stop - span.start)::int)
        ELSE substr(
            array_to_string(
                document.pieces[(span.start / {CHUNK})::int + 1 : ((span.stop - 1) / {CHUNK})::int + 1], ''
            ),
            (span.start %% {CHUNK})::int + 1,
            (span.stop - span.start)::int
        )
    END END AS selected,
    {TAG_COLUMNS}
FROM span JOIN document ON document.id = span.document_id
LEFT JOIN LATERAL (
    SELECT * FROM projects_tag tag
    WHERE tag.project_id = document.project_id AND tag.slug = span.slug AND document.role = ANY(%(roles)s)
    FOR KEY SHARE
) tag ON TRUE
"""


SPANS_STATEMENT = PreparedStatement("lector_annotation_spans", SPANS_SQL)


@dataclass(frozen=True)
class _SpanRow:
    project_id: int
    project_name: str
    role: str | None
    length: int
    selected: str | None
    tag: Tag | None  # the one its slug names in the document's project


@dataclass(frozen=True)
class _Checked:
    document_id: int
    start: int
    end: int
    slug: str | None  # None when the item gives a Tag


def _spans_read(user, checked: dict[int, _Checked]) -> dict[int, _SpanRow]:
    """Each item's row (items whose document does not exist are left out)."""
    params = {
        "items": list(checked),
        "documents": [item.document_id for item in checked.values()],
        "starts": [max(-1, min(item.start, OFFSET_CEILING)) for item in checked.values()],
        "ends": [max(-1, min(item.end, OFFSET_CEILING)) for item in checked.values()],
        "slugs": [item.slug for item in checked.values()],
        "roles": [str(role) for role in ANNOTATE_ROLES],
        "user": user.pk,
    }
    tags: dict[int, Tag] = {}  # one Tag object for all the annotations that have it
    rows = {}
    with connection.cursor() as cursor:
        SPANS_STATEMENT.execute(cursor, params)
        for item, project_id, project_name, role, length, selected, *tag_values in cursor.fetchall():
            tag_id = tag_values[TAG_PK]
            if tag_id is not None and tag_id not in tags:
                tags[tag_id] = Tag.from_db(connection.alias, TAG_ATTNAMES, tag_values)
            rows[item] = _SpanRow(project_id, project_name, role, length, selected, tags.get(tag_id))
    return rows


def _span_read_checked(user, document_id: int, start, end, quote: str | None = None) -> SpanSpec:
    """One span of a document the user may annotate, checked against its text in SQL."""
    start, end = span_offsets(start, end)
    row = _spans_read(user, {0: _Checked(document_id, start, end, None)}).get(0)
    if row is None or row.role is None:
        raise Http404("No such document.")
    if row.role not in ANNOTATE_ROLES:
        raise PermissionDenied(f"Your role ({row.role}) cannot do this in {row.project_name}.")
    return span_check(length=row.length, selected=row.selected, start=start, end=end, quote=quote)


def _create_many(user, items: list[NewAnnotation]) -> list[Annotation]:
    if not items:
        return []
    errors: dict[int, dict[str, list[str]]] = {}
    denied: set[int] = set()
    numbered, bad_offsets = {}, {}
    for index, item in enumerate(items):
        try:
            document_id = int(item.document)
            if not 0 < document_id < OFFSET_CEILING:
                raise ValueError(document_id)
        except (TypeError, ValueError):
            errors[index] = {"document": [f"“{item.document}” is not a document id."]}
            continue
        slug = None if isinstance(item.tag, Tag) else str(item.tag or "")
        try:
            numbered[index] = _Checked(document_id, *span_offsets(item.start, item.end), slug)
        except ValidationError as error:  # reported after the role: a viewer learns nothing from a bad span
            numbered[index] = _Checked(document_id, -1, -1, slug)
            bad_offsets[index] = error.message_dict
    rows = _spans_read(user, numbered)
    new = []
    for index, wanted in numbered.items():
        row, item = rows.get(index), items[index]
        if row is None or row.role is None:
            message = f"Document {wanted.document_id} does not exist or is not in one of your projects."
            errors[index] = {"document": [message]}
            continue
        if row.role not in ANNOTATE_ROLES:
            errors[index] = {"document": [f"Your role ({row.role}) cannot do this in {row.project_name}."]}
            denied.add(index)
            continue
        problems = dict(bad_offsets.get(index, {}))
        if not problems:
            try:
                span = span_check(
                    length=row.length, selected=row.selected, start=wanted.start, end=wanted.end, quote=item.quote
                )
            except ValidationError as error:
                problems = error.message_dict
        tag = row.tag if wanted.slug is not None else item.tag
        if tag is None or tag.project_id != row.project_id:
            name = item.tag.slug if wanted.slug is None else wanted.slug
            problems["tag"] = [f"“{name}” is not a tag of project {row.project_name}."]
        if "\x00" in (item.note or ""):  # PostgreSQL text cannot hold it
            problems["note"] = ["The note contains a NUL character."]
        if problems:
            errors[index] = problems
            continue
        new.append(
            Annotation(
                document_id=wanted.document_id, tag=tag, start=span.start, end=span.end, quote=span.quote,
                note=item.note, annotator=user, origin=item.origin,
            )
        )  # fmt: skip
    if errors:
        raise AnnotationsRefused(errors, denied)
    readings_apply(new)
    return _inserted(new)


# The insert of a create, prepared like the span check: PostgreSQL plans it once per connection, and Python builds no
# statement. Its rows go in the order given, as Django's own bulk_create relies on for RETURNING.
INSERT_STATEMENT = PreparedStatement(
    "lector_annotation_insert",
    """
INSERT INTO annotations_annotation
    (created, modified, document_id, tag_id, start, "end", quote, note, annotator_id, version, origin, normalized,
    normalized_by_hand, place_id, entity_id)
SELECT %(now)s::timestamptz, %(now)s::timestamptz, new.document_id, new.tag_id, new.start, new.stop, new.quote,
    new.note, %(user)s::bigint, 1, new.origin, new.normalized::jsonb, FALSE, new.place_id, new.entity_id
FROM unnest(%(documents)s::bigint[], %(tags)s::bigint[], %(starts)s::int[], %(ends)s::int[], %(quotes)s::text[],
    %(notes)s::text[], %(origins)s::text[], %(normalized)s::text[], %(places)s::bigint[], %(entities)s::bigint[])
    AS new(document_id, tag_id, start, stop, quote, note, origin, normalized, place_id, entity_id)
RETURNING id
""",
)


def _inserted(annotations: list[Annotation]) -> list[Annotation]:
    """Insert the checked annotations in one statement; they come back saved, with their ids and times."""
    now = timezone.now()
    params = {
        "now": now,
        "user": annotations[0].annotator_id,
        "documents": [a.document_id for a in annotations],
        "tags": [a.tag_id for a in annotations],
        "starts": [a.start for a in annotations],
        "ends": [a.end for a in annotations],
        "quotes": [a.quote for a in annotations],
        "notes": [a.note for a in annotations],
        "origins": [a.origin for a in annotations],
        "normalized": [None if a.normalized is None else json.dumps(a.normalized) for a in annotations],
        "places": [a.place_id for a in annotations],
        "entities": [a.entity_id for a in annotations],
    }
    with connection.cursor() as cursor:
        INSERT_STATEMENT.execute(cursor, params)
        ids = [pk for (pk,) in cursor.fetchall()]
    for annotation, pk in zip(annotations, ids, strict=True):
        annotation.pk, annotation.created, annotation.modified, annotation.version = pk, now, now, 1
        annotation._state.adding, annotation._state.db = False, connection.alias
    return annotations


@recorded
@transaction.atomic
def annotations_create_many(*, user, items: list[NewAnnotation]) -> list[Annotation]:
    """Create the items' annotations in one statement, all or nothing (AnnotationsRefused names each bad item).

    Never reads a document's text into Python: each document is read once, in SQL, for the offsets and quotes of
    all its spans; each project's role and tags once. Spans are trimmed of surrounding whitespace."""
    return _create_many(user, items)


@recorded
@transaction.atomic
def annotation_create(
    *, document: Document | int, user, start, end, tag, note: str = "", quote: str | None = None
) -> Annotation:
    """Tag text[start:end] of the document (a Document or its id); the span is trimmed of surrounding whitespace.
    ValidationError names the bad field (`document` when the user may not see it); PermissionDenied for viewers."""
    item = NewAnnotation(
        document=document.pk if isinstance(document, Document) else document,
        start=start, end=end, tag=tag, note=note, quote=quote,
    )  # fmt: skip
    try:
        (annotation,) = _create_many(user, [item])
    except AnnotationsRefused as refused:
        raise refused.as_django_error() from None
    if isinstance(document, Document):
        annotation.document = document
    return annotation


def _locked_current(annotation: Annotation, version) -> Annotation:
    try:
        version = int(version)
    except (TypeError, ValueError) as error:
        raise ValidationError({"version": "version must be a whole number."}) from error
    # of=self: FOR UPDATE on the joined annotator too would block (and deadlock) their concurrent creates.
    current = (
        Annotation.objects.select_for_update(of=("self",))
        .select_related("annotator", "tag")
        .filter(pk=annotation.pk)
        .first()
    )
    if current is None:
        raise AnnotationGone(annotation.pk, "deleted")
    if current.version != version:
        raise AnnotationConflict(current)
    return current


@recorded
@transaction.atomic
def annotation_update(
    *,
    annotation: Annotation,
    user,
    version,
    tag=None,
    note: str | None = None,
    start=None,
    end=None,
    detach: bool = False,
    **normalized,
) -> Annotation:
    """Retag, change the note, move the offsets, or set the normalised value by hand (`normalized=` as the tag's
    kind takes it, or None to go back to the automatic reading); refused with AnnotationConflict when `version` is
    stale. A move or retag reads the span again unless its value was set by hand; it is refused with
    AnnotationInUse while other objects (events) use the span, unless `detach` takes it out of them."""
    require_can_edit(user, annotation)
    current = _locked_current(annotation, version)
    before = (current.start, current.end, current.tag_id)
    fields = ["version", "modified"]
    if start is not None or end is not None:
        span = _span_read_checked(
            user, annotation.document_id, current.start if start is None else start, current.end if end is None else end
        )
        current.start, current.end, current.quote = span.start, span.end, span.quote
        fields += ["start", "end", "quote"]
    if tag is not None:
        current.tag = tag_for_document(annotation.document, tag)
        fields.append("tag")
    if (current.start, current.end, current.tag_id) != before:  # what the objects built on the span read
        dependents_settle([current.pk], detach=detach)
    if note is not None:
        current.note = note
        fields.append("note")
    if "normalized" in normalized:
        reading_by_hand(current, normalized.pop("normalized"))
        fields += NORMALIZED_FIELDS
    elif "tag" in fields or "start" in fields:
        readings_apply([current])
        fields += NORMALIZED_FIELDS
    if normalized:
        raise TypeError(f"Unexpected arguments: {', '.join(normalized)}")
    current.version += 1
    current.save(update_fields=fields)
    return (
        Annotation.objects.select_related("tag", "annotator", "document__project")
        .defer("document__text", "document__search_vector")
        .get(pk=current.pk)
    )


@recorded
@transaction.atomic
def annotation_delete(*, annotation: Annotation, user, version=None, detach: bool = False) -> None:
    """Delete an annotation; with `version`, refuse when someone changed it meanwhile. Refused with AnnotationInUse
    while other objects (events) use it, unless `detach` takes it out of them."""
    require_can_edit(user, annotation)
    if version is not None:
        _locked_current(annotation, version)
    dependents_settle([annotation.pk], detach=detach)
    annotation.delete()


def may_restore(membership, deletion: AnnotationChange) -> bool:
    """The undo rule: owners restore any deleted annotation; whoever deleted one may restore it while the editing
    rule still lets them change it (an annotator their own, never a viewer)."""
    if membership is None or membership.role not in ANNOTATE_ROLES:
        return False
    if membership.role == Role.OWNER:
        return True
    deleted_by = (deletion.pgh_context.metadata if deletion.pgh_context_id else {}).get("user")
    return deleted_by == membership.user_id and deletion.annotator_id == membership.user_id


@recorded
@transaction.atomic
def annotation_restore(*, user, event_id: int | None = None, annotation_id: int | None = None) -> Annotation:
    """Re-create a deleted annotation (same id, document, offsets, tag, note and annotator), recorded as a restore;
    for project owners, and for whoever deleted it (see `may_restore`). AnnotationGone when it is back already."""
    deletions = (
        AnnotationChange.objects.filter(pgh_label="delete")
        .select_related("document__project", "pgh_context")
        .defer("document__text", "document__search_vector")
    )
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
    membership = require_role(user, document.project, ANNOTATE_ROLES)
    if not may_restore(membership, deletion):
        raise PermissionDenied("Only a project owner, or whoever deleted it, can restore this annotation.")
    if Annotation.objects.filter(pk=deletion.pgh_obj_id).exists():
        raise AnnotationGone(deletion.pgh_obj_id, "restored")
    tag = Tag.objects.filter(pk=deletion.tag_id, project_id=document.project_id).first()
    if tag is None:
        raise ValidationError({"tag": "Its tag has been removed from the project, so it cannot be restored."})
    span = _span_read_checked(user, document.pk, deletion.start, deletion.end, deletion.quote)
    try:
        # A savepoint: a concurrent restore of the same annotation waits on the primary key, then fails here.
        with transaction.atomic(), pghistory.context(action="restore"):
            restored = Annotation(
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
                origin=deletion.origin,
                normalized=deletion.normalized,
                normalized_by_hand=deletion.normalized_by_hand and _keys_exist(deletion),
                place_id=deletion.place_id,
                entity_id=deletion.entity_id,
            )
            readings_apply([restored])
            restored.save(force_insert=True)
            return restored
    except IntegrityError:
        raise AnnotationGone(deletion.pgh_obj_id, "restored") from None


def _keys_exist(deletion: AnnotationChange) -> bool:
    """Whether the place and actor a deleted annotation pointed to are still there."""
    for name in ("place", "entity"):
        pk = getattr(deletion, f"{name}_id")
        if pk is not None and not Annotation._meta.get_field(name).related_model.objects.filter(pk=pk).exists():
            return False
    return True


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
    """Tag the other exact occurrences of the annotation's text with the same tag, in one transaction: the first
    settings.ANNOTATION_TAG_ALL_MAX of them (in text order); asking again tags the next ones."""
    require_role(user, annotation.document.project, ANNOTATE_ROLES)
    spans = occurrences_untagged(annotation)[: settings.ANNOTATION_TAG_ALL_MAX]
    items = [
        NewAnnotation(
            document=annotation.document_id,
            start=start,
            end=end,
            tag=annotation.tag,
            quote=annotation.quote,
            origin=Origin.TAG_ALL,
        )
        for start, end in spans
    ]
    try:
        return _create_many(user, items)
    except AnnotationsRefused as refused:
        raise refused.as_django_error() from None


@dataclass
class AnnotationImport:
    """What an import did (or, on errors or a dry run, would have done)."""

    created: int = 0
    documents_created: int = 0
    errors: list[str] = field(default_factory=list)
    unknown_tags: set[str] = field(default_factory=set)


def _import_document(project, user, record, report: AnnotationImport, known: set[int]) -> int | None:
    """The id of the record's document: one of the project's, or created from the record's text."""
    from apps.documents.importers import normalize_text
    from apps.documents.services import DuplicateDocument, document_create

    if record.document_id is not None:
        if record.document_id not in known:
            report.errors.append(f"{record.where}: document {record.document_id} is not in project {project}.")
            return None
        return record.document_id
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
        return duplicate.existing.pk
    except ValidationError as error:
        report.errors.append(f"{record.where}: {'; '.join(error.messages)}")
        return None
    report.documents_created += 1
    return document.pk


@recorded
def annotations_import(*, project, user, records, dry_run: bool = False) -> AnnotationImport:
    """Create the records' documents and annotations, all or nothing; unknown tags are reported, never created."""
    require_role(user, project, ANNOTATE_ROLES)
    report = AnnotationImport()
    tags = {}
    for tag in Tag.objects.filter(project=project):
        tags[tag.slug.lower()] = tags[tag.label.lower()] = tag
    wanted = {record.document_id for record in records if record.document_id is not None}
    known = set(
        Document.objects.filter(project=project, pk__in=[pk for pk in wanted if 0 < pk < OFFSET_CEILING]).values_list(
            "pk", flat=True
        )
    )
    with transaction.atomic():
        items, places = [], []
        for record in records:
            document_id = _import_document(project, user, record, report, known)
            if document_id is None:
                continue
            for span in record.spans:
                tag = tags.get(span.tag.strip().lower())
                if tag is None:
                    report.unknown_tags.add(span.tag)
                    report.errors.append(f"{span.where or record.where}: unknown tag “{span.tag}”.")
                    continue
                items.append(
                    NewAnnotation(
                        document=document_id,
                        start=span.start,
                        end=span.end,
                        tag=tag,
                        note=span.note,
                        quote=span.quote,
                        origin=Origin.IMPORT,
                    )
                )
                places.append(span.where or record.where)
        try:
            report.created = len(_create_many(user, items))
        except AnnotationsRefused as refused:
            report.created = len(items) - len(refused.errors)
            for index, fields in refused.errors.items():
                messages = [message for field_messages in fields.values() for message in field_messages]
                report.errors.append(f"{places[index]}: {'; '.join(messages)}")
        if report.errors or dry_run:
            transaction.set_rollback(True)
    return report


class TagInUse(Conflict):
    """Annotations appeared with the tag while it was being deleted."""

    field = "action"


@transaction.atomic
def tag_delete(*, tag: Tag, user, retag_to: Tag | None = None, delete_annotations: bool = False) -> int:
    """Delete a tag; its annotations are retagged to `retag_to` or deleted, as the owner chose. Returns their count."""
    require_role(user, tag.project, [Role.OWNER])
    # FOR UPDATE waits for the creates holding the tag FOR KEY SHARE, so the count below sees their annotations,
    # and makes new creates wait for this delete (and then find the tag gone).
    if not Tag.objects.select_for_update().filter(pk=tag.pk).exists():
        raise ValidationError({"tag": "This tag has been deleted already."})
    annotations = Annotation.objects.filter(tag=tag)
    count = annotations.count()
    if count and retag_to is None and not delete_annotations:
        raise ValidationError({"action": f"{count} annotations use this tag: retag them or delete them."})
    if retag_to is not None:
        if retag_to.project_id != tag.project_id or retag_to.pk == tag.pk:
            raise ValidationError({"retag_to": "Choose another tag of this project."})
        # A new version, so an edit started before the retag is refused as stale rather than undoing it.
        renewed = list(annotations.values_list("pk", flat=True)) if retag_to.kind != tag.kind else []
        annotations.update(tag=retag_to, version=F("version") + 1, modified=Now())
        _readings_renew(Annotation.objects.filter(pk__in=renewed))
    else:
        annotations.delete()
    try:
        with transaction.atomic():
            tag.delete()
    except IntegrityError:  # the tag's lock should prevent it; never a 500 if a write still slipped through
        raise TagInUse(
            f"Annotations were tagged “{tag.label}” while it was being deleted; nothing was changed. Try again."
        ) from None
    return count


def _readings_renew(annotations) -> None:
    """Read the annotations again after a change of their tag's kind (not those whose value was set by hand)."""
    renewed = list(annotations.filter(normalized_by_hand=False).select_related("tag"))
    readings_apply(renewed)
    Annotation.objects.bulk_update(renewed, NORMALIZED_FIELDS, batch_size=1000)
