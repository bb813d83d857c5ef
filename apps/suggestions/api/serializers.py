from rest_framework import serializers

from apps.suggestions.models import Source


class SuggestionSerializer(serializers.Serializer):
    """A proposed span: code-point offsets into the document's text, end exclusive."""

    id = serializers.IntegerField(help_text="Stable: the same span and tag keep their id on every read.")
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    quote = serializers.CharField()
    tag = serializers.CharField(help_text="The proposed tag's slug.")
    source = serializers.ChoiceField(choices=Source.choices)
    score = serializers.FloatField(help_text="0 to 1: how likely the span is right.")


class DocumentQuery(serializers.Serializer):
    document = serializers.IntegerField(min_value=1, max_value=2**62, help_text="The document's id.")


class ProjectQuery(serializers.Serializer):
    project = serializers.IntegerField(min_value=1, max_value=2**62, help_text="The project's id.")


class AcceptSerializer(serializers.Serializer):
    tag = serializers.SlugField(required=False, help_text="Accept under this tag (a slug) instead of the suggested.")


class SourceQualitySerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=Source.choices)
    accepted = serializers.IntegerField()
    rejected = serializers.IntegerField()
    ignored = serializers.IntegerField(help_text="Shown and still open.")
    precision = serializers.FloatField(allow_null=True, help_text="accepted / (accepted + rejected); null if none.")


class QualitySerializer(serializers.Serializer):
    project = serializers.IntegerField()
    sources = SourceQualitySerializer(many=True)


class RejectionSerializer(serializers.Serializer):
    text = serializers.CharField()
    tag = serializers.CharField(source="tag.slug")
    rejected_by = serializers.CharField(source="rejected_by.username", allow_null=True, default=None)
    created = serializers.DateTimeField()


class ClearedSerializer(serializers.Serializer):
    cleared = serializers.IntegerField()
