from rest_framework import serializers


class AnnotationHistoryEntrySerializer(serializers.Serializer):
    """One change of an annotation: who made it, when, and each changed field's value before and after."""

    id = serializers.IntegerField(help_text="The change's id.")
    when = serializers.DateTimeField()
    who = serializers.CharField(allow_null=True, help_text="Username; null when the change was made outside Lector.")
    action = serializers.CharField(help_text="created, retagged, note edited, moved, edited, deleted or restored.")
    changes = serializers.DictField(
        child=serializers.ListField(child=serializers.JSONField(allow_null=True), min_length=2, max_length=2),
        help_text="{field: [before, after]} for tag (slug), note, start, end, quote and version.",
    )
