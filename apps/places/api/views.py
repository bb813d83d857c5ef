from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets

from apps.places import services
from apps.places.api.serializers import (
    PlaceListSerializer,
    PlaceQuerySerializer,
    PlaceSerializer,
    PlaceUpdateSerializer,
)
from apps.places.models import Place
from apps.places.selectors import CANDIDATES_SHOWN, candidates_for_names, places_for_project
from apps.projects.selectors import project_for_member, projects_visible_to


class PlaceViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """The gazetteer of a project: `?project=ID&q=NAME` lists the candidate places for a name, best first (GeoNames
    and the project's own); without `q`, the project's own places. POST adds a project place; PATCH and DELETE
    change the project's own."""

    serializer_class = PlaceSerializer
    http_method_names = ["get", "post", "patch", "delete"]

    def get_queryset(self):
        return Place.objects.filter(project__in=projects_visible_to(self.request.user)).select_related("project")

    def get_serializer_class(self):
        return PlaceUpdateSerializer if self.action == "partial_update" else PlaceSerializer

    @extend_schema(parameters=[PlaceQuerySerializer], responses=PlaceListSerializer(many=True))
    def list(self, request):
        query = PlaceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        project = project_for_member(request.user, query.validated_data["project"])
        name = query.validated_data.get("q", "").strip()
        if name:
            candidates = candidates_for_names(project.pk, [name])[name][:CANDIDATES_SHOWN]
            places = [candidate.place for candidate in candidates]
        else:
            places = places_for_project(project)
        page = self.paginate_queryset(places)
        return self.get_paginated_response(PlaceListSerializer(page, many=True).data)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        project = project_for_member(self.request.user, data.pop("project").pk)
        serializer.instance = services.place_create(project=project, user=self.request.user, **data)

    def perform_update(self, serializer):
        serializer.instance = services.place_update(
            place=serializer.instance, user=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.place_delete(place=instance, user=self.request.user)
