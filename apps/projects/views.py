from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.annotations import services as annotation_services
from apps.core.errors import Conflict
from apps.core.forms import add_service_errors
from apps.projects import services
from apps.projects.forms import MemberForm, ProjectForm, ProjectSettingsForm, TagDeleteForm, TagEditForm, TagForm
from apps.projects.guidelines import render_guidelines
from apps.projects.models import Membership, Role, Tag
from apps.projects.selectors import Member, access_project, project_list_for

OWNER = [Role.OWNER]


@require_GET
def project_list_page(request):
    """The projects the user belongs to."""
    return render(request, "projects/list.html", {"projects": project_list_for(request.user)})


@require_http_methods(["GET", "POST"])
def project_create_page(request):
    """Create a project; its creator owns it and it starts with the default tag set."""
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        project = services.project_create(owner=request.user, **form.cleaned_data)
        messages.success(request, f"Created “{project.name}”. Import documents, or invite colleagues in Members.")
        return redirect("documents:list", project_id=project.pk)
    return render(request, "projects/form.html", {"form": form, "project": None}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def project_settings_page(request, project_id: int):
    """Rename the project, describe it and write its guidelines (owners)."""
    project, _ = access_project(request.user, project_id, OWNER)
    form = ProjectSettingsForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        services.project_update(project=project, user=request.user, **form.cleaned_data)
        messages.success(request, "Saved.")
        return redirect("projects:settings", project_id=project.pk)
    return render(request, "projects/form.html", {"form": form, "project": project}, status=400 if form.errors else 200)


@require_POST
def project_delete(request, project_id: int):
    """Delete the project and everything in it (owners, after typing its name)."""
    project, _ = access_project(request.user, project_id, OWNER)
    try:
        services.project_delete(project=project, user=request.user, confirm_name=request.POST.get("confirm_name", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("projects:settings", project_id=project.pk)
    messages.success(request, f"Deleted the project “{project.name}”.")
    return redirect("projects:list")


@require_GET
def project_guidelines_page(request, project_id: int):
    """The project's annotation guidelines and tag descriptions, for every member."""
    project, membership = access_project(request.user, project_id)
    context = {
        "project": project,
        "member": Member(membership),
        "guidelines": render_guidelines(project.guidelines),
        "tags": project.tags.all(),
    }
    return render(request, "projects/guidelines.html", context)


@require_http_methods(["GET", "POST"])
def project_members_page(request, project_id: int):
    """Add members by username with a role, change roles, remove members (owners)."""
    project, _ = access_project(request.user, project_id, OWNER)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_add(project=project, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['username']} is now {form.cleaned_data['role']}.")
            return redirect("projects:members", project_id=project.pk)
    members = Membership.objects.filter(project=project).select_related("user").order_by("user__username")
    context = {"project": project, "form": form, "members": members, "roles": Role.choices}
    return render(request, "projects/members.html", context, status=400 if form.errors else 200)


@require_POST
def project_member_remove(request, project_id: int, membership_id: int):
    """Remove a member (owners)."""
    project, _ = access_project(request.user, project_id, OWNER)
    try:
        services.membership_remove(project=project, user=request.user, membership_id=membership_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("projects:members", project_id=project.pk)


@require_http_methods(["GET", "POST"])
def project_tags_page(request, project_id: int):
    """The tag set: add, rename, recolour, re-key, describe and reorder tags (owners)."""
    project, _ = access_project(request.user, project_id, OWNER)
    form = TagForm(request.POST or None, initial={"color": "#9b5de5"})
    if request.method == "POST" and form.is_valid():
        try:
            services.tag_create(project=project, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Added the tag “{form.cleaned_data['label']}”.")
            return redirect("projects:tags", project_id=project.pk)
    tags = (
        Tag.objects.filter(project=project).annotate(annotation_count=Count("annotations")).order_by("position", "id")
    )
    rows = [(tag, TagEditForm(instance=tag, prefix=f"tag-{tag.pk}")) for tag in tags]
    context = {"project": project, "form": form, "rows": rows}
    return render(request, "projects/tags.html", context, status=400 if form.errors else 200)


@require_POST
def project_tag_update(request, project_id: int, tag_id: int):
    """Save one tag's label, colour, shortcut and description (owners)."""
    project, _ = access_project(request.user, project_id, OWNER)
    tag = get_object_or_404(Tag, project=project, pk=tag_id)
    form = TagEditForm(request.POST, instance=Tag.objects.get(pk=tag.pk), prefix=f"tag-{tag.pk}")
    if form.is_valid():
        try:
            services.tag_update(tag=tag, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        for field, errors in form.errors.items():
            messages.error(request, f"{tag.label}: {field}: {' '.join(errors)}")
    else:
        messages.success(request, f"Saved “{tag.label}”.")
    return redirect("projects:tags", project_id=project.pk)


@require_POST
def project_tag_move(request, project_id: int, tag_id: int):
    """Move a tag up or down the tag set (owners)."""
    project, _ = access_project(request.user, project_id, OWNER)
    tag = get_object_or_404(Tag, project=project, pk=tag_id)
    services.tag_move(tag=tag, user=request.user, offset=-1 if request.POST.get("direction") == "up" else 1)
    return redirect("projects:tags", project_id=project.pk)


@require_http_methods(["GET", "POST"])
def project_tag_delete_page(request, project_id: int, tag_id: int):
    """Delete a tag after showing how many annotations use it and choosing what happens to them (owners)."""
    project, _ = access_project(request.user, project_id, OWNER)
    tag = get_object_or_404(Tag, project=project, pk=tag_id)
    count = tag.annotations.count()
    status = None
    form = TagDeleteForm(request.POST if request.method == "POST" else None, tag=tag)
    if request.method == "POST" and (count == 0 or form.is_valid()):
        data = form.cleaned_data if count else {}
        try:
            annotation_services.tag_delete(
                tag=tag,
                user=request.user,
                retag_to=data.get("retag_to") if data.get("action") == "retag" else None,
                delete_annotations=data.get("action") == "delete",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except Conflict as conflict:
            form.add_error(None, str(conflict))
            status = 409
        else:
            messages.success(request, f"Deleted the tag “{tag.label}”.")
            return redirect("projects:tags", project_id=project.pk)
    if form.errors:  # annotations may have appeared while the tag was being deleted
        count = tag.annotations.count()
    context = {"project": project, "tag": tag, "count": count, "form": form}
    return render(request, "projects/tag_delete.html", context, status=status or (400 if form.errors else 200))
