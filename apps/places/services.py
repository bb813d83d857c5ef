"""Writes of the gazetteer: a project's own places, and resolving the project's location annotations again when a
place is added or renamed."""

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.annotations.models import Annotation
from apps.annotations.normalizers import NORMALIZED_FIELDS, readings_apply
from apps.places.gazetteer import name_rows
from apps.places.models import Place, PlaceName, PlaceSource
from apps.projects.models import Project, TagKind
from apps.projects.selectors import ANNOTATE_ROLES, require_role

PLACE_EDITABLE = ("name", "aliases", "latitude", "longitude", "country_code", "admin1")


def _clean_values(values: dict) -> dict:
    values = {field: values[field] for field in PLACE_EDITABLE if field in values}
    if "name" in values:
        values["name"] = " ".join(str(values["name"]).split())
    if "aliases" in values:
        aliases = values["aliases"]
        if not isinstance(aliases, list) or not all(isinstance(alias, str) for alias in aliases):
            raise ValidationError({"aliases": "aliases is a list of names."})
        values["aliases"] = [" ".join(alias.split()) for alias in aliases if alias.strip()]
    if "country_code" in values:
        values["country_code"] = str(values["country_code"] or "").strip().upper()
    return values


def _names_write(place: Place) -> None:
    PlaceName.objects.filter(place=place).delete()
    PlaceName.objects.bulk_create(
        PlaceName(place=place, exact=exact, spelling=spelling)
        for exact, spelling in name_rows([place.name, *place.aliases])
    )


def unresolved_places_resolve(project: Project) -> int:
    """Resolve again the project's location annotations that have no place and were not set by hand; how many
    now have one."""
    waiting = list(
        Annotation.objects.filter(
            document__project=project, tag__kind=TagKind.PLACE, place__isnull=True, normalized_by_hand=False
        ).select_related("tag")
    )
    readings_apply(waiting)
    resolved = [annotation for annotation in waiting if annotation.place_id is not None]
    Annotation.objects.bulk_update(resolved, NORMALIZED_FIELDS)
    return len(resolved)


@transaction.atomic
def place_create(*, project: Project, user, **values) -> Place:
    """Add a place of the project's own (annotators and owners), and resolve the location annotations it names."""
    require_role(user, project, ANNOTATE_ROLES)
    place = Place(project=project, source=PlaceSource.PROJECT, **_clean_values(values))
    place.full_clean()
    place.save()
    _names_write(place)
    unresolved_places_resolve(project)
    return place


@transaction.atomic
def place_update(*, place: Place, user, **values) -> Place:
    """Change a project place's name, aliases, coordinates or country; its location annotations keep it."""
    if place.project_id is None:
        raise ValidationError({"place": "GeoNames places cannot be changed."})
    require_role(user, place.project, ANNOTATE_ROLES)
    for field, value in _clean_values(values).items():
        setattr(place, field, value)
    place.full_clean()
    place.save()
    _names_write(place)
    unresolved_places_resolve(place.project)
    return place


@transaction.atomic
def place_delete(*, place: Place, user) -> None:
    """Delete a project place; the annotations that pointed at it become unresolved."""
    if place.project_id is None:
        raise ValidationError({"place": "GeoNames places cannot be deleted."})
    require_role(user, place.project, ANNOTATE_ROLES)
    Annotation.objects.filter(place=place).update(normalized=None, place=None, normalized_by_hand=False)
    place.delete()
