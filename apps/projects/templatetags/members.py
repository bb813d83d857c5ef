"""`{% if member|may_edit:annotation %}`: the editing rule of projects.selectors.Member, in templates."""

from django import template

register = template.Library()


@register.filter
def may_edit(member, annotation) -> bool:
    return member.may_edit(annotation)
