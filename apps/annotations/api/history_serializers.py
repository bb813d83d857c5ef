from rest_framework import serializers


class AnnotationHistoryEntrySerializer(serializers.Serializer):
    """One change of an annotation: who made it, when, and each changed field's value before and after."""

    id = serializers.IntegerField(help_text="The change's id.")
    when = serializers.DateTimeField()
    who = serializers.CharField(allow_null=True, help_text="Username; null when the change was made outside Lector.")
    action = serializers.CharField(help_text="created, retagged, note edited, moved, edited, deleted or restored.")
    changes = serializers.DictField(
        child=serializers.ListField(child=serializers.JSONField(allow_null=True), min_length=2, max_length=2),
        help_text=(
            "{field: [before, after]} for tag (slug), note, start, end, quote and version; normalized (the "
            "normalised value, an object) when it changed, or on a create or delete when there is one."
        ),
    )


class DeletedAnnotationsQuery(serializers.Serializer):
    project = serializers.IntegerField(min_value=1, max_value=2**62, help_text="The project's id.")


class DeletedAnnotationSerializer(serializers.Serializer):
    """A deleted annotation as it was when deleted, with who deleted it and when."""

    id = serializers.IntegerField(source="pgh_obj_id", help_text="The annotation's id (kept by a restore).")
    document = serializers.IntegerField(source="document_id")
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    quote = serializers.CharField()
    tag = serializers.CharField(source="tag_slug", allow_null=True, help_text="Its tag's slug (null if removed).")
    note = serializers.CharField()
    annotator = serializers.CharField(source="annotator_name", allow_null=True)
    version = serializers.IntegerField()
    deleted_by = serializers.CharField(source="who", allow_null=True, help_text="Null when deleted outside Lector.")
    deleted_at = serializers.DateTimeField(source="pgh_created_at")
