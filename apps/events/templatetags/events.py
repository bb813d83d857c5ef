from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def slot_options(spans, chosen, blank=True):
    """A slot's <option>s: its candidate spans (quote and offsets), the chosen one(s) selected."""
    wanted = set(chosen) if isinstance(chosen, list) else {chosen}
    options = format_html_join(
        "",
        '<option value="{}" data-annotation-id="{}"{}>{} ({}–{})</option>',
        ((a.pk, a.pk, " selected" if a.pk in wanted else "", a.quote[:60], a.start, a.end) for a in spans),
    )
    return format_html('<option value="">—</option>{}', options) if blank else options


SLOT_LABELS = [
    ("actor1", "Actor 1"), ("actor2", "Actor 2"), ("assoc_actor_1", "With actor 1"), ("assoc_actor_2", "With actor 2"),
    ("location", "Location"), ("fatalities", "Fatalities span"),
]  # fmt: skip


@register.filter
def slot_rows(spans: dict) -> list:
    """(slot, label, annotation) for each filled slot, in the dataset's order."""
    rows = []
    for name, label in SLOT_LABELS:
        value = spans[name]
        rows += [(name, label, a) for a in (value if isinstance(value, list) else [value] if value else [])]
    return rows


@register.simple_tag
def event_span_ids(spans: dict) -> str:
    return " ".join(str(annotation.pk) for _, _, annotation in slot_rows(spans))


@register.filter
def may_edit_event(member, event) -> bool:
    from apps.events.services import may_edit_event as rule

    return rule(member.membership, event)


@register.filter
def slot(spans: dict, name: str):
    return spans.get(name)
