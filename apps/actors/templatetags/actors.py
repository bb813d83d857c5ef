from django import template

from apps.actors.models import ActorType
from apps.actors.selectors import entities_similar

register = template.Library()


@register.simple_tag
def actor_candidates(annotation) -> list:
    """The register's entities closest to an actor span's text, but the one it is linked to."""
    similar = entities_similar(annotation.tag.project_id, annotation.quote)
    return [entity for entity in similar if entity.pk != annotation.entity_id]


@register.simple_tag
def actor_types() -> list:
    return ActorType.choices
