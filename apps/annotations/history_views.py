"""Annotation history: the details panel's history list, and the owners' page of deleted annotations."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from apps.annotations import history_selectors, services
from apps.core.errors import Conflict
from apps.documents.selectors import access_document
from apps.projects.models import Role
from apps.projects.selectors import Member, access_project


@require_GET
def annotation_history_hx(request, annotation_id: int):
    """An annotation's history, loaded when its History list is opened; any member may see it."""
    history = history_selectors.history_for_member(request.user, annotation_id)  # deleted ones' too
    return render(request, "annotations/history.html", {"history": history})


@require_GET
def deleted_annotations_page(request, document_id: int):
    """A document's deleted annotations with their history and Restore buttons; project owners only."""
    document, _ = access_document(request.user, document_id, (Role.OWNER,))
    context = {
        "document": document,
        "project": document.project,
        "deleted": history_selectors.deleted_annotations(document),
    }
    return render(request, "annotations/deleted.html", context)


@require_GET
def project_deleted_annotations_page(request, project_id: int):
    """Every deleted annotation of the project, with who deleted it and when; any member may see it, owners get
    Restore buttons."""
    project, membership = access_project(request.user, project_id)
    context = {
        "project": project,
        "member": Member(membership),
        "deleted": history_selectors.deleted_annotations_in_project(project),
    }
    return render(request, "annotations/project_deleted.html", context)


@require_POST
def annotation_restore_view(request, document_id: int, annotation_id: int):
    """Restore a deleted annotation and go back to the list of deleted ones (owners: the reading view's Undo is
    where whoever deleted it restores it)."""
    access_document(request.user, document_id, (Role.OWNER,))
    try:
        annotation = services.annotation_restore(annotation_id=annotation_id, user=request.user)
    except (ValidationError, Conflict) as error:
        messages.error(request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))
    else:
        messages.success(request, f"Restored “{annotation.quote[:60]}” ({annotation.tag.label}).")
    return redirect("history:deleted", document_id)
