from django.conf import settings
from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from apps.annotations import history_selectors, selectors, services
from apps.annotations.api.filters import AnnotationFilter
from apps.annotations.api.history_serializers import (
    AnnotationHistoryEntrySerializer,
    DeletedAnnotationSerializer,
    DeletedAnnotationsQuery,
)
from apps.annotations.api.serializers import (
    AnnotationCreateSerializer,
    AnnotationSerializer,
    AnnotationUpdateSerializer,
)
from apps.annotations.importers import FORMATS, PARSERS, ImportFormatError
from apps.projects.selectors import ANNOTATE_ROLES, access_project


def _detach(request) -> bool:
    """`?detach=true`: take a moved, retagged or deleted span out of the events that use it (else 409 naming them)."""
    return request.query_params.get("detach", "").lower() in ("1", "true", "yes")


# One for every create and bulk item: a serializer builds (deep-copies) its fields anew for each instance, which cost a
# single create a twentieth of its time; validating keeps no state on it.
_CREATE_INPUT = AnnotationCreateSerializer()


def _create_input(data) -> dict:
    try:
        return _CREATE_INPUT.run_validation(data)
    except serializers.ValidationError:
        # Validated again the usual way, so that the errors come in the shape DRF gives them (e.g. a `null` body).
        incoming = AnnotationCreateSerializer(data=data)
        incoming.is_valid(raise_exception=True)
        return incoming.validated_data


