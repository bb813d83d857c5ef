"""The batch import API: POST files to /api/documents/import/, then follow /api/imports/{id}/ until it is over."""

import django_filters
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from apps.documents import import_batches, selectors
from apps.documents.import_batches import Upload
from apps.documents.models import ImportBatch, ImportFile
from apps.projects.selectors import access_project


class ImportFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportFile
        fields = [
            "name", "size", "state", "reason", "documents_total", "documents_done", "imported", "duplicates",
            "failed", "problems",
        ]  # fmt: skip


class ImportBatchSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="username", read_only=True)
    stalled = serializers.SerializerMethodField(help_text="Running, but no progress stored for a while.")
    status_url = serializers.SerializerMethodField(help_text="Where to follow this batch.")
    errors = serializers.SerializerMethodField(help_text="Each failed file or document, by name, with the reason.")
    files = serializers.SerializerMethodField()

    class Meta:
        model = ImportBatch
        fields = [
            "id", "project", "user", "state", "stalled", "files_total", "files_done", "files_failed",
            "documents_imported", "documents_duplicate", "documents_failed", "error", "created", "started", "finished",
            "status_url", "errors", "files",
        ]  # fmt: skip
        read_only_fields = fields

    def get_stalled(self, batch) -> bool:
        return selectors.import_batch_is_stalled(batch)

    def get_status_url(self, batch) -> str:
        return reverse("import-batch-detail", args=[batch.pk])

    def _files(self, batch) -> list[ImportFile]:
        cache = self.context.setdefault("files_by_batch", {})
        if batch.pk not in cache:
            cache[batch.pk] = list(selectors.import_batch_files(batch))
        return cache[batch.pk]

    def get_errors(self, batch) -> list[dict]:
        errors = []
        for file in self._files(batch):
            if file.state == ImportFile.State.FAILED:
                errors.append({"name": file.name, "reason": file.reason})
            errors += [{"name": p["name"], "reason": p["reason"]} for p in file.problems if p["outcome"] == "failed"]
        return errors

    def get_files(self, batch) -> list[dict]:
        return ImportFileSerializer(self._files(batch), many=True).data


class ImportBatchListSerializer(ImportBatchSerializer):
    """A batch without its per-file report, for lists."""

    class Meta(ImportBatchSerializer.Meta):
        fields = [name for name in ImportBatchSerializer.Meta.fields if name not in ("errors", "files")]
        read_only_fields = fields


class ImportRequestSerializer(serializers.Serializer):
    project = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="The project's id.")
    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True), allow_empty=False, help_text="One or more files."
    )


IMPORT_PARSERS = [MultiPartParser, FormParser]


class ImportBatchFilter(django_filters.FilterSet):
    project = django_filters.NumberFilter(field_name="project_id")

    class Meta:
        model = ImportBatch
        fields = ["project"]


class ImportBatchViewSet(viewsets.ReadOnlyModelViewSet):
    """Batch imports of your projects: state, counts, and what happened to each file."""

    serializer_class = ImportBatchSerializer
    filterset_class = ImportBatchFilter

    def get_queryset(self):
        return selectors.import_batches_visible_to(self.request.user).select_related("user").order_by("-created", "-id")

    def get_serializer_class(self):
        return ImportBatchListSerializer if self.action == "list" else ImportBatchSerializer

    @extend_schema(request=None, responses={202: ImportBatchSerializer})
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        """Queue a failed or stalled batch again; it goes on after the last stored chunk."""
        batch = import_batches.import_batch_resume(batch=self.get_object(), user=request.user)
        return Response(ImportBatchSerializer(batch).data, status=status.HTTP_202_ACCEPTED)


def import_documents(request):
    """Queue files (.txt, .md, .html, .jsonl) for import into a project; 202 with the batch and its status URL."""
    serializer = ImportRequestSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    project, _ = access_project(request.user, serializer.validated_data["project"])
    uploads = [Upload(file.name, file.size, file.read) for file in serializer.validated_data["files"]]
    batch = import_batches.import_batch_create(project=project, user=request.user, uploads=uploads)
    data = ImportBatchSerializer(batch).data
    return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["status_url"]})
