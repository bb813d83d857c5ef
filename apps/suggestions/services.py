"""Writes for suggestions: proposing them for a document (kept, so their ids stay), accepting (the tagging service,
with origin `suggestion`), rejecting, and clearing a project's rejections."""

from bisect import bisect_left
from dataclasses import dataclass
from threading import Lock

from cachetools import LRUCache
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from apps.annotations.models import Annotation, Origin
from apps.annotations.services import AnnotationsRefused, NewAnnotation, annotations_create_many
from apps.documents.models import Document
from apps.projects.models import Project, TagKind
from apps.quantities.grammar import find_quantities
from apps.reader.selectors import document_text
from apps.suggestions import matching, selectors
from apps.suggestions.models import Rejection, Source, Status, Suggestion


@dataclass(frozen=True)
class _Prepared:
    marked: matching.MarkedText
    quantities: list[tuple[int, int]]  # sorted
    quantity_starts: list[int]


_prepared: LRUCache = LRUCache(maxsize=32)
_prepared_lock = Lock()


def _prepared_text(document: Document, text: str) -> _Prepared:
    """The text with its word edges marked, and the quantity grammar's spans in it, once per document text in this
    process: the grammar is the slow source (seconds on a 1 MB text), and a document's text does not change."""
    key = (document.pk, document.content_hash)
    with _prepared_lock:
        prepared = _prepared.get(key)
    if prepared is None:
        quantities = sorted(find_quantities(text))
        prepared = _Prepared(matching.MarkedText.of(text), quantities, [start for start, _ in quantities])
        with _prepared_lock:
            _prepared[key] = prepared
    return prepared


# Keeps every proposed span once per (document, tag, start, end), in one statement; rows already there (open or
# decided) keep their id and their fate.
INSERT_SQL = """
INSERT INTO suggestions_suggestion (created, modified, document_id, tag_id, start, "end", quote, source, score, status)
SELECT now(), now(), %(document)s, new.tag_id, new.start, new.stop, new.quote, new.source, new.score, 'open'
FROM unnest(%(tags)s::bigint[], %(starts)s::int[], %(ends)s::int[], %(quotes)s::text[], %(sources)s::text[],
    %(scores)s::float8[]) AS new(tag_id, start, stop, quote, source, score)
ON CONFLICT (document_id, tag_id, start, "end") DO NOTHING
RETURNING tag_id, start, "end", id
"""
# A reader decides suggestions from the top; past this many, a long text's later ones wait for a later read.
MAX_SUGGESTIONS = 2000
WINDOW = 20_000  # characters of text matched at a time, until MAX_SUGGESTIONS are found


def document_candidates(
    document: Document, text: str, wanted=lambda candidate: True, limit: int | None = None
) -> tuple[list[matching.Candidate], dict[int, str]]:
    """The spans to propose in the text, in reading order: every source's, less rejected (text, tag) and spans
    overlapping an annotation of the same tag; the text is read piece by piece until `limit` candidates pass
    `wanted`. And the project's tag slugs by id."""
    project_id = document.project_id
    vocabulary = matching.vocabulary_for(
        project_id, selectors.vocabulary_version(project_id), lambda: selectors.project_terms(project_id)
    )
    terms: selectors.ProjectTerms = vocabulary.source
    prepared = _prepared_text(document, text)
    quantity_tag = terms.kind_tags.get(TagKind.QUANTITY)
    coverage = matching.Coverage(
        Annotation.objects.filter(document_id=document.pk).values_list("tag_id", "start", "end")
    )
    kept: list[matching.Candidate] = []
    for window in matching.windows(prepared.marked, WINDOW):
        found = matching.automaton_candidates(vocabulary.automaton, text, prepared.marked, window)
        if quantity_tag is not None:
            low, high = (prepared.marked.original(edge) for edge in window)
            index = bisect_left(prepared.quantity_starts, low)
            while index < len(prepared.quantities) and prepared.quantities[index][0] < high:
                start, end = prepared.quantities[index]
                found.append(matching.Candidate(start, end, quantity_tag, Source.QUANTITY, matching.SCORE_QUANTITY))
                index += 1
        found = [c for c in found if (text[c.start : c.end], c.tag_id) not in terms.rejected]
        kept.extend(c for c in coverage.free(matching.resolve(found)) if wanted(c))
        if limit is not None and len(kept) >= limit:
            break
    return kept[:limit], terms.slugs


