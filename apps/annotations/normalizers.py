"""What a tag's kind reads from a span. Each kind's app (quantities, places, actors) registers one normalizer in its
AppConfig.ready(); the annotation services call it on every create, and on an edit that moves or retags a span
unless a person set the value by hand. So the annotations app never imports the apps that build on it."""

from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Reading:
    """An annotation's normalised value, in the shape the API shows (`{"kind": ..., ...}`), and the keys it came
    from."""

    normalized: dict | None
    place_id: int | None = None
    entity_id: int | None = None


UNRESOLVED = Reading(None)


class Normalizer(Protocol):
    def read_many(self, project_id: int, quotes: list[str]) -> list[Reading]:
        """The automatic reading of each quote, in order (one or a few queries for all of them)."""

    def read_by_hand(self, project_id: int, quote: str, data: dict) -> Reading:
        """The reading a person gives (a PATCH's `normalized`); ValidationError naming the bad field."""


_NORMALIZERS: dict[str, Normalizer] = {}


def register(kind: str, normalizer: Normalizer) -> None:
    _NORMALIZERS[kind] = normalizer


def readings_apply(annotations) -> None:
    """Set the automatic reading of each annotation (saved or not) from its tag's kind and its quote; one call per
    project and kind. Annotations whose value was set by hand keep it."""
    groups: dict[tuple[int, str], list] = {}
    for annotation in annotations:
        if annotation.normalized_by_hand:
            continue
        if annotation.tag.kind not in _NORMALIZERS:
            _reading_set(annotation, UNRESOLVED)
            continue
        groups.setdefault((annotation.tag.project_id, annotation.tag.kind), []).append(annotation)
    for (project_id, kind), members in groups.items():
        readings = _NORMALIZERS[kind].read_many(project_id, [annotation.quote for annotation in members])
        for annotation, reading in zip(members, readings, strict=True):
            _reading_set(annotation, reading)


def reading_by_hand(annotation, data: dict | None) -> None:
    """Set what a person says the span means (`data` as the kind's normalizer takes it), or with None go back to
    the automatic reading."""
    if data is None:
        annotation.normalized_by_hand = False
        readings_apply([annotation])
        return
    if not isinstance(data, dict):
        raise ValidationError({"normalized": "normalized must be an object, or null for the automatic reading."})
    normalizer = _NORMALIZERS.get(annotation.tag.kind)
    if normalizer is None:
        raise ValidationError({"normalized": f"The tag “{annotation.tag.slug}” is plain: it has no normalised value."})
    _reading_set(annotation, normalizer.read_by_hand(annotation.tag.project_id, annotation.quote, data))
    annotation.normalized_by_hand = True


def _reading_set(annotation, reading: Reading) -> None:
    annotation.normalized, annotation.place_id, annotation.entity_id = (
        reading.normalized,
        reading.place_id,
        reading.entity_id,
    )


NORMALIZED_FIELDS = ["normalized", "normalized_by_hand", "place", "entity"]
