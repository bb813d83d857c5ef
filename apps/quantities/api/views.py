from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from apps.projects.selectors import project_for_member
from apps.quantities.api.serializers import NormalizeQuantityRequestSerializer, QuantityReadingSerializer
from apps.quantities.grammar import read_quantity
from apps.quantities.selectors import vague_table_for


class NormalizeQuantityView(GenericAPIView):
    """The reading of a quantity phrase (all numbers null when the text holds none); with `project`, read with that
    project's vague magnitudes (members only)."""

    serializer_class = NormalizeQuantityRequestSerializer

    @extend_schema(
        responses={
            200: QuantityReadingSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="A bad field (`text`, `project`)."),
            404: OpenApiResponse(OpenApiTypes.OBJECT, description="No such project among yours."),
        }
    )
    def post(self, request):
        incoming = self.get_serializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        project_id = incoming.validated_data.get("project")
        if project_id is not None:
            project_for_member(request.user, project_id)
        return Response(read_quantity(incoming.validated_data["text"], vague_table_for(project_id)))
