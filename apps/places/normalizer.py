"""The place normalizer: a location annotation's quote resolved against the gazetteer (apps.annotations.normalizers)."""

from django.core.exceptions import ValidationError

from apps.annotations.normalizers import UNRESOLVED, Reading
from apps.places.models import Precision
from apps.places.selectors import best_place, candidates_for_names, place_in_gazetteer, place_json


def place_reading(place: dict, precision: int) -> Reading:
    return Reading({"kind": "place", "place": place_json(place), "precision": precision}, place_id=place["id"])


class PlaceNormalizer:
    def read_many(self, project_id: int, quotes: list[str]) -> list[Reading]:
        candidates = candidates_for_names(project_id, quotes)
        readings = []
        for quote in quotes:
            best = best_place(candidates[quote])
            readings.append(UNRESOLVED if best is None else place_reading(best.place, best.place["precision"]))
        return readings

    def read_by_hand(self, project_id: int, quote: str, data: dict) -> Reading:
        place_id = data.get("place")
        if isinstance(place_id, bool) or not isinstance(place_id, int | str) or not str(place_id).isdigit():
            raise ValidationError({"place": "Give the id of a place (a GeoNames place or one of the project's)."})
        place = place_in_gazetteer(project_id, int(place_id))
        if place is None:
            raise ValidationError({"place": f"No place {place_id} in this project's gazetteer."})
        precision = data.get("precision", place.precision)
        if precision not in Precision.values or isinstance(precision, bool):
            raise ValidationError({"precision": "precision is 1 (town), 2 (near a town) or 3 (region or country)."})
        fields = {field: getattr(place, field) for field in ("id", "name", "latitude", "longitude", "country_code")}
        return place_reading({**fields, "admin1": place.admin1, "source": place.source}, precision)
