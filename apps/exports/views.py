from django.http import StreamingHttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from apps.annotations.api.filters import AnnotationFilter
from apps.annotations.selectors import annotations_visible_to
from apps.exports.formats import FORMATS
from apps.exports.streaming import in_one_snapshot

FORMAT_ERROR = f"Choose one of: {', '.join(FORMATS)}."


class ExportNegotiation(DefaultContentNegotiation):
    """Always JSON (for errors): `format` names the export here, not a DRF renderer."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ExportView(APIView):
    """Download the annotations you can see, filtered like the annotation list, as one streamed file."""

    renderer_classes = [JSONRenderer]
    content_negotiation_class = ExportNegotiation

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "format",
                str,
                enum=list(FORMATS),
                required=True,
                description="jsonl, csv, w3c (Web Annotation JSON-LD), brat (standoff, zipped), conll (IOB2) or "
                "geojson "
                "(a Point for each annotation resolved to a place).",
            ),
            OpenApiParameter("project", int),
            OpenApiParameter("document", int),
            OpenApiParameter("tag", str, many=True, description="Tag slug; repeat the parameter for several."),
            OpenApiParameter("annotator", str, description="Username."),
            OpenApiParameter(
                "layer",
                str,
                description="`curated` for the curated layer, or a username for that annotator's layer; without it, "
                "every annotator's annotations and not the curated ones.",
            ),
            OpenApiParameter("created_after", OpenApiTypes.DATETIME),
            OpenApiParameter("created_before", OpenApiTypes.DATETIME),
            OpenApiParameter("q", str, description="Text contained in the quote or the note."),
        ],
        responses={
            **{
                (200, fmt.content_type.split(";")[0]): OpenApiTypes.OBJECT
                if fmt.content_type.endswith("json")
                else OpenApiTypes.BINARY
                for fmt in FORMATS.values()
            },
            400: OpenApiResponse(description="Unknown format or bad filter value, by field."),
        },
    )
    def get(self, request):
        export_format = FORMATS.get(request.query_params.get("format", ""))
        filterset = AnnotationFilter(request.query_params, queryset=annotations_visible_to(request.user))
        errors = {} if export_format else {"format": [FORMAT_ERROR]}
        if not filterset.is_valid():
            errors.update({field: list(messages) for field, messages in filterset.errors.items()})
        if errors:
            raise ValidationError(errors)

        return streamed_export(request, export_format, filterset.qs)


def streamed_export(request, export_format, queryset) -> StreamingHttpResponse:
    """The format's rendering of the queryset as a streamed download, read in one snapshot; `render` gets a function
    giving a document's absolute reading-view URL."""

    def document_url(document_id: int) -> str:
        return request.build_absolute_uri(reverse("documents:read", args=[document_id]))

    chunks = export_format.render(queryset, document_url=document_url)
    response = StreamingHttpResponse(in_one_snapshot(chunks), content_type=export_format.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export_format.filename}"'
    return response
