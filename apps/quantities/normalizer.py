"""The quantity kind's normalizer: the grammar's reading of a quote, or the fields a person gives."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from apps.annotations.normalizers import Reading
from apps.quantities.grammar import QUALIFIERS, read_quantity
from apps.quantities.selectors import vague_table_for

NUMBER_FIELDS = ("low", "best", "high", "conservative")
TEXT_FIELDS = ("unit", "counted")
READING_KEYS = ("kind", "low", "best", "high", "qualifier", "unit", "counted", "conservative")
FIELDS = set(READING_KEYS)


def quantity_by_hand(data: dict) -> dict:
    """A reading given by hand, checked: numbers or null, a known qualifier, low <= best <= high, conservative
    within [low, high], and one figure when it is exact. Errors name the field as `normalized.<field>`; missing fields
    are null."""
    errors = {}
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        errors["normalized"] = f"Unknown fields for a quantity: {', '.join(unknown)}."
    if data.get("kind", "quantity") != "quantity":
        errors["normalized.kind"] = "kind must be “quantity”."
    reading = {"kind": "quantity"}
    for field in NUMBER_FIELDS:
        value = data.get(field)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float | str)):
            errors[f"normalized.{field}"] = f"{field} must be a number or null."
            value = None
        elif isinstance(value, str | float):
            try:
                number = Decimal(str(value).replace(",", ""))
            except InvalidOperation:
                number = None
            if number is None or not number.is_finite():
                errors[f"normalized.{field}"] = f"{field} must be a number or null."
                value = None
            else:
                value = int(number) if number == number.to_integral_value() else float(number)
        if value is not None and abs(value) > 10**15:
            errors[f"normalized.{field}"] = f"{field} is too large."
            value = None
        reading[field] = value
    qualifier = data.get("qualifier")
    if qualifier is not None and qualifier not in QUALIFIERS:
        errors["normalized.qualifier"] = f"qualifier must be one of {', '.join(QUALIFIERS)}, or null."
    reading["qualifier"] = qualifier if qualifier in QUALIFIERS else None
    for field in TEXT_FIELDS:
        value = data.get(field)
        if value is not None and (not isinstance(value, str) or len(value) > 60):
            errors[f"normalized.{field}"] = f"{field} must be a text of at most 60 characters, or null."
            value = None
        reading[field] = value.strip() or None if isinstance(value, str) else None
    low, best, high, conservative = (reading[field] for field in NUMBER_FIELDS)
    if low is not None and high is not None and low > high:
        errors.setdefault("normalized.low", "low must not be above high.")
    if best is not None and low is not None and best < low:
        errors.setdefault("normalized.best", "best must not be below low.")
    if best is not None and high is not None and best > high:
        errors.setdefault("normalized.best", "best must not be above high.")
    if conservative is not None and low is not None and conservative < low:
        errors.setdefault("normalized.conservative", "conservative must not be below low.")
    if conservative is not None and high is not None and conservative > high:
        errors.setdefault("normalized.conservative", "conservative must not be above high.")
    if reading["qualifier"] == "exactly" and len({n for n in (low, best, high, conservative) if n is not None}) > 1:
        errors.setdefault("normalized.qualifier", "“exactly” is one figure: low, best, high and conservative agree.")
    if errors:
        raise ValidationError(errors)
    return {key: reading[key] for key in READING_KEYS}


class QuantityNormalizer:
    def read_many(self, project_id: int, quotes: list[str]) -> list[Reading]:
        table = vague_table_for(project_id)
        readings = []
        for quote in quotes:
            reading = read_quantity(quote, table)
            readings.append(Reading(reading if reading["best"] is not None else None))
        return readings

    def read_by_hand(self, project_id: int, quote: str, data: dict) -> Reading:
        return Reading(quantity_by_hand(data))
