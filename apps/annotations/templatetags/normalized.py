import json

from django import template

register = template.Library()


def _number(value) -> str:
    if value is None:
        return "?"
    return f"{value:,}" if isinstance(value, int | float) and not isinstance(value, bool) else str(value)


@register.filter
def normalized_text(value) -> str:
    """An annotation's normalised value in words, for its history ("best 100 (100–999, vague) fighters")."""
    if not isinstance(value, dict):
        return "—" if value is None else str(value)
    kind = value.get("kind")
    if kind == "quantity":
        bounds = f"{_number(value.get('low'))}–{_number(value.get('high'))}"
        words = [f"best {_number(value.get('best'))} ({bounds}, {value.get('qualifier') or 'no qualifier'})"]
        if value.get("unit"):
            words.append(str(value["unit"]))
        if value.get("counted"):
            words.append(str(value["counted"]))
        words.append(f"conservative {_number(value.get('conservative'))}")
        return " ".join(words[:-1]) + ", " + words[-1]
    if kind == "place" and isinstance(value.get("place"), dict):
        place = value["place"]
        return f"{place.get('name')} ({place.get('country_code') or '?'}), precision {value.get('precision')}"
    if kind == "actor" and isinstance(value.get("entity"), dict):
        entity = value["entity"]
        return f"{entity.get('name')} ({entity.get('type') or 'no type'})"
    return json.dumps(value, ensure_ascii=False)
