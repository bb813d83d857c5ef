from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "apps.events"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from apps.annotations import dependents
        from apps.events.services import EventSlotDependents

        dependents.register("events", EventSlotDependents())
