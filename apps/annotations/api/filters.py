import datetime

import django_filters
from django.db.models import Q
from rest_framework.exceptions import ValidationError

from apps.annotations.models import Annotation, Origin
from apps.core.filters import RepeatedTextFilter

CURATED_LAYER = "curated"


class AnnotationFilter(django_filters.FilterSet):
    """Filters shared by the annotation list and every export."""

    project = django_filters.NumberFilter(field_name="document__project_id")
    document = django_filters.NumberFilter(field_name="document_id")
    tag = RepeatedTextFilter(field_name="tag__slug", help_text="Tag slug; repeat the parameter for several.")
    annotator = django_filters.CharFilter(field_name="annotator__username", help_text="Username.")
    entity = django_filters.NumberFilter(field_name="entity_id", help_text="Linked to this actor entity.")
    origin = django_filters.ChoiceFilter(choices=Origin.choices, help_text="How the annotations came to be.")
    created_after = django_filters.IsoDateTimeFilter(method="filter_created", help_text="ISO 8601, inclusive.")
    created_before = django_filters.IsoDateTimeFilter(method="filter_created", help_text="ISO 8601, exclusive.")
    q = django_filters.CharFilter(method="filter_text", help_text="Text contained in the quote or the note.")
    layer = django_filters.CharFilter(
        method="filter_layer",
        max_length=150,
        help_text="`curated` for the curated layer, or a username for that annotator's layer; without it, every "
        "annotator's annotations and not the curated ones.",
    )

    class Meta:
        model = Annotation
        fields = [
            "project",
            "document",
            "tag",
            "annotator",
            "entity",
            "origin",
            "created_after",
            "created_before",
            "q",
            "layer",
        ]

    def filter_queryset(self, queryset):
        # The curated layer is asked for by name: without `layer`, lists, exports and agreement see only the
        # annotators' work, as before curation existed.
        if not self.form.cleaned_data.get("layer"):
            queryset = queryset.filter(curated=False)
        return super().filter_queryset(queryset)

    def filter_layer(self, queryset, name, value):
        if value == CURATED_LAYER:
            return queryset.filter(curated=True)
        return queryset.filter(curated=False, annotator__username=value)

    def filter_created(self, queryset, name, value):
        # PostgreSQL refuses UTC offsets past ±15:59 that ISO 8601 allows, so compare in UTC.
        try:
            moment = value.astimezone(datetime.UTC)
        except OverflowError as error:
            raise ValidationError({name: ["This date and time is out of range."]}) from error
        return queryset.filter(**{"created__gte" if name == "created_after" else "created__lt": moment})

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(quote__icontains=value) | Q(note__icontains=value))
