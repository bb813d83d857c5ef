"""The curation view of a document (curators and owners) and its htmx endpoints."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from apps.core.errors import error_messages
from apps.curation import services
from apps.curation.places import Strategy
from apps.curation.selectors import document_curation
from apps.documents.selectors import access_document
from apps.projects.selectors import CURATE_ROLES, Member


def _pieces(text: str, places) -> list[tuple[str, object]]:
    """The text cut at the places' edges: (piece, its place or None), in order."""
    pieces, at = [], 0
    for item in places:
        if item.place.start > at:
            pieces.append((text[at : item.place.start], None))
        pieces.append((text[item.place.start : item.place.end], item))
        at = item.place.end
    pieces.append((text[at:], None))
    return pieces


def _render(request, document, membership, *, error: str = "", status: int = 200, partial: bool = False):
    curation = document_curation(document)
    context = {
        "document": document,
        "project": document.project,
        "member": Member(membership),
        "curation": curation,
        "pieces": _pieces(document.text, curation.places),
        "strategies": [s.value for s in Strategy],
        "error": error,
    }
    template = "curation/page.html#curation" if partial else "curation/page.html"
    return render(request, template, context, status=status)


@require_GET
def curation_page(request, document_id: int):
    """The text once, each annotator's version at every place beside it, coloured by state."""
    document, membership = access_document(request.user, document_id, CURATE_ROLES)
    return _render(request, document, membership)


def _answer(request, document, membership, write):
    try:
        write()
    except ValidationError as error:
        if not request.htmx:
            return _render(request, document, membership, error=" ".join(error_messages(error)), status=400)
        return _render(request, document, membership, error=" ".join(error_messages(error)), status=422, partial=True)
    if not request.htmx:
        return redirect("curation:page", document.pk)
    return _render(request, document, membership, partial=True)


@require_POST
def curation_decide_hx(request, document_id: int):
    """A curator's choice at a place (start, end, take: an annotation id, or empty to reject every version)."""
    document, membership = access_document(request.user, document_id, CURATE_ROLES)
    take = request.POST.get("take") or None
    return _answer(
        request,
        document,
        membership,
        lambda: services.curation_decide(
            document=document,
            user=request.user,
            start=request.POST.get("start"),
            end=request.POST.get("end"),
            take=take,
        ),  # fmt: skip
    )


@require_POST
def curation_decide_event_hx(request, document_id: int):
    """A curator's choice at an event place (date, start, end, take: an event id, or empty to reject every
    version)."""
    document, membership = access_document(request.user, document_id, CURATE_ROLES)
    take = request.POST.get("take") or None
    return _answer(
        request,
        document,
        membership,
        lambda: services.curation_decide_event(
            document=document,
            user=request.user,
            date=request.POST.get("date"),
            start=request.POST.get("start"),
            end=request.POST.get("end"),
            take=take,
        ),  # fmt: skip
    )


@require_POST
def curation_merge_hx(request, document_id: int):
    """The automatic merge by the chosen strategy."""
    document, membership = access_document(request.user, document_id, CURATE_ROLES)
    minimum = request.POST.get("min") or None

    def merge():
        if minimum is not None and not (minimum.isdecimal() and minimum.isascii() and len(minimum) < 6):
            raise ValidationError({"min": "min must be a whole number of annotators (1 or more)."})
        services.curation_merge(
            document=document,
            user=request.user,
            strategy=request.POST.get("strategy", ""),
            minimum=int(minimum) if minimum else None,
            overwrite=request.POST.get("overwrite") == "1",
        )

    return _answer(request, document, membership, merge)
