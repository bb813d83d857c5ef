import django_filters
from django.db.models import OuterRef, Prefetch, Subquery
from rest_framework import viewsets

from apps.projects.api.serializers import ProjectSerializer, TagSerializer
from apps.projects.models import Membership, Project, Tag
from apps.projects.selectors import projects_visible_to


class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    """The projects you are a member of, with their tag sets and your role."""

    serializer_class = ProjectSerializer

    def get_queryset(self):
        if not self.request.user.is_authenticated:  # the schema generator's fake request
            return Project.objects.none()
        role = Membership.objects.filter(project=OuterRef("pk"), user=self.request.user).values("role")[:1]
        return (
            projects_visible_to(self.request.user)
            .annotate(role=Subquery(role))
            .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("position", "id")))
            .order_by("name", "id")
        )


class TagFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="project_id")

    class Meta:
        model = Tag
        fields = ["project"]


class TagViewSet(viewsets.ReadOnlyModelViewSet):
    """The tag sets of your projects (`?project=ID` for one)."""

    serializer_class = TagSerializer
    filterset_class = TagFilter

    def get_queryset(self):
        return Tag.objects.filter(project__in=projects_visible_to(self.request.user)).order_by(
            "project_id", "position", "id"
        )
