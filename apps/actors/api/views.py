import django_filters
from django.db.models import Count
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.actors import services
from apps.actors.api.serializers import EntityMergeSerializer, EntitySerializer
from apps.actors.models import Entity
from apps.actors.selectors import entities_visible_to


class EntityFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="project_id")
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", help_text="Text contained in the name.")

    class Meta:
        model = Entity
        fields = ["project", "type", "q"]


class EntityViewSet(viewsets.ModelViewSet):
    """The actor registers of your projects (`?project=ID` for one): members read, annotators and owners add and
    edit entities, owners delete and merge them."""

    serializer_class = EntitySerializer
    filterset_class = EntityFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return entities_visible_to(self.request.user).order_by("project_id", "name", "id")

    def _answer(self, entity, code=status.HTTP_200_OK):
        entity = Entity.objects.annotate(mentions=Count("annotations")).get(pk=entity.pk)
        return Response(self.get_serializer(entity).data, status=code)

    def create(self, request, *args, **kwargs):
        incoming = self.get_serializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        entity = services.entity_create(user=request.user, **incoming.validated_data)
        return self._answer(entity, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        entity = self.get_object()
        incoming = self.get_serializer(entity, data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        entity = services.entity_update(entity=entity, user=request.user, **incoming.validated_data)
        return self._answer(entity)

    def destroy(self, request, *args, **kwargs):
        services.entity_delete(entity=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=EntityMergeSerializer, responses={200: EntitySerializer})
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Merge this entity into `into` (owners): its names become aliases there, its mentions follow."""
        entity = self.get_object()
        incoming = EntityMergeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        kept = services.entity_merge(entity=entity, into=incoming.validated_data["into"], user=request.user)
        return self._answer(kept)