@transaction.atomic
def document_suggestions(document: Document) -> list[dict]:
    """The open suggestions for the document in reading order (the first MAX_SUGGESTIONS: the rest come as those
    are decided), each kept with a stable id the first time it is proposed (a span once accepted or rejected is not
    proposed again); as the API shows them."""
    text = document_text(document)
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT tag_id, start, "end", id, status FROM suggestions_suggestion WHERE document_id = %s', [document.pk]
        )
        kept = {(tag_id, start, end): (pk, status) for tag_id, start, end, pk, status in cursor.fetchall()}
        shown, slugs = document_candidates(
            document,
            text,
            wanted=lambda c: kept.get((c.tag_id, c.start, c.end), (0, Status.OPEN))[1] == Status.OPEN,
            limit=MAX_SUGGESTIONS,
        )
        new = [c for c in shown if (c.tag_id, c.start, c.end) not in kept]
        if new:
            cursor.execute(
                INSERT_SQL,
                {
                    "document": document.pk,
                    "tags": [c.tag_id for c in new],
                    "starts": [c.start for c in new],
                    "ends": [c.end for c in new],
                    "quotes": [text[c.start : c.end] for c in new],
                    "sources": [c.source for c in new],
                    "scores": [c.score for c in new],
                },
            )
            kept.update({(tag_id, start, end): (pk, Status.OPEN) for tag_id, start, end, pk in cursor.fetchall()})
    return [
        {
            "id": kept[(c.tag_id, c.start, c.end)][0],
            "start": c.start,
            "end": c.end,
            "quote": text[c.start : c.end],
            "tag": slugs[c.tag_id],
            "source": c.source,
            "score": round(c.score, 3),
        }
        for c in shown
        if (c.tag_id, c.start, c.end) in kept
    ]


def _locked_open(suggestion: Suggestion) -> Suggestion:
    current = Suggestion.objects.select_for_update().filter(pk=suggestion.pk).first()
    if current is None or current.status != Status.OPEN:
        state = "gone" if current is None else current.status
        raise ValidationError({"id": f"Suggestion {suggestion.pk} is no longer open ({state})."})
    return current


def _create(user, suggestions: list[Suggestion], tag) -> list[Annotation]:
    items = [
        NewAnnotation(
            document=s.document_id, start=s.start, end=s.end, tag=tag or s.tag, quote=s.quote, origin=Origin.SUGGESTION
        )
        for s in suggestions
    ]
    try:
        return annotations_create_many(user=user, items=items)
    except AnnotationsRefused as refused:
        raise refused.as_django_error() from refused


@transaction.atomic
def suggestion_accept(*, user, suggestion: Suggestion, tag: str | None = None) -> Annotation:
    """Tag the suggested span (under `tag`, a slug, if given, else the suggested tag) with the tagging service,
    origin `suggestion`; ValidationError when the suggestion is no longer open or the tag is not the project's."""
    current = _locked_open(suggestion)
    (annotation,) = _create(user, [current], tag)
    Suggestion.objects.filter(pk=current.pk).update(status=Status.ACCEPTED, annotation=annotation, decided_by=user)
    return annotation


@transaction.atomic
def suggestion_accept_same(*, user, suggestion: Suggestion) -> list[Annotation]:
    """Accept the suggestion and every other open one of the same text and tag in its document."""
    current = _locked_open(suggestion)
    same = list(
        Suggestion.objects.select_for_update()
        .filter(document_id=current.document_id, tag_id=current.tag_id, quote=current.quote, status=Status.OPEN)
        .select_related("tag")
        .order_by("start")
    )
    annotations = _create(user, same, None)
    for row, annotation in zip(same, annotations, strict=True):
        row.status, row.annotation, row.decided_by = Status.ACCEPTED, annotation, user
    Suggestion.objects.bulk_update(same, ["status", "annotation", "decided_by"])
    return annotations


@transaction.atomic
def suggestion_reject(*, user, suggestion: Suggestion) -> Rejection:
    """Reject the suggestion: its text is not proposed with its tag again in the project (until the list is
    cleared)."""
    current = _locked_open(suggestion)
    Suggestion.objects.filter(pk=current.pk).update(status=Status.REJECTED, decided_by=user)
    rejection, _ = Rejection.objects.get_or_create(
        project_id=suggestion.document.project_id,
        tag_id=current.tag_id,
        text=current.quote,
        defaults={"rejected_by": user},
    )
    return rejection


@transaction.atomic
def rejections_clear(*, project: Project) -> int:
    """Forget the project's rejections: their texts are proposed again, rejected spans included (they count as
    open again in the quality report). Returns how many were cleared."""
    cleared, _ = Rejection.objects.filter(project=project).delete()
    Suggestion.objects.filter(document__project=project, status=Status.REJECTED).update(
        status=Status.OPEN, decided_by=None
    )
    return cleared
