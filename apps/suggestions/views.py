"""The suggestion quality page, the clearing of rejections, and the reading view's accept (an htmx fragment, drawn
like a tag made from the menu)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from apps.core.errors import error_messages
from apps.projects.selectors import ANNOTATE_ROLES, Member, access_project
from apps.reader.answers import changed_answer, menu_error, span_of, with_cached_text
from apps.suggestions import selectors, services


@require_GET
def quality_page(request, project_id: int):
    """What became of the project's suggestions per source, and its rejected texts (with a way to clear them)."""
    project, membership = access_project(request.user, project_id)
    context = {
        "project": project,
        "member": Member(membership),
        "sources": selectors.suggestion_quality(project),
        "rejections": selectors.rejections_in_project(project),
    }
    return render(request, "suggestions/quality.html", context)


@require_POST
def rejections_clear(request, project_id: int):
    """Forget the project's rejections, then back to the quality page."""
    project, _ = access_project(request.user, project_id, roles=ANNOTATE_ROLES)
    services.rejections_clear(project=project)
    return redirect("suggestions:quality", project_id=project.pk)


@require_POST
def suggestion_accept_hx(request, document_id: int, suggestion_id: int):
    """Accept a suggestion from the reading view (`tag` to accept it under another tag, `same=1` for every open
    suggestion of its text and tag): answered like a tag from the menu."""
    suggestion = selectors.access_suggestion(request.user, suggestion_id, roles=ANNOTATE_ROLES)
    if suggestion.document_id != document_id:
        raise Http404("No such suggestion.")
    document = with_cached_text(suggestion.document)
    _, membership = access_project(request.user, document.project_id, roles=ANNOTATE_ROLES)
    try:
        if request.POST.get("same") == "1":
            created = services.suggestion_accept_same(user=request.user, suggestion=suggestion)
        else:
            tag = request.POST.get("tag") or None
            created = [services.suggestion_accept(user=request.user, suggestion=suggestion, tag=tag)]
    except ValidationError as error:
        return menu_error(request, error_messages(error), 422)
    except PermissionDenied as error:
        return menu_error(request, [str(error)], 403)
    return changed_answer(
        request,
        document,
        membership,
        span_range=span_of(created),
        details=created[:1],
        changed_tags={annotation.tag_id for annotation in created},
        added=created,
    )
