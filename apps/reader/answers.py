"""The reading view's answers to a write, shared by every app whose htmx endpoints change annotations in it (the
reader, places, quantities, suggestions): the details panel, plus out of band the paragraphs and list groups that
changed."""

from django.shortcuts import render
from django_htmx.http import retarget

from apps.annotations import services
from apps.annotations.dependents import AnnotationInUse
from apps.annotations.models import Annotation
from apps.annotations.selectors import annotation_for_member
from apps.projects.selectors import Member, tags_for_project
from apps.reader import selectors


def with_cached_text(document):
    """The document, with its text from this process's cache (apps/reader/selectors.py) for the services that read
    it, instead of 1 MB read again from PostgreSQL on every tag."""
    document.text = selectors.document_text(document)
    return document


def menu_error(request, messages: list[str], status: int):
    response = render(request, "reader/menu_error.html", {"messages": messages}, status=status)
    return retarget(response, "#tag-menu-error")


def wants_mine_only(request) -> bool:
    return request.POST.get("mine", request.GET.get("mine")) == "1"


def changed_answer(
    request, document, membership, *, span_range, details: list[Annotation], changed_tags=(), added=(), **extra
):
    """Answer a write: the details panel, plus out of band the affected blocks and the list groups of the changed
    tags (only those: on a long document the whole list is the larger part of the answer). A group whose list
    shows none of the `added` annotations (new ones) and already ended in "the first N of M" answers with its count
    and that line alone."""
    tags = list(tags_for_project(document.project))
    mine_only = wants_mine_only(request)
    layer = selectors.layer_annotator(request.user, document.project, request.POST.get("layer", ""))
    groups = selectors.annotation_panel(
        document, [tag for tag in tags if tag.id in set(changed_tags)], annotator=request.user if mine_only else None
    )
    context = {
        "document": document,
        "tags": tags,
        "annotations": details,
        "blocks": selectors.changed_blocks(document, touching=span_range, annotator=layer),
        "groups": groups,
        "count_only_tags": {group.tag.id for group in groups if _only_count_changed(group, added)},
        "member": Member(membership),
        **extra,
    }
    refused = extra.get("conflict") or extra.get("in_use")
    return render(request, "reader/changed.html", context, status=409 if refused else 200)


def _only_count_changed(group: selectors.TagGroup, added) -> bool:
    new = {annotation.pk for annotation in added if annotation.tag_id == group.tag.id}
    listed = {entry["id"] for entry in group.annotations}
    return bool(new) and not new & listed and group.count - len(new) > len(listed)


def span_of(annotations) -> tuple[int, int]:
    return min(a.start for a in annotations), max(a.end for a in annotations)


def refused_answer(request, document, membership, annotation, refused):
    """The answer to an edit or delete refused because someone changed the annotation first (AnnotationConflict:
    the details as they are now) or deleted it (AnnotationGone): the message, and the blocks and list groups it
    touches redrawn."""
    if isinstance(refused, services.AnnotationConflict):
        current = annotation_for_member(request.user, annotation.pk)
        span_range, details, tags = (current.start, current.end), [current], {annotation.tag_id, current.tag_id}
    else:
        span_range, details, tags = (annotation.start, annotation.end), [], {annotation.tag_id}
    return changed_answer(
        request, document, membership, span_range=span_range, details=details, changed_tags=tags, conflict=str(refused)
    )


def in_use_answer(request, document, membership, annotation, in_use: AnnotationInUse, retag: str | None = None):
    """A retag or delete of a span that events use: they are named first, with the offer to take the span out of
    them and go on (`retag`: the tag the refused edit asked for, with its note)."""
    return changed_answer(
        request, document, membership, span_range=(annotation.start, annotation.end), details=[annotation],
        in_use=in_use, in_use_annotation=annotation, in_use_retag=retag, in_use_note=request.POST.get("note"),
    )  # fmt: skip
