"""The reading view: its page, and its htmx endpoints (thin translations between HTTP and annotations/services.py)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.annotations import services
from apps.annotations.dependents import AnnotationInUse
from apps.annotations.models import AnnotationChange
from apps.annotations.selectors import access_annotation
from apps.core.errors import error_messages
from apps.projects.selectors import ANNOTATE_ROLES, Member, tags_for_project
from apps.reader import selectors
from apps.reader.answers import (
    changed_answer,
    in_use_answer,
    menu_error,
    refused_answer,
    span_of,
    wants_mine_only,
    with_cached_text,
)
from apps.reader.selectors import access_document_for_reading, document_for_reading


def document_read_page(request, document_id: int):
    """The reading view: the document's text in paragraph blocks, with its highlights."""
    document, membership = access_document_for_reading(request.user, document_id)
    context = selectors.reader_context(request.user, document, membership, layer=request.GET.get("layer", ""))
    return render(request, "reader/read.html", context)


@require_POST
def annotation_create_hx(request, document_id: int):
    """Create an annotation from the tag menu (start, end, quote, tag)."""
    document, membership = access_document_for_reading(request.user, document_id)
    with_cached_text(document)
    try:
        annotation = services.annotation_create(
            document=document,
            user=request.user,
            start=request.POST.get("start"),
            end=request.POST.get("end"),
            quote=request.POST.get("quote"),
            tag=request.POST.get("tag"),
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        return menu_error(request, error_messages(error), 422)
    except PermissionDenied as error:
        return menu_error(request, [str(error)], 403)
    return changed_answer(
        request,
        document,
        membership,
        span_range=(annotation.start, annotation.end),
        details=[annotation],
        created=annotation,
        changed_tags={annotation.tag_id},
        added=[annotation],
    )


@require_GET
def annotation_details_hx(request, document_id: int):
    """The details of the annotations covering a clicked highlight (?ids=3,7)."""
    document, membership = access_document_for_reading(request.user, document_id)
    parts = request.GET.get("ids", "").replace(",", " ").split()
    # isdecimal and isascii: "²".isdigit() is true but int() refuses it; 18 digits always fit a bigint.
    ids = [int(part) for part in parts if part.isdecimal() and part.isascii() and len(part) <= 18]
    annotations = selectors.annotations_by_ids(document, ids)
    context = {
        "document": document,
        "tags": tags_for_project(document.project),
        "annotations": annotations,
        "member": Member(membership),
    }
    return render(request, "reader/details.html", context)


@require_POST
def annotation_update_hx(request, annotation_id: int):
    """Retag an annotation or change its note, refusing a stale version."""
    annotation, membership = access_annotation(request.user, annotation_id)
    document = annotation.document
    previous_tag = annotation.tag_id
    try:
        annotation = services.annotation_update(
            annotation=annotation,
            user=request.user,
            version=request.POST.get("version"),
            tag=request.POST.get("tag") or None,
            note=request.POST.get("note"),
            detach=request.POST.get("detach") == "1",
        )
    except (services.AnnotationConflict, services.AnnotationGone) as refused:
        return refused_answer(request, document, membership, annotation, refused)
    except AnnotationInUse as in_use:
        return in_use_answer(request, document, membership, annotation, in_use, retag=request.POST.get("tag"))
    except ValidationError as error:
        return changed_answer(
            request,
            document,
            membership,
            span_range=(annotation.start, annotation.end),
            details=[annotation],
            errors=error_messages(error),
        )
    return changed_answer(
        request,
        document,
        membership,
        span_range=(annotation.start, annotation.end),
        details=[annotation],
        changed_tags={previous_tag, annotation.tag_id},
        saved=True,
    )


@require_POST
def annotation_delete_hx(request, annotation_id: int):
    """Delete an annotation; the answer offers to undo (restore it: see annotation_restore_hx)."""
    annotation, membership = access_annotation(request.user, annotation_id)
    document = annotation.document
    try:
        services.annotation_delete(
            annotation=annotation,
            user=request.user,
            version=request.POST.get("version"),
            detach=request.POST.get("detach") == "1",
        )
    except (services.AnnotationConflict, services.AnnotationGone) as refused:
        return refused_answer(request, document, membership, annotation, refused)
    except AnnotationInUse as in_use:
        return in_use_answer(request, document, membership, annotation, in_use)
    return changed_answer(
        request,
        document,
        membership,
        span_range=(annotation.start, annotation.end),
        details=[],
        changed_tags={annotation.tag_id},
        deleted=annotation,
        deleted_id=annotation_id,
    )


@require_POST
def annotation_restore_hx(request, annotation_id: int):
    """Undo a delete: restore the annotation as it was (same id and author), for its deleter or an owner."""
    deletion = AnnotationChange.objects.filter(pgh_obj_id=annotation_id, pgh_label="delete").order_by("-pgh_id")
    document_id = deletion.values_list("document_id", flat=True).first()
    if document_id is None:
        raise Http404("No such deleted annotation.")
    document, membership = access_document_for_reading(request.user, document_id)
    try:
        annotation = services.annotation_restore(annotation_id=annotation_id, user=request.user)
    except services.AnnotationGone as gone:
        return changed_answer(request, document, membership, span_range=(0, 0), details=[], conflict=str(gone))
    except ValidationError as error:
        return changed_answer(
            request, document, membership, span_range=(0, 0), details=[], errors=error_messages(error)
        )
    return changed_answer(
        request,
        document,
        membership,
        span_range=(annotation.start, annotation.end),
        details=[annotation],
        changed_tags={annotation.tag_id},
        added=[annotation],
        restored=True,
    )


@require_http_methods(["GET", "POST"])
def annotation_occurrences_hx(request, annotation_id: int):
    """GET: the offer to tag the other occurrences, with their count (fetched after a create, so searching a long
    text does not slow the highlight down). POST: tag every other occurrence of the annotation's text with its tag."""
    annotation, membership = access_annotation(request.user, annotation_id)
    with_cached_text(annotation.document)
    if request.method == "GET":
        count = len(services.occurrences_untagged(annotation)) if membership.role in ANNOTATE_ROLES else 0
        context = {"annotation": annotation, "occurrences": count, "limit": settings.ANNOTATION_TAG_ALL_MAX}
        return render(request, "reader/occurrences.html", context)
    created = services.annotation_tag_occurrences(annotation=annotation, user=request.user)
    span = span_of([annotation, *created])
    return changed_answer(
        request,
        annotation.document,
        membership,
        span_range=span,
        details=[annotation],
        changed_tags={annotation.tag_id},
        added=created,
        tagged_occurrences=len(created),
    )


@require_GET
def annotation_panel_hx(request, document_id: int):
    """The side panel's annotation list, everyone's or only mine (?mine=1)."""
    document = document_for_reading(request.user, document_id)
    mine_only = wants_mine_only(request)
    tags = list(tags_for_project(document.project))
    panel = selectors.annotation_panel(
        document, tags, annotator=request.user if mine_only else None, revision=document.annotations_revision
    )
    return render(
        request, "reader/read.html#annotation-list", {"document": document, "panel": panel, "mine_only": mine_only}
    )


@require_GET
def document_text_hx(request, document_id: int):
    """The whole highlighted text and the annotation list, to see colleagues' new work without a reload."""
    document, membership = access_document_for_reading(request.user, document_id)
    context = selectors.reader_context(
        request.user, document, membership, mine_only=wants_mine_only(request), layer=request.GET.get("layer", "")
    )
    return render(request, "reader/refreshed.html", context)
