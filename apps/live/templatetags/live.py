from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()


@register.simple_tag
def live_events_url(document) -> str:
    """Where the reading view opens its stream: the live server's origin (LECTOR_LIVE_URL; "/" for this origin)
    and the stream's path; empty when live updates are off."""
    if not settings.LECTOR_LIVE_ENABLED:
        return ""
    return settings.LECTOR_LIVE_URL + reverse("live:events", args=[document.pk])
