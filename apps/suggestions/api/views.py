from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.annotations.api.serializers import AnnotationSerializer
from apps.documents.models import Document
from apps.documents.selectors import access_document
from apps.projects.selectors import ANNOTATE_ROLES, access_project
from apps.suggestions import selectors, services
from apps.suggestions.api.serializers import (
    AcceptSerializer,
    ClearedSerializer,
    DocumentQuery,
    ProjectQuery,
    QualitySerializer,
    RejectionSerializer,
    SuggestionSerializer,
)
from apps.suggestions.models import Suggestion
from apps.suggestions.selectors import access_suggestion


def _valid(serializer_class, data) -> dict:
    incoming = serializer_class(data=data)
    incoming.is_valid(raise_exception=True)
    return incoming.validated_data


def _project(request, roles=None):
    project_id = _valid(ProjectQuery, request.query_params if request.method == "GET" else request.data)["project"]
    project, _ = access_project(request.user, project_id, **({"roles": roles} if roles else {}))
    return project


class SuggestionViewSet(viewsets.ViewSet):
    """Spans Lector proposes to tag, from the project's memory, its actors, its places and the quantity grammar;
    accepting one is the same write as tagging it."""

    queryset = Suggestion.objects.none()  # only to tell the schema that a suggestion's id is an integer

    @extend_schema(parameters=[DocumentQuery], responses={200: SuggestionSerializer(many=True)})
    def list(self, request):
        """The document's open suggestions in reading order."""
        document_id = _valid(DocumentQuery, request.query_params)["document"]
        # Without its text: the reading view's cache holds it (1 MB is not read again on every request).
        document, _ = access_document(
            request.user, document_id, documents=Document.objects.defer("text", "search_vector")
        )
        return Response(services.document_suggestions(document))  # already in SuggestionSerializer's shape

    @extend_schema(request=AcceptSerializer, responses={201: AnnotationSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Tag the suggested span (under `tag` if given); the new annotation, with origin `suggestion`."""
        suggestion = access_suggestion(request.user, pk, roles=ANNOTATE_ROLES)
        tag = _valid(AcceptSerializer, request.data).get("tag")
        annotation = services.suggestion_accept(user=request.user, suggestion=suggestion, tag=tag)
        return Response(AnnotationSerializer(annotation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: AnnotationSerializer(many=True)})
    @action(detail=True, methods=["post"], url_path="accept-same")
    def accept_same(self, request, pk=None):
        """Accept the suggestion and every open one of the same text and tag in its document."""
        suggestion = access_suggestion(request.user, pk, roles=ANNOTATE_ROLES)
        annotations = services.suggestion_accept_same(user=request.user, suggestion=suggestion)
        return Response(AnnotationSerializer(annotations, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: RejectionSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject the suggestion: its text is not proposed with its tag again in the project."""
        suggestion = access_suggestion(request.user, pk, roles=ANNOTATE_ROLES)
        rejection = services.suggestion_reject(user=request.user, suggestion=suggestion)
        return Response(RejectionSerializer(rejection).data)

    @extend_schema(parameters=[ProjectQuery], responses={200: QualitySerializer})
    @action(detail=False, methods=["get"])
    def quality(self, request):
        """Accepted, rejected and ignored (still open) suggestions per source, with precision."""
        project = _project(request)
        rows = selectors.suggestion_quality(project)
        body = {
            "project": project.pk,
            "sources": [
                {
                    "source": row.source,
                    "accepted": row.accepted,
                    "rejected": row.rejected,
                    "ignored": row.ignored,
                    "precision": row.precision,
                }
                for row in rows
            ],
        }
        return Response(QualitySerializer(body).data)

    @extend_schema(parameters=[ProjectQuery], responses={200: RejectionSerializer(many=True)})
    @action(detail=False, methods=["get"])
    def rejections(self, request):
        """The project's rejected (text, tag): never proposed again until cleared."""
        project = _project(request)
        return Response(RejectionSerializer(selectors.rejections_in_project(project), many=True).data)

    @extend_schema(request=ProjectQuery, responses={200: ClearedSerializer})
    @action(detail=False, methods=["post"], url_path="clear-rejections", url_name="clear-rejections")
    def rejections_clear(self, request):
        """Forget the project's rejections: their texts are proposed again."""
        project = _project(request, roles=ANNOTATE_ROLES)
        return Response({"cleared": services.rejections_clear(project=project)})
