from django import template

from apps.places.selectors import place_candidates

register = template.Library()


@register.simple_tag
def candidates_for(annotation) -> list[dict]:
    """The places a location annotation's quote may mean, best first, but the one it is resolved to."""
    return [place for place in place_candidates(annotation) if place["id"] != annotation.place_id]
