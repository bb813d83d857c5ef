"""Reads of the gazetteer: the candidates for names, best first, and the places of a project's annotations."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q, QuerySet

from apps.annotations.models import Annotation
from apps.core.db import PreparedStatement
from apps.places.models import Place, PlaceName, PlaceSource
from apps.places.names import exact_key, spelling_key
from apps.projects.models import Project

# Without focus countries to tell them apart, a place resolves a name several places share only when it has at
# least this many times the population of the next (Damascus, Syria over Damascus, Maryland; not Hajin, Syria at
# 29,000 over Hajin (Saimbeyli), Turkey at 5,400).
DOMINANCE = 10
PLACE_FIELDS = ("id", "name", "latitude", "longitude", "country_code", "admin1", "source")
CANDIDATES_SHOWN = 20


@dataclass(frozen=True)
class Candidate:
    place: dict  # CANDIDATE_FIELDS: PLACE_FIELDS, population, precision, aliases, project_id and focus
    exact: bool  # the name matched as written, not only as a spelling variant
    focus: bool  # in one of the project's focus countries

    @property
    def rank(self) -> tuple:
        return (
            not self.exact,
            self.place["source"] != PlaceSource.PROJECT,
            not self.focus,
            -self.place["precision"],
            -self.place["population"],
            self.place["id"],
        )


def place_json(place: dict) -> dict:
    """A place in the API's shape."""
    return {field: place[field] for field in PLACE_FIELDS}


def _gazetteer_for(project_id: int) -> Q:
    return Q(place__project__isnull=True) | Q(place__project_id=project_id)


CANDIDATE_FIELDS = (*PLACE_FIELDS, "population", "precision", "aliases", "project_id", "focus")
# Read on every create with a place-kind tag: prepared once per connection (planning took longer than running it).
# The project's focus countries come from its row in the same query.
CANDIDATES_STATEMENT = PreparedStatement(
    "lector_place_candidates",
    f"""
SELECT name.spelling, name.exact, place.id, place.name, place.latitude, place.longitude, place.country_code,
    place.admin1, place.source, place.population, place.precision, place.aliases, place.project_id,
    place.country_code = ANY(project.focus_countries) AS focus
FROM {PlaceName._meta.db_table} name
JOIN {Place._meta.db_table} place ON place.id = name.place_id
JOIN {Project._meta.db_table} project ON project.id = %(project)s
WHERE name.spelling = ANY(%(spellings)s::text[]) AND (place.project_id IS NULL OR place.project_id = project.id)
""",
)


def candidates_for_names(project_id: int, names: Iterable[str]) -> dict[str, list[Candidate]]:
    """Each name's candidate places (GeoNames and the project's), best first, in one query."""
    names = list(names)
    by_spelling: dict[str, list[str]] = {}
    for name in names:
        by_spelling.setdefault(spelling_key(name), []).append(name)
    by_spelling.pop("", None)
    found: dict[str, list[tuple[str, dict]]] = {}
    if by_spelling:
        with connection.cursor() as cursor:
            CANDIDATES_STATEMENT.execute(cursor, {"project": project_id, "spellings": list(by_spelling)})
            for spelling, exact, *values in cursor.fetchall():
                found.setdefault(spelling, []).append((exact, dict(zip(CANDIDATE_FIELDS, values, strict=True))))
    result = {}
    for name in names:
        exact = exact_key(name)
        best: dict[int, Candidate] = {}
        for written, place in found.get(spelling_key(name), []):
            candidate = Candidate(place, exact=written == exact, focus=bool(place["focus"]))
            if place["id"] not in best or candidate.rank < best[place["id"]].rank:
                best[place["id"]] = candidate
        result[name] = sorted(best.values(), key=lambda candidate: candidate.rank)
    return result


def best_place(candidates: list[Candidate]) -> Candidate | None:
    """The one place the name means, or None when there is none or several are as likely: exact matches before
    spelling variants, the project's own places before GeoNames, the focus countries before others; then one left,
    or one that dominates the rest by population."""
    pool = candidates
    for keeps in (
        lambda candidate: candidate.exact,
        lambda candidate: candidate.place["source"] == PlaceSource.PROJECT,
        lambda candidate: candidate.focus,
    ):
        kept = [candidate for candidate in pool if keeps(candidate)]
        if kept:
            pool = kept
    if len(pool) == 1:
        return pool[0]
    if pool:
        first, second = sorted(pool, key=lambda candidate: -candidate.place["population"])[:2]
        if first.place["population"] >= DOMINANCE * max(second.place["population"], 1):
            return first
    return None


def places_for_project(project: Project) -> QuerySet[Place]:
    """The project's own places, by name."""
    return Place.objects.filter(project=project).order_by("name", "id")


def place_in_gazetteer(project_id: int, place_id) -> Place | None:
    """A GeoNames place or one of the project's, or None."""
    return Place.objects.filter(Q(project__isnull=True) | Q(project_id=project_id), pk=place_id).first()


def mapped_places(project: Project) -> QuerySet[Place]:
    """Every place the project's annotations resolve to, with its count of annotations, most mentioned first."""
    return (
        Place.objects.filter(annotations__document__project=project)
        .annotate(mentions=Count("annotations"))
        .order_by("-mentions", "name", "id")
    )


def place_mentions(project: Project, place: Place) -> QuerySet[Annotation]:
    """The project's annotations resolved to the place, by document and position."""
    return (
        Annotation.objects.filter(document__project=project, place=place)
        .select_related("document", "tag")
        .defer("document__text", "document__search_vector")
        .order_by("document__title", "document_id", "start")
    )


def place_candidates(annotation: Annotation) -> list[dict]:
    """The places a location annotation's quote may mean, best first."""
    candidates = candidates_for_names(annotation.tag.project_id, [annotation.quote])[annotation.quote]
    return [candidate.place for candidate in candidates[:CANDIDATES_SHOWN]]
