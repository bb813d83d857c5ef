"""The access gate: every page, fragment and API view reaches project data through these functions."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, FilteredRelation, Model, Q, QuerySet
from django.http import Http404

from apps.projects.models import Membership, Project, Role, Tag

READ_ROLES = (Role.OWNER, Role.CURATOR, Role.ANNOTATOR, Role.VIEWER)
ANNOTATE_ROLES = (Role.OWNER, Role.CURATOR, Role.ANNOTATOR)
CURATE_ROLES = (Role.OWNER, Role.CURATOR)


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


def with_caller_membership(queryset: QuerySet, user, project_path: str = "") -> QuerySet:
    """`queryset` restricted to the user's projects, each row carrying the user's membership (`caller_membership_id`,
    `caller_role`) from a join in the same query; `project_path` leads from the model to its project."""
    memberships = f"{project_path}__memberships" if project_path else "memberships"
    return (
        queryset.annotate(
            caller_membership=FilteredRelation(memberships, condition=Q(**{f"{memberships}__user": user}))
        )
        .annotate(caller_membership_id=F("caller_membership__id"), caller_role=F("caller_membership__role"))
        .filter(caller_membership_id__isnull=False)
    )


ModelT = TypeVar("ModelT", bound=Model)


def access_object(
    queryset: QuerySet[ModelT], user, pk: int, *, project_path: str, roles: Iterable[str], missing: str
) -> tuple[ModelT, Membership]:
    """The object with the caller's membership of its project, in one query: Http404 (`missing`) when there is no
    such object in the user's projects, PermissionDenied when their role is not one of `roles`."""
    found = None
    if user is not None and user.is_authenticated:
        found = with_caller_membership(queryset, user, project_path).filter(pk=pk).first()
    if found is None:
        raise Http404(missing)
    project = found
    for step in filter(None, project_path.split("__")):
        project = getattr(project, step)
    membership = Membership(id=found.caller_membership_id, project=project, user=user, role=found.caller_role)
    if membership.role not in roles:
        raise PermissionDenied(f"Your role ({membership.role}) cannot do this in {project}.")
    return found, membership


def access_project(user, project_id: int, roles: Iterable[str] = READ_ROLES) -> tuple[Project, Membership]:
    """The project and the user's membership, in one query; 404 for non-members, 403 for a role not in `roles`."""
    return access_object(
        Project.objects.all(), user, project_id, project_path="", roles=roles, missing="No such project."
    )


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


@dataclass(frozen=True)
class Member:
    """What the caller may do in a project, made from their membership (None: not a member); views hand it to
    templates as `member` instead of flags computed in each view."""

    membership: Membership | None

    @property
    def can_annotate(self) -> bool:
        return self.membership is not None and self.membership.role in ANNOTATE_ROLES

    @property
    def is_owner(self) -> bool:
        return self.membership is not None and self.membership.role == Role.OWNER

    @property
    def can_curate(self) -> bool:
        """Curators and owners merge the annotators' layers into the curated one."""
        return self.membership is not None and self.membership.role in CURATE_ROLES

    def may_edit(self, annotation) -> bool:
        """The editing rule: owners change any annotation, annotators only their own, viewers none."""
        return self.is_owner or (self.can_annotate and annotation.annotator_id == self.membership.user_id)


def tags_for_project(project: Project) -> QuerySet[Tag]:
    """The project's tag set in display order."""
    return Tag.objects.filter(project=project).order_by("position", "id")
