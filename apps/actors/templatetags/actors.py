from django import template

from apps.actors.models import ActorType
from apps.actors.selectors import entities_similar

register = template.Library()


@register.simple_tag
def actor_candidates(annotation) -> list:
    """The register's entities closest to an unlinked actor span's text."""
    return entities_similar(annotation.tag.project_id, annotation.quote)


@register.simple_tag
def actor_types() -> list:
    return ActorType.choices
