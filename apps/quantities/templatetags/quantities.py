from django import template

from apps.quantities.grammar import QUALIFIERS

register = template.Library()


@register.simple_tag
def quantity_qualifiers() -> tuple[str, ...]:
    return QUALIFIERS
