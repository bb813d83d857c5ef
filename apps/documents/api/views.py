import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from apps.documents import selectors, services
from apps.documents.api.imports import IMPORT_PARSERS, ImportBatchSerializer, ImportRequestSerializer, import_documents
from apps.documents.api.serializers import DocumentListItemSerializer, DocumentSerializer
from apps.documents.models import Document


class DocumentFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="project_id")
    q = django_filters.CharFilter(method="search", help_text="Full-text search over title and text.")

    class Meta:
        model = Document
        fields = ["project", "q"]

    def search(self, queryset, name, value):
        return selectors.document_search(queryset, value).order_by("-rank", "-id") if value.strip() else queryset


class DocumentViewSet(viewsets.ModelViewSet):
    """Documents of your projects. The text is set once, on create; metadata can be patched. The list leaves the
    text out; the detail has it."""

    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_serializer_class(self):
        return DocumentListItemSerializer if self.action == "list" else DocumentSerializer

    def get_queryset(self):
        documents = selectors.documents_visible_to(self.request.user).defer("search_vector").order_by("-created", "-id")
        if self.action == "list":
            documents = documents.defer("text")
        return selectors.with_annotation_counts(documents)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            document = services.document_create(user=request.user, **data)
        except services.DuplicateDocument as duplicate:
            return Response(
                {"text": [f"This text is {duplicate}."], "existing": duplicate.existing.pk},
                status=status.HTTP_409_CONFLICT,
            )
        document = self.get_queryset().get(pk=document.pk)
        return Response(self.get_serializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": ImportRequestSerializer}, responses={202: ImportBatchSerializer})
    @action(detail=False, methods=["post"], url_path="import", url_name="import", parser_classes=IMPORT_PARSERS)
    def import_files(self, request):
        """Queue files (.txt, .md, .html, .jsonl) for import into a project; 202 with the batch and its status URL."""
        return import_documents(request)

    def partial_update(self, request, *args, **kwargs):
        document = self.get_object()
        serializer = self.get_serializer(document, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if not serializer.validated_data:
            raise ValidationError({"non_field_errors": ["Send at least one of title, source_url, author, published."]})
        values = {field: getattr(document, field) for field in ("title", "source_url", "author", "published")}
        services.document_update_metadata(document=document, user=request.user, **(values | serializer.validated_data))
        return Response(self.get_serializer(self.get_queryset().get(pk=document.pk)).data)

    def destroy(self, request, *args, **kwargs):
        services.document_delete(document=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
