"""The access gate: every page, fragment and API view reaches project data through these functions."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404

from apps.projects.models import Membership, Project, Role, Tag

READ_ROLES = (Role.OWNER, Role.ANNOTATOR, Role.VIEWER)
ANNOTATE_ROLES = (Role.OWNER, Role.ANNOTATOR)


def projects_visible_to(user) -> QuerySet[Project]:
    """Projects the user is a member of, in any role."""
    if user is None or not user.is_authenticated:
        return Project.objects.none()
    return Project.objects.filter(memberships__user=user)


def project_list_for(user) -> QuerySet[Project]:
    """The user's projects with their document counts, for the project list."""
    return projects_visible_to(user).annotate(document_count=Count("documents", distinct=True)).order_by("name")


def membership_for(user, project: Project) -> Membership | None:
    """The user's membership in the project, or None."""
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(project=project, user=user).first()


def project_for_member(user, project_id: int, roles: Iterable[str] = READ_ROLES) -> Project:
    """The project if the user is a member; 404 for non-members, 403 for members without one of `roles`."""
    project = projects_visible_to(user).filter(pk=project_id).first()
    if project is None:
        raise Http404("No such project.")
    require_role(user, project, roles)
    return project


def require_role(user, project: Project, roles: Iterable[str]) -> Membership:
    """The user's membership, or PermissionDenied when their role is not one of `roles`."""
    membership = membership_for(user, project)
    if membership is None:
        raise Http404("No such project.")
    if membership.role not in roles:
        raise PermissionDenied(f"Your role ({membership.role}) cannot do this in {project}.")
    return membership


def can_annotate(user, project: Project) -> bool:
    """True when the user may create annotations in the project."""
    membership = membership_for(user, project)
    return membership is not None and membership.role in ANNOTATE_ROLES


def is_owner(user, project: Project) -> bool:
    """True when the user owns the project."""
    membership = membership_for(user, project)
    return membership is not None and membership.role == Role.OWNER


def tags_for_project(project: Project) -> QuerySet[Tag]:
    """The project's tag set in display order."""
    return Tag.objects.filter(project=project).order_by("position", "id")
