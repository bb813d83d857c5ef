from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.curation import services
from apps.curation.places import Strategy
from apps.documents.selectors import access_document
from apps.projects.selectors import CURATE_ROLES

MAX_ID = 2**62


class MergeSerializer(serializers.Serializer):
    document = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    strategy = serializers.ChoiceField(choices=[s.value for s in Strategy])
    min = serializers.IntegerField(min_value=1, max_value=10_000, required=False, help_text="For strategy min.")
    overwrite = serializers.BooleanField(default=False, help_text="Also redo the places a curator decided.")


class MergeCountsSerializer(serializers.Serializer):
    merged = serializers.IntegerField(help_text="Places whose agreed version is now in the curated layer.")
    left = serializers.IntegerField(help_text="Places left for a curator.")
    kept = serializers.IntegerField(help_text="Places a curator had decided, kept.")


class MergeResultSerializer(MergeCountsSerializer):
    events = MergeCountsSerializer(help_text="The same counts for the event places.")


class DecideSerializer(serializers.Serializer):
    document = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    start = serializers.IntegerField(min_value=0, max_value=MAX_ID)
    end = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    take = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, allow_null=True, help_text="An annotator's annotation there; null rejects all."
    )


class DecideEventSerializer(serializers.Serializer):
    document = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    date = serializers.DateField(help_text="The event place's date.")
    start = serializers.IntegerField(min_value=0, max_value=MAX_ID, help_text="Where its actor1 spans start.")
    end = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Where its actor1 spans end.")
    take = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, allow_null=True, help_text="An annotator's event there; null rejects all."
    )


class DecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    document = serializers.IntegerField(source="document_id")
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    curator = serializers.CharField(source="curator.username")
    taken_from = serializers.CharField(source="taken_from.username", allow_null=True, default=None)


def _document(request):
    """The body's document through the gate (404 for non-members, 403 for roles that do not curate), before the
    rest of the body is read."""
    raw = request.data.get("document") if hasattr(request.data, "get") else None
    if isinstance(raw, str) and raw.isdecimal() and raw.isascii() and len(raw) <= 18:
        raw = int(raw)
    if type(raw) is int and 0 < raw <= MAX_ID:
        return access_document(request.user, raw, CURATE_ROLES)[0]
    return None


ERRORS = {
    400: OpenApiResponse(description="Bad field, by name."),
    403: OpenApiResponse(description="Only curators and owners curate."),
    404: OpenApiResponse(description="No such document in your projects."),
}


class CurationWriteView(APIView):
    """A curation write: the body's document through the gate (before the rest of the body is read, so that a
    non-member learns nothing from the errors), the body checked by `body`, then `write`."""

    body: type[serializers.Serializer]

    def post(self, request):
        document = _document(request)
        incoming = self.body(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        if document is None:
            document = access_document(request.user, data["document"], CURATE_ROLES)[0]
        return self.write(document, request.user, data)

    def write(self, document, user, data) -> Response:
        raise NotImplementedError


@extend_schema_view(post=extend_schema(request=MergeSerializer, responses={200: MergeResultSerializer, **ERRORS}))
class MergeView(CurationWriteView):
    """Run the automatic merge of a document's annotators' layers into its curated layer."""

    body = MergeSerializer

    def write(self, document, user, data):
        strategy, minimum, overwrite = data["strategy"], data.get("min"), data["overwrite"]
        result = services.curation_merge(
            document=document, user=user, strategy=strategy, minimum=minimum, overwrite=overwrite
        )
        return Response(result.as_dict())


@extend_schema_view(post=extend_schema(request=DecideSerializer, responses={201: DecisionSerializer, **ERRORS}))
class DecideView(CurationWriteView):
    """Record a curator's choice at a place: take one annotator's version, or reject them all (take: null)."""

    body = DecideSerializer

    def write(self, document, user, data):
        decision = services.curation_decide(
            document=document, user=user, start=data["start"], end=data["end"], take=data["take"]
        )
        return Response(DecisionSerializer(decision).data, status=201)


class EventDecisionSerializer(DecisionSerializer):
    date = serializers.DateField()


@extend_schema_view(
    post=extend_schema(request=DecideEventSerializer, responses={201: EventDecisionSerializer, **ERRORS})
)
class DecideEventView(CurationWriteView):
    """Record a curator's choice at an event place: take one annotator's events, or reject them all (take: null)."""

    body = DecideEventSerializer

    def write(self, document, user, data):
        decision = services.curation_decide_event(
            document=document, user=user, date=data["date"], start=data["start"], end=data["end"], take=data["take"]
        )
        return Response(EventDecisionSerializer(decision).data, status=201)
