from rest_framework import serializers

from apps.annotations.models import Origin


class AnnotationSerializer(serializers.Serializer):
    """An annotation as the API shows it; `tag` is the tag's slug, `annotator` a username.

    Fields declared one by one rather than derived from the model (a ModelSerializer builds them again for every
    instance: on a single create that was a sixth of the server's time), and each annotation turned into its dict in
    one step."""

    id = serializers.IntegerField(read_only=True)
    document = serializers.IntegerField(source="document_id", read_only=True)
    start = serializers.IntegerField(read_only=True, help_text="Code point offset of the first character.")
    end = serializers.IntegerField(read_only=True, help_text="Code point offset after the last character.")
    quote = serializers.CharField(read_only=True, help_text="text[start:end].")
    tag = serializers.CharField(source="tag.slug", read_only=True)
    note = serializers.CharField(read_only=True)
    annotator = serializers.CharField(source="annotator.username", read_only=True)
    created = serializers.DateTimeField(read_only=True)
    modified = serializers.DateTimeField(read_only=True)
    version = serializers.IntegerField(read_only=True, help_text="Raised by every edit; stale edits are refused.")
    origin = serializers.ChoiceField(choices=Origin.choices, read_only=True, help_text="How the annotation came to be.")
    normalized = serializers.JSONField(
        read_only=True,
        allow_null=True,
        help_text="What the span means, by its tag's kind: a quantity's reading, a place, an actor; null while "
        "unresolved or for plain tags.",
    )
    normalized_by_hand = serializers.BooleanField(read_only=True, help_text="Set by a person; never recomputed.")
    curated = serializers.BooleanField(read_only=True, help_text="Part of the curated layer (layer=curated).")
    curated_from = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        allow_null=True,
        help_text="For a curated annotation, the annotators' annotations it was taken from; else null.",
    )

    def to_representation(self, annotation) -> dict:
        # The fields above describe the shape (the schema, the browsable API); the dict is built here directly, as
        # building and binding those fields again for every annotation costs a single create a tenth of its time.
        return {
            "id": annotation.pk,
            "document": annotation.document_id,
            "start": annotation.start,
            "end": annotation.end,
            "quote": annotation.quote,
            "tag": annotation.tag.slug,
            "note": annotation.note,
            "annotator": annotation.annotator.username,
            "created": _TIME.to_representation(annotation.created),
            "modified": _TIME.to_representation(annotation.modified),
            "version": annotation.version,
            "origin": annotation.origin,
            "normalized": annotation.normalized,
            "normalized_by_hand": annotation.normalized_by_hand,
            "curated": annotation.curated,
            "curated_from": annotation.curated_from,
        }


_TIME = serializers.DateTimeField()


class AnnotationCreateSerializer(serializers.Serializer):
    """What a create takes. Offsets are code points into the document's text, end exclusive."""

    # An id only: the create service finds the document (and the caller's role) in the query that checks the span.
    document = serializers.IntegerField(min_value=1, help_text="The document's id.")
    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=1)
    tag = serializers.SlugField(help_text="The tag's slug, e.g. actor.")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    quote = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, help_text="If sent, must equal text[start:end]."
    )


class AnnotationUpdateSerializer(serializers.Serializer):
    """What an update takes: the version you read, and what to change."""

    version = serializers.IntegerField(min_value=1, help_text="The version you read; 409 if it changed since.")
    tag = serializers.SlugField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)
    start = serializers.IntegerField(required=False, min_value=0)
    end = serializers.IntegerField(required=False, min_value=1)
    normalized = serializers.JSONField(
        required=False,
        allow_null=True,
        help_text='Set what the span means by hand, by its tag\'s kind: {"place": id} for a place, '
        '{"entity": id} for an actor, the reading\'s fields for a quantity; null goes back to the automatic one.',
    )
