from django import template

from apps.places.selectors import place_candidates

register = template.Library()


@register.simple_tag
def candidates_for(annotation) -> list[dict]:
    """The places an unresolved location annotation may mean, best first."""
    return place_candidates(annotation)
