from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.events import selectors, services
from apps.events.api.filters import EventFilter
from apps.events.api.serializers import (
    EventCreateSerializer,
    EventSerializer,
    EventUpdateSerializer,
    TypologySerializer,
)
from apps.events.exports import EVENT_FORMATS
from apps.exports.views import ExportNegotiation, streamed_export
from apps.projects.selectors import access_project


class EventViewSet(viewsets.ModelViewSet):
    """Events built from the spans of your projects' documents: who did what to whom, where, when and how many."""

    serializer_class = EventSerializer
    filterset_class = EventFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.events_visible_to(self.request.user).order_by("date", "id")

    def _answer(self, event, code=status.HTTP_200_OK):
        event = self.get_queryset().get(pk=event.pk)
        return Response(EventSerializer(event).data, status=code)

    @extend_schema(request=EventCreateSerializer, responses={201: EventSerializer})
    def create(self, request, *args, **kwargs):
        incoming = EventCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        event = services.event_create(user=request.user, **incoming.validated_data)
        return self._answer(event, status.HTTP_201_CREATED)

    @extend_schema(
        request=EventUpdateSerializer,
        responses={200: EventSerializer, 409: OpenApiResponse(description="Changed by someone else first.")},
    )
    def partial_update(self, request, *args, **kwargs):
        event = self.get_object()
        services.require_can_edit_event(request.user, event)  # before reading the body: a viewer gets 403
        incoming = EventUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        event = services.event_update(event=event, user=request.user, **incoming.validated_data)
        return self._answer(event)

    def destroy(self, request, *args, **kwargs):
        services.event_delete(event=self.get_object(), user=request.user, version=request.query_params.get("version"))
        return Response(status=status.HTTP_204_NO_CONTENT)


class TypologyView(APIView):
    """A project's event types and their sub-types (ACLED's by default); owners replace them with PUT."""

    @extend_schema(responses={200: TypologySerializer})
    def get(self, request, project_id: int):
        project, _ = access_project(request.user, project_id)
        return Response({"project": project.pk, "types": selectors.typology_for(project)})

    @extend_schema(request=TypologySerializer, responses={200: TypologySerializer})
    def put(self, request, project_id: int):
        project, _ = access_project(request.user, project_id)
        types = services.typology_set(project=project, user=request.user, types=request.data.get("types"))
        return Response({"project": project.pk, "types": types})


class EventExportView(APIView):
    """Download the events you can see, filtered like the event list, as ACLED or UCDP GED columns (CSV) or JSONL,
    streamed; each row ends with its provenance (document, reading-view link, each slot's offsets and quote)."""

    renderer_classes = [JSONRenderer]
    content_negotiation_class = ExportNegotiation

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=list(EVENT_FORMATS), required=True),
            OpenApiParameter("project", int),
            OpenApiParameter("document", int),
            OpenApiParameter("event_type", str),
            OpenApiParameter("actor", int, description="Entity id."),
            OpenApiParameter("date_after", OpenApiTypes.DATE),
            OpenApiParameter("date_before", OpenApiTypes.DATE),
            OpenApiParameter(
                "layer",
                str,
                description="`curated` for the curated layer, or a username for that annotator's events; without it, "
                "every annotator's events and not the curated ones.",
            ),
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, "application/x-ndjson"): OpenApiTypes.OBJECT,
            400: OpenApiResponse(description="Unknown format or bad filter value, by field."),
        },
    )
    def get(self, request):
        export_format = EVENT_FORMATS.get(request.query_params.get("format", ""))
        events = selectors.events_visible_to(request.user).order_by("date", "id")
        filterset = EventFilter(request.query_params, queryset=events)
        errors = {} if export_format else {"format": [f"Choose one of: {', '.join(EVENT_FORMATS)}."]}
        if not filterset.is_valid():
            errors.update({field: list(messages) for field, messages in filterset.errors.items()})
        if errors:
            raise ValidationError(errors)

        return streamed_export(request, export_format, filterset.qs)
