from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.annotations import services as annotation_services
from apps.annotations.selectors import access_annotation
from apps.core.errors import error_messages
from apps.core.forms import add_service_errors
from apps.places import selectors, services
from apps.places.forms import PlaceForm
from apps.places.models import Place
from apps.projects.selectors import ANNOTATE_ROLES, READ_ROLES, Member, access_project
from apps.reader.answers import changed_answer, refused_answer


@require_http_methods(["GET", "POST"])
def project_places_page(request, project_id: int):
    """The project's own places, and a form (with a map to click) to add one (members who annotate)."""
    roles = ANNOTATE_ROLES if request.method == "POST" else READ_ROLES
    project, membership = access_project(request.user, project_id, roles)
    form = PlaceForm(request.POST or None, initial={"name": request.GET.get("name", "")})
    if request.method == "POST" and form.is_valid():
        try:
            place = services.place_create(project=project, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(reverse("places:place", args=[project.pk, place.pk]))
    places = selectors.places_for_project(project)
    context = {"project": project, "member": Member(membership), "form": form, "places": places}
    return render(request, "places/places.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def place_page(request, project_id: int, place_id: int):
    """A place (GeoNames or the project's) with every mention of it in the project; a project place's name,
    aliases and coordinates can be edited here."""
    roles = ANNOTATE_ROLES if request.method == "POST" else READ_ROLES
    project, membership = access_project(request.user, project_id, roles)
    place = get_object_or_404(Place, Q(project__isnull=True) | Q(project=project), pk=place_id)
    form = PlaceForm(request.POST or None, instance=place) if place.project_id else None
    if request.method == "POST":
        if form is None:
            context = {"project": project, "member": Member(membership), "place": place}
            return render(request, "places/place.html", context, status=400)
        if form.is_valid():
            try:
                services.place_update(place=place, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect(reverse("places:place", args=[project.pk, place.pk]))
    mentions = selectors.place_mentions(project, place)
    context = {"project": project, "member": Member(membership), "place": place, "form": form, "mentions": mentions}
    return render(request, "places/place.html", context, status=400 if form is not None and form.errors else 200)


@require_GET
def project_map_page(request, project_id: int):
    """Every place the project's annotations resolve to, on a map, with its count of mentions."""
    project, membership = access_project(request.user, project_id)
    places = [
        {
            "id": place.pk,
            "name": place.name,
            "country_code": place.country_code,
            "latitude": place.latitude,
            "longitude": place.longitude,
            "mentions": place.mentions,
            "url": reverse("places:place", args=[project.pk, place.pk]),
        }
        for place in selectors.mapped_places(project)
    ]
    return render(request, "places/map.html", {"project": project, "member": Member(membership), "places": places})


@require_GET
def annotation_place_candidates_hx(request, annotation_id: int):
    """The other places a resolved location annotation's quote may mean, fetched when its details ask for them."""
    annotation, membership = access_annotation(request.user, annotation_id)
    member = Member(membership)
    if not member.may_edit(annotation):
        raise PermissionDenied("Only who may edit this annotation chooses its place.")
    return render(request, "reader/normalized/_place_rechoose.html", {"annotation": annotation, "member": member})


@require_POST
def annotation_place_choose_hx(request, annotation_id: int):
    """Set a location annotation's place by hand (one of the candidates shown in its details)."""
    annotation, membership = access_annotation(request.user, annotation_id)
    document = annotation.document
    try:
        annotation = annotation_services.annotation_update(
            annotation=annotation,
            user=request.user,
            version=request.POST.get("version"),
            normalized={"place": request.POST.get("place", "")},
        )
    except (annotation_services.AnnotationConflict, annotation_services.AnnotationGone) as refused:
        return refused_answer(request, document, membership, annotation, refused)
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
        request, document, membership, span_range=(annotation.start, annotation.end), details=[annotation], saved=True
    )
