from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.agreement import metrics, selectors
from apps.projects.selectors import access_project


class AgreementQuerySerializer(serializers.Serializer):
    project = serializers.IntegerField(min_value=1)
    annotators = serializers.ListField(child=serializers.CharField(max_length=150), max_length=50)
    document = serializers.IntegerField(min_value=1, required=False)
    curated = serializers.BooleanField(default=False)


class ScoresSerializer(serializers.Serializer):
    precision = serializers.FloatField(allow_null=True)
    recall = serializers.FloatField(allow_null=True)
    f1 = serializers.FloatField(allow_null=True)


class AgreementScoresSerializer(serializers.Serializer):
    exact = ScoresSerializer()
    overlap = ScoresSerializer()
    kappa = serializers.FloatField(allow_null=True)


class DisagreementSerializer(serializers.Serializer):
    document = serializers.IntegerField()
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    quote = serializers.CharField()
    tag = serializers.CharField()
    annotator = serializers.CharField(help_text="Who has the span.")
    missing_from = serializers.CharField(help_text="Who has no span with the same offsets and tag.")


class TagAlphaSerializer(serializers.Serializer):
    alpha = serializers.FloatField(allow_null=True)
    observed = serializers.FloatField(help_text="Observed disagreement.")
    expected = serializers.FloatField(help_text="Expected disagreement.")


class UnitizingAlphaSerializer(serializers.Serializer):
    alpha = serializers.FloatField(allow_null=True, help_text="Over every tag; null when undefined.")
    per_tag = serializers.DictField(child=TagAlphaSerializer(), help_text="By tag slug.")


class AgreementReportSerializer(serializers.Serializer):
    documents = serializers.ListField(child=serializers.IntegerField(), help_text="Documents all of them annotated.")
    annotators = serializers.ListField(child=serializers.CharField())
    pairs = serializers.ListField(child=serializers.ListField(child=serializers.CharField(), min_length=2))
    overall = AgreementScoresSerializer()
    per_tag = serializers.DictField(child=AgreementScoresSerializer(), help_text="By tag slug.")
    disagreements = DisagreementSerializer(many=True)
    unitizing_alpha = UnitizingAlphaSerializer(help_text="Krippendorff's alpha for unitizing (INCEpTION's for spans).")


class AgreementView(APIView):
    """Inter-annotator agreement (span P/R/F1, exact and overlap; token kappa; Krippendorff's unitizing alpha) of two
    or more project members, or of each of them with the curated layer."""

    @extend_schema(
        parameters=[
            OpenApiParameter("project", int, required=True),
            OpenApiParameter(
                "annotators", str, many=True, required=True, description="Username; repeat for two or more."
            ),
            OpenApiParameter("document", int, description="Only this document of the project."),
            OpenApiParameter(
                "curated", bool, description="Compare each annotator with the curated layer (one annotator is enough)."
            ),
        ],
        responses={
            200: AgreementReportSerializer,
            400: OpenApiResponse(description="Bad parameter, by field."),
            404: OpenApiResponse(description="Not a member of the project."),
        },
    )
    def get(self, request):
        query = AgreementQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        project, _ = access_project(request.user, query.validated_data["project"])
        document_id = query.validated_data.get("document")
        against_curated = query.validated_data["curated"]
        names = selectors.validated_choice(project, query.validated_data["annotators"], document_id, against_curated)
        report = selectors.project_agreement(project, names, document_id, against_curated)
        return Response(metrics.report_dict(report))
