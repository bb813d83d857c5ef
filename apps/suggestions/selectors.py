"""Reads for suggestions: a project's vocabulary (and its version key), and the quality report."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q

from apps.actors.models import Entity
from apps.annotations.models import Annotation
from apps.places.models import Place, PlaceSource
from apps.projects.models import Project, Tag, TagKind
from apps.projects.selectors import READ_ROLES, access_object
from apps.suggestions.matching import (
    SCORE_ENTITY,
    SCORE_GEONAMES_PLACE,
    SCORE_PROJECT_PLACE,
    Term,
)
from apps.suggestions.models import Rejection, Source, Status, Suggestion

# Everything the vocabulary is built from, summed up in one row: when any of it changes, so does the key.
VERSION_SQL = """
SELECT
    (SELECT count(*) FROM annotations_annotation a JOIN documents_document d ON d.id = a.document_id
        WHERE d.project_id = %(project)s),
    (SELECT max(a.modified) FROM annotations_annotation a JOIN documents_document d ON d.id = a.document_id
        WHERE d.project_id = %(project)s),
    (SELECT count(*) FROM actors_entity WHERE project_id = %(project)s),
    (SELECT max(modified) FROM actors_entity WHERE project_id = %(project)s),
    (SELECT count(*) FROM places_place WHERE project_id = %(project)s
        OR (project_id IS NULL AND country_code = ANY(project.focus_countries))),
    (SELECT max(modified) FROM places_place WHERE project_id = %(project)s
        OR (project_id IS NULL AND country_code = ANY(project.focus_countries))),
    (SELECT count(*) FROM projects_tag WHERE project_id = %(project)s),
    (SELECT max(modified) FROM projects_tag WHERE project_id = %(project)s),
    (SELECT count(*) FROM suggestions_rejection WHERE project_id = %(project)s),
    (SELECT max(modified) FROM suggestions_rejection WHERE project_id = %(project)s),
    project.focus_countries
FROM projects_project project WHERE project.id = %(project)s
"""


def vocabulary_version(project_id: int) -> tuple:
    """A cheap key that changes whenever the project's vocabulary does (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(VERSION_SQL, {"project": project_id})
        row = cursor.fetchone()
    return tuple(tuple(value) if isinstance(value, list) else value for value in row or ())


@dataclass(frozen=True)
class ProjectTerms:
    terms: list[Term]
    slugs: dict[int, str]
    rejected: frozenset[tuple[str, int]]
    kind_tags: dict[str, int]  # a tag kind -> the first tag of that kind


def _first_tag_of_kind(tags: list[Tag]) -> dict[str, int]:
    first: dict[str, int] = {}
    for tag in tags:
        first.setdefault(tag.kind, tag.id)
    return first


def memory_terms(project_id: int) -> list[Term]:
    """Every string tagged in the project, once per tag, scored by how often it got that tag rather than another,
    and how often a suggestion of it was rejected: (tagged with it + 1) / (tagged at all + rejected + 2)."""
    counts = (
        Annotation.objects.filter(document__project_id=project_id)
        .values_list("quote", "tag_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    rejected = {
        (quote, tag_id): n
        for quote, tag_id, n in Suggestion.objects.filter(document__project_id=project_id, status=Status.REJECTED)
        .values_list("quote", "tag_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    totals: dict[str, int] = {}
    rows = list(counts)
    for quote, _tag_id, n in rows:
        totals[quote] = totals.get(quote, 0) + n
    return [
        Term(quote, tag_id, Source.MEMORY, (n + 1) / (totals[quote] + rejected.get((quote, tag_id), 0) + 2))
        for quote, tag_id, n in rows
    ]


def entity_terms(project_id: int, tag_id: int | None) -> list[Term]:
    """The names and aliases of the project's actors, proposed with its actor-kind tag."""
    if tag_id is None:
        return []
    terms = []
    for name, aliases in Entity.objects.filter(project_id=project_id).values_list("name", "aliases"):
        terms.extend(Term(text, tag_id, Source.ENTITY, SCORE_ENTITY) for text in [name, *aliases])
    return terms


def _looks_like_a_name(text: str) -> bool:
    # GeoNames' alternate names include codes and lower-case words ("sy", "as"); a place named in a report is
    # written with a capital (or in a script without case).
    return len(text) >= 3 and not text[0].islower() and not text.isupper()


def gazetteer_terms(project: Project, tag_id: int | None) -> list[Term]:
    """The project's own places and the GeoNames places of its focus countries, with its place-kind tag."""
    if tag_id is None:
        return []
    places = Place.objects.filter(
        Q(project_id=project.pk) | Q(project__isnull=True, country_code__in=project.focus_countries or [])
    ).values_list("name", "aliases", "source")
    terms = []
    for name, aliases, source in places:
        if source == PlaceSource.PROJECT:
            terms.extend(Term(text, tag_id, Source.GAZETTEER, SCORE_PROJECT_PLACE) for text in [name, *aliases])
        else:
            terms.extend(
                Term(text, tag_id, Source.GAZETTEER, SCORE_GEONAMES_PLACE)
                for text in [name, *aliases]
                if _looks_like_a_name(text)
            )
    return terms


def project_terms(project_id: int) -> ProjectTerms:
    """Everything the project's automaton and filters are made of."""
    project = Project.objects.get(pk=project_id)
    tags = list(Tag.objects.filter(project_id=project_id))
    kinds = _first_tag_of_kind(tags)
    terms = [
        *memory_terms(project_id),
        *entity_terms(project_id, kinds.get(TagKind.ACTOR)),
        *gazetteer_terms(project, kinds.get(TagKind.PLACE)),
    ]
    rejected = frozenset(Rejection.objects.filter(project_id=project_id).values_list("text", "tag_id"))
    return ProjectTerms(terms, {tag.id: tag.slug for tag in tags}, rejected, kinds)


@dataclass(frozen=True)
class SourceQuality:
    source: str
    label: str
    accepted: int
    rejected: int
    ignored: int

    @property
    def shown(self) -> int:
        return self.accepted + self.rejected + self.ignored

    @property
    def precision(self) -> float | None:
        """Of the suggestions decided, the share accepted."""
        decided = self.accepted + self.rejected
        return self.accepted / decided if decided else None


def suggestion_quality(project: Project) -> list[SourceQuality]:
    """Per source: suggestions accepted, rejected, and ignored (shown, still open), in one query."""
    counts = {
        (source, status): n
        for source, status, n in Suggestion.objects.filter(document__project=project)
        .values_list("source", "status")
        .annotate(n=Count("id"))
        .order_by()
    }
    return [
        SourceQuality(
            source.value,
            source.label,
            counts.get((source.value, Status.ACCEPTED), 0),
            counts.get((source.value, Status.REJECTED), 0),
            counts.get((source.value, Status.OPEN), 0),
        )
        for source in Source
    ]


def rejections_in_project(project: Project):
    """The project's rejected (text, tag), by text."""
    return Rejection.objects.filter(project=project).select_related("tag", "rejected_by")


def access_suggestion(user, suggestion_id, roles=READ_ROLES) -> Suggestion:
    """The suggestion (with its tag and document, without the text) if the user's role in its project is one of
    `roles`: 404 for a non-member or an id that is not a number, 403 for another role."""
    text = str(suggestion_id)
    pk = int(text) if text.isdecimal() and text.isascii() and len(text) <= 18 else 0
    suggestion, _ = access_object(
        Suggestion.objects.select_related("document__project", "tag").defer(
            "document__text", "document__search_vector"
        ),
        user,
        pk,
        project_path="document__project",
        roles=roles,
        missing="No such suggestion.",
    )
    return suggestion
