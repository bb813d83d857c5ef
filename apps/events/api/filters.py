import django_filters
from django.db.models import Q

from apps.annotations.api.filters import CURATED_LAYER
from apps.core.filters import StableOrderingFilter
from apps.events.models import Event, Slot


class EventFilter(django_filters.FilterSet):
    """Filters of the event list, the events page and the event exports."""

    project = django_filters.NumberFilter(field_name="project_id")
    document = django_filters.NumberFilter(field_name="document_id")
    event_type = django_filters.CharFilter(field_name="event_type")
    actor = django_filters.NumberFilter(method="filter_actor", help_text="An entity id: events naming it as an actor.")
    place = django_filters.NumberFilter(method="filter_place", help_text="A place id: events located there.")
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte", help_text="Inclusive.")
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte", help_text="Inclusive.")
    layer = django_filters.CharFilter(
        method="filter_layer",
        max_length=150,
        help_text="`curated` for the curated layer, or a username for that annotator's events; without it, every "
        "annotator's events and not the curated ones.",
    )
    ordering = StableOrderingFilter(fields=["date", "event_type", "fatalities", "id"])

    class Meta:
        model = Event
        fields = ["project", "document", "event_type", "actor", "place", "date_after", "date_before", "layer"]

    def filter_queryset(self, queryset):
        # As for annotations: the curated layer is asked for by name, so lists, pages and exports show the
        # annotators' events unless told otherwise.
        if not self.form.cleaned_data.get("layer"):
            queryset = queryset.filter(curated=False)
        return super().filter_queryset(queryset)

    def filter_layer(self, queryset, name, value):
        if value == CURATED_LAYER:
            return queryset.filter(curated=True)
        return queryset.filter(curated=False, created_by__username=value)

    def filter_actor(self, queryset, name, value):
        actor_slots = [Slot.ACTOR1, Slot.ACTOR2, Slot.ASSOC_ACTOR_1, Slot.ASSOC_ACTOR_2]
        return queryset.filter(Q(slots__slot__in=actor_slots) & Q(slots__annotation__entity_id=value)).distinct()

    def filter_place(self, queryset, name, value):
        return queryset.filter(slots__slot=Slot.LOCATION, slots__annotation__place_id=value).distinct()
