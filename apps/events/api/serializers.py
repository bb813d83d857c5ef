from rest_framework import serializers

from apps.events.selectors import slot_spans


def span_dict(annotation) -> dict | None:
    """A span filling a slot: where it is in the text, its tag, and what it means."""
    if annotation is None:
        return None
    return {
        "id": annotation.pk,
        "start": annotation.start,
        "end": annotation.end,
        "quote": annotation.quote,
        "tag": annotation.tag.slug,
        "normalized": annotation.normalized,
    }


class EventSerializer(serializers.Serializer):
    """An event as the API shows it: its slots hold spans ({id, start, end, quote, tag, normalized}), the associated
    actors' slots lists of them."""

    id = serializers.IntegerField(read_only=True)
    project = serializers.IntegerField(source="project_id", read_only=True)
    document = serializers.IntegerField(source="document_id", read_only=True)
    event_type = serializers.CharField(read_only=True)
    sub_event_type = serializers.CharField(read_only=True)
    disorder_type = serializers.CharField(read_only=True)
    date = serializers.DateField(read_only=True)
    time_precision = serializers.IntegerField(read_only=True, help_text="1 day, 2 week, 3 month.")
    actor1 = serializers.JSONField(read_only=True)
    actor2 = serializers.JSONField(read_only=True, allow_null=True)
    assoc_actor_1 = serializers.JSONField(read_only=True)
    assoc_actor_2 = serializers.JSONField(read_only=True)
    location = serializers.JSONField(read_only=True, allow_null=True)
    fatalities = serializers.JSONField(read_only=True, allow_null=True, help_text="The quantity span.")
    fatalities_number = serializers.IntegerField(read_only=True, allow_null=True, help_text="The figure recorded.")
    notes = serializers.CharField(read_only=True)
    incident = serializers.IntegerField(read_only=True, allow_null=True, help_text="Shared by linked events.")
    version = serializers.IntegerField(read_only=True)
    created_by = serializers.CharField(read_only=True)
    created = serializers.DateTimeField(read_only=True)
    modified = serializers.DateTimeField(read_only=True)
    curated = serializers.BooleanField(read_only=True, help_text="Part of the curated layer (layer=curated).")
    curated_from = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        allow_null=True,
        help_text="For a curated event, the annotators' events it was taken from; else null.",
    )

    def to_representation(self, event) -> dict:
        spans = slot_spans(event)
        return {
            "id": event.pk,
            "project": event.project_id,
            "document": event.document_id,
            "event_type": event.event_type,
            "sub_event_type": event.sub_event_type,
            "disorder_type": event.disorder_type,
            "date": event.date.isoformat(),
            "time_precision": event.time_precision,
            "actor1": span_dict(spans["actor1"]),
            "actor2": span_dict(spans["actor2"]),
            "assoc_actor_1": [span_dict(a) for a in spans["assoc_actor_1"]],
            "assoc_actor_2": [span_dict(a) for a in spans["assoc_actor_2"]],
            "location": span_dict(spans["location"]),
            "fatalities": span_dict(spans["fatalities"]),
            "fatalities_number": event.fatalities,
            "notes": event.notes,
            "incident": event.incident_id,
            "version": event.version,
            "created_by": event.created_by.username,
            "created": _TIME.to_representation(event.created),
            "modified": _TIME.to_representation(event.modified),
            "curated": event.curated,
            "curated_from": event.curated_from,
        }


_TIME = serializers.DateTimeField()


class SpanIdField(serializers.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(min_value=1, allow_null=True, required=False, **kwargs)


class EventWriteSerializer(serializers.Serializer):
    """What a create or update takes: span slots are annotation ids of the event's document."""

    event_type = serializers.CharField(max_length=100)
    sub_event_type = serializers.CharField(max_length=100)
    date = serializers.DateField(
        required=False, allow_null=True, help_text="Defaults to the document's published date."
    )
    time_precision = serializers.IntegerField(required=False, help_text="1 day (default), 2 week, 3 month.")
    actor1 = SpanIdField(help_text="Required on create.")
    actor2 = SpanIdField()
    assoc_actor_1 = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)
    assoc_actor_2 = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)
    location = SpanIdField()
    fatalities = SpanIdField(help_text="A quantity span; its conservative figure is proposed as fatalities_number.")
    fatalities_number = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=2**31 - 1)
    notes = serializers.CharField(required=False, allow_blank=True)
    same_as = serializers.IntegerField(
        required=False, allow_null=True, help_text="An event of another document telling the same incident."
    )


class EventCreateSerializer(EventWriteSerializer):
    document = serializers.IntegerField(min_value=1)


class EventUpdateSerializer(EventWriteSerializer):
    version = serializers.IntegerField(min_value=1, help_text="The version you read; 409 if it changed since.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "version":
                field.required = False


class TypologySerializer(serializers.Serializer):
    project = serializers.IntegerField()
    types = serializers.JSONField(help_text='[{"name", "disorder_type", "sub_types": [...]}]')