class AnnotationViewSet(viewsets.ModelViewSet):
    """Tagged spans in your projects. The reading view and this API call the same services."""

    serializer_class = AnnotationSerializer
    filterset_class = AnnotationFilter

    def get_queryset(self):
        annotations = (
            selectors.annotations_visible_to(self.request.user)
            .select_related("tag", "annotator")
            .order_by("document_id", "start", "-end", "id")
        )
        if self.action == "list":
            return annotations
        # One annotation: its project is checked for edits, and its document's text stays in the database.
        return annotations.select_related("document__project").defer("document__text", "document__search_vector")

    def filter_queryset(self, queryset):
        # The filters (and their default of leaving the curated layer out) choose what a list holds; one annotation
        # is found by its id alone, whatever its layer.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    @extend_schema(request=AnnotationCreateSerializer, responses={201: AnnotationSerializer})
    def create(self, request, *args, **kwargs):
        annotation = services.annotation_create(user=request.user, **_create_input(request.data))
        return Response(AnnotationSerializer(annotation).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=AnnotationUpdateSerializer,
        responses={200: AnnotationSerializer, 409: OpenApiResponse(description="Changed by someone else first.")},
    )
    def update(self, request, *args, **kwargs):
        annotation = self.get_object()
        services.require_can_edit(request.user, annotation)  # before reading the body: a viewer gets 403, not 400
        incoming = AnnotationUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        annotation = services.annotation_update(
            annotation=annotation, user=request.user, detach=_detach(request), **incoming.validated_data
        )
        return Response(AnnotationSerializer(annotation).data)

    @extend_schema(
        request=AnnotationUpdateSerializer,
        responses={200: AnnotationSerializer, 409: OpenApiResponse(description="Changed by someone else first.")},
    )
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        services.annotation_delete(
            annotation=self.get_object(),
            user=request.user,
            version=request.query_params.get("version"),
            detach=_detach(request),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=AnnotationCreateSerializer(many=True),
        responses={201: AnnotationSerializer(many=True), 400: OpenApiResponse(description="Per-item errors.")},
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        """Create many annotations, all or nothing; on failure, the errors of each bad item by index."""
        items = request.data
        limit = settings.ANNOTATION_BULK_MAX_ITEMS
        if not isinstance(items, list) or not items:
            raise serializers.ValidationError({"non_field_errors": ["Send a non-empty JSON list of annotations."]})
        if len(items) > limit:
            raise serializers.ValidationError({"non_field_errors": [f"Send at most {limit} items at a time."]})
        errors, valid = {}, {}
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                errors[index] = {"non_field_errors": ["Each item must be a JSON object."]}
                continue
            try:
                valid[index] = services.NewAnnotation(**_CREATE_INPUT.run_validation(item))
            except serializers.ValidationError as error:
                errors[index] = error.detail
        created = []
        with transaction.atomic():
            try:
                created = services.annotations_create_many(user=request.user, items=list(valid.values()))
            except services.AnnotationsRefused as refused:
                indexes = list(valid)
                errors |= {indexes[position]: fields for position, fields in refused.errors.items()}
            if errors:
                transaction.set_rollback(True)
                body = [{"index": index, "errors": errors[index]} for index in sorted(errors)]
                return Response({"errors": body, "created": 0}, status=status.HTTP_400_BAD_REQUEST)
        return Response(AnnotationSerializer(created, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="annotations_history_retrieve", responses={200: AnnotationHistoryEntrySerializer(many=True)}
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        """The annotation's changes in time order, also once it is deleted (to members of its project)."""
        annotation_id = int(pk) if pk.isdecimal() and pk.isascii() and len(pk) <= 18 else 0
        entries = history_selectors.history_for_member(request.user, annotation_id)
        return Response(AnnotationHistoryEntrySerializer(entries, many=True).data)

    @extend_schema(
        operation_id="annotations_deleted_list",
        parameters=[DeletedAnnotationsQuery],
        responses={200: DeletedAnnotationSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def deleted(self, request):
        """The project's deleted (not restored) annotations, last deleted first, with who deleted them and when
        (the last 200; each one's whole trail is at /api/annotations/{id}/history/)."""
        query = DeletedAnnotationsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        project, _ = access_project(request.user, query.validated_data["project"])
        deleted = history_selectors.deleted_annotations_in_project(project)
        return Response(DeletedAnnotationSerializer([item.deletion for item in deleted], many=True).data)


class AnnotationImportSerializer(serializers.Serializer):
    project = serializers.IntegerField(help_text="The project to import into.")
    format = serializers.ChoiceField(
        choices=FORMATS, help_text="lector (JSONL), doccano (JSONL) or labelstudio (JSON)."
    )
    file = serializers.FileField(help_text="The exported file.")
    dry_run = serializers.BooleanField(default=False, help_text="Check everything, write nothing.")


class AnnotationImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    documents_created = serializers.IntegerField()
    errors = serializers.ListField(child=serializers.CharField())
    unknown_tags = serializers.ListField(child=serializers.CharField())
    dry_run = serializers.BooleanField()


class AnnotationImportView(GenericAPIView):
    """Import annotations exported by Lector, doccano or Label Studio, all or nothing."""

    parser_classes = [MultiPartParser, FormParser]
    serializer_class = AnnotationImportSerializer

    @extend_schema(
        responses={
            200: AnnotationImportResultSerializer,
            201: AnnotationImportResultSerializer,
            400: OpenApiResponse(
                OpenApiTypes.OBJECT, description="Bad fields, or the import's errors (nothing saved)."
            ),
            413: OpenApiResponse(OpenApiTypes.OBJECT, description="The file is larger than the limit (`file`)."),
        }
    )
    def post(self, request):
        project_id = str(request.data.get("project", ""))
        if project_id.isdecimal() and project_id.isascii():  # the access gate first: 404 or 403 before any 400
            access_project(request.user, int(project_id), ANNOTATE_ROLES)
        incoming = self.get_serializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        project, _ = access_project(request.user, data["project"], ANNOTATE_ROLES)
        size, limit = data["file"].size, settings.ANNOTATION_IMPORT_MAX_BYTES
        if size > limit:  # before reading it
            message = f"The file is {size:,} bytes; an annotation import takes at most {limit:,} bytes."
            return Response({"file": [message]}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        try:
            records = PARSERS[data["format"]](data["file"].read())
        except ImportFormatError as error:
            raise serializers.ValidationError({"file": [str(error)]}) from error
        report = services.annotations_import(
            project=project, user=request.user, records=records, dry_run=data["dry_run"]
        )
        body = {
            "created": report.created,
            "documents_created": report.documents_created,
            "errors": report.errors,
            "unknown_tags": sorted(report.unknown_tags),
            "dry_run": data["dry_run"],
        }
        if report.errors:
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response(body, status=status.HTTP_200_OK if data["dry_run"] else status.HTTP_201_CREATED)
