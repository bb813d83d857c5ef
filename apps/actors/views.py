"""The actor register's pages, and the htmx forms of an actor span's details (thin translations to services.py)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.actors import services
from apps.actors.forms import EntityForm
from apps.actors.models import Entity
from apps.actors.selectors import access_entity, entity_mentions, register_for_project
from apps.annotations import services as annotation_services
from apps.annotations.selectors import access_annotation
from apps.core.errors import error_messages
from apps.core.forms import add_service_errors
from apps.projects.selectors import ANNOTATE_ROLES, READ_ROLES, Member, access_project, tags_for_project

OWNER_ONLY = "Only a project owner can delete or merge entities."


@require_http_methods(["GET", "POST"])
def register_page(request, project_id: int):
    """The project's actors: search them; annotators and owners add one."""
    roles = ANNOTATE_ROLES if request.method == "POST" else READ_ROLES
    project, membership = access_project(request.user, project_id, roles)
    form = EntityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entity = services.entity_create(project=project, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Added “{entity.name}” to the register.")
            return redirect("actors:register", project_id=project.pk)
    q = request.GET.get("q", "").replace("\x00", "")
    context = {
        "project": project,
        "member": Member(membership),
        "form": form,
        "q": q,
        "entities": register_for_project(project, q),
    }
    return render(request, "actors/register.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def entity_page(request, entity_id: int):
    """An entity: its names, every mention across the project with its context; annotators and owners edit it,
    owners merge or delete it."""
    roles = ANNOTATE_ROLES if request.method == "POST" else READ_ROLES
    entity, membership = access_entity(request.user, entity_id, roles)
    initial = {"name": entity.name, "type": entity.type, "aliases": entity.aliases}
    form = EntityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entity = services.entity_update(entity=entity, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect("actors:entity", entity_id=entity.pk)
    context = {
        "project": entity.project,
        "entity": entity,
        "member": Member(membership),
        "form": form,
        "mentions": entity_mentions(entity, request.GET.get("page", 1)),
        "others": Entity.objects.filter(project_id=entity.project_id).exclude(pk=entity.pk),
    }
    return render(request, "actors/entity.html", context, status=400 if form.errors else 200)


@require_POST
def entity_merge_view(request, entity_id: int):
    """Merge this entity into another (owners)."""
    entity, membership = access_entity(request.user, entity_id, ANNOTATE_ROLES)
    if not Member(membership).is_owner:
        raise PermissionDenied(OWNER_ONLY)
    try:
        kept = services.entity_merge(entity=entity, into=request.POST.get("into"), user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("actors:entity", entity_id=entity.pk)
    messages.success(request, f"Merged “{entity.name}” into “{kept.name}”.")
    return redirect("actors:entity", entity_id=kept.pk)


@require_POST
def entity_delete_view(request, entity_id: int):
    """Remove the entity from the register (owners); its mentions become unresolved."""
    entity, membership = access_entity(request.user, entity_id, ANNOTATE_ROLES)
    if not Member(membership).is_owner:
        raise PermissionDenied(OWNER_ONLY)
    services.entity_delete(entity=entity, user=request.user)
    messages.success(request, f"Deleted “{entity.name}”.")
    return redirect("actors:register", project_id=entity.project_id)


def _details(request, annotation_id: int, membership, **extra):
    """The details panel of the annotation as it is now."""
    annotation, _ = access_annotation(request.user, annotation_id)
    context = {
        "document": annotation.document,
        "tags": tags_for_project(annotation.document.project),
        "annotations": [annotation],
        "member": Member(membership),
        **extra,
    }
    return render(request, "reader/details.html", context, status=409 if extra.get("conflict") else 200)


@require_GET
def annotation_entity_choices_hx(request, annotation_id: int):
    """The other entities a linked actor span may mean, fetched when its details ask for them."""
    annotation, membership = access_annotation(request.user, annotation_id, ANNOTATE_ROLES)
    member = Member(membership)
    if not member.may_edit(annotation):
        raise PermissionDenied("Only who may edit this annotation links it to an actor.")
    return render(request, "reader/normalized/_actor_choices.html", {"annotation": annotation, "member": member})


@require_POST
def annotation_entity_hx(request, annotation_id: int):
    """Link an actor span to an entity of the register (`entity`), or to a new one named by its text (`name`,
    `type`); the other unlinked spans with that name follow."""
    annotation, membership = access_annotation(request.user, annotation_id, ANNOTATE_ROLES)
    if request.POST.get("entity"):
        normalized = {"entity": request.POST["entity"]}
    else:
        normalized = {"entity": {"name": request.POST.get("name", ""), "type": request.POST.get("type", "")}}
    try:
        annotation = annotation_services.annotation_update(
            annotation=annotation, user=request.user, version=request.POST.get("version"), normalized=normalized
        )
        services.entity_link_unlinked(entity=annotation.entity, user=request.user)
    except (annotation_services.AnnotationConflict, annotation_services.AnnotationGone) as refused:
        return _details(request, annotation_id, membership, conflict=str(refused))
    except ValidationError as error:
        return _details(request, annotation_id, membership, errors=error_messages(error))
    return _details(request, annotation_id, membership, saved=True)


@require_POST
def annotation_alias_hx(request, annotation_id: int):
    """Add an actor span's text to an entity's aliases (annotators and owners): the span, and every other unlinked
    one with that text, links to it."""
    annotation, membership = access_annotation(request.user, annotation_id, ANNOTATE_ROLES)
    entity = Entity.objects.filter(
        project_id=annotation.document.project_id, pk=services.entity_id_from(request.POST.get("entity"))
    ).first()
    if entity is None:
        return _details(request, annotation_id, membership, errors=["entity: Choose an entity of this project."])
    try:
        services.entity_update(entity=entity, user=request.user, aliases=[*entity.aliases, annotation.quote])
    except ValidationError as error:
        return _details(request, annotation_id, membership, errors=error_messages(error))
    return _details(request, annotation_id, membership, saved=True)
