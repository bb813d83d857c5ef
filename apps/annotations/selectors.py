"""Reads for annotations, scoped through the projects access gate (the reading view's reads are in apps/reader)."""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.http import Http404

from apps.annotations.models import Annotation
from apps.projects.models import Membership
from apps.projects.selectors import READ_ROLES, access_object, projects_visible_to


def annotations_visible_to(user) -> QuerySet[Annotation]:
    """Annotations in every project the user is a member of."""
    return Annotation.objects.filter(document__project__in=projects_visible_to(user))


def access_annotation(user, annotation_id: int, roles: Iterable[str] = READ_ROLES) -> tuple[Annotation, Membership]:
    """The annotation (with its document, project, tag and annotator) and the user's membership, in one query; 404
    for non-members, 403 for a role not in `roles`."""
    return access_object(
        Annotation.objects.select_related("document__project", "tag", "annotator").defer(
            "document__text",
            "document__search_vector",  # read only by the writes that need it
        ),
        user,
        annotation_id,
        project_path="document__project",
        roles=roles,
        missing="No such annotation.",
    )


def annotation_for_member(user, annotation_id: int) -> Annotation:
    """The annotation if the user may see its project, else 404."""
    annotation = (
        annotations_visible_to(user)
        .select_related("document__project", "tag", "annotator")
        .defer("document__text", "document__search_vector")  # read only by the writes that need it
        .filter(pk=annotation_id)
        .first()
    )
    if annotation is None:
        raise Http404("No such annotation.")
    return annotation
