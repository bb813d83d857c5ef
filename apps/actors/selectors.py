"""Reads of the actor register, scoped by the caller's projects."""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramSimilarity
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Func, IntegerField, Q, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest, Substr

from apps.actors.models import Entity
from apps.annotations.models import Annotation
from apps.projects.models import Membership
from apps.projects.selectors import access_object, projects_visible_to

CONTEXT_CHARS = 90  # read either side of a mention, cut back to whole words
SIMILAR_SHOWN = 6
MENTIONS_PER_PAGE = 200


def entities_visible_to(user) -> QuerySet[Entity]:
    """The entities of the user's projects, with their mention counts."""
    return Entity.objects.filter(project__in=projects_visible_to(user)).annotate(mentions=Count("annotations"))


def access_entity(user, entity_id: int, roles) -> tuple[Entity, Membership]:
    """The entity (with its project) and the caller's membership in one query; 404 outside their projects."""
    return access_object(
        Entity.objects.select_related("project"),
        user,
        entity_id,
        project_path="project",
        roles=roles,
        missing="No such entity.",
    )


def register_for_project(project, q: str = "") -> QuerySet[Entity]:
    """The project's register with mention counts; `q` searches names and aliases."""
    entities = Entity.objects.filter(project=project).annotate(mentions=Count("annotations")).order_by("name", "id")
    q = q.strip()
    if q:
        alias_match = Func(F("aliases"), Value(" "), function="array_to_string", output_field=TextField())
        entities = entities.alias(alias_text=alias_match).filter(Q(name__icontains=q) | Q(alias_text__icontains=q))
    return entities


def entities_similar(project_id: int, quote: str, limit: int = SIMILAR_SHOWN) -> list[Entity]:
    """The project's entities closest to the text (pg_trgm similarity to the name or any alias), best first."""
    best_alias = RawSQL("(SELECT max(similarity(alias, %s)) FROM unnest(actors_entity.aliases) alias)", [quote])
    return list(
        Entity.objects.filter(project_id=project_id)
        .annotate(similarity=Greatest(TrigramSimilarity("name", quote), best_alias))
        .order_by(F("similarity").desc(nulls_last=True), "name")[:limit]
    )


@dataclass(frozen=True)
class Mention:
    annotation: Annotation
    before: str
    after: str


def _words_cut(text: str, *, keep_end: bool) -> str:
    """The text without its partial word at the cut side (the side away from the mention)."""
    if keep_end:
        return re.sub(r"^\S*\s", "", text, count=1) if len(text) >= CONTEXT_CHARS else text
    return re.sub(r"\s\S*$", "", text, count=1) if len(text) >= CONTEXT_CHARS else text


def entity_mentions(entity: Entity, page_number=1) -> Page:
    """A page of the annotations linked to the entity, by document, each a Mention with some words of text either
    side (read by PostgreSQL: only the pieces, not the documents' texts)."""
    start_at = Greatest(F("start") - CONTEXT_CHARS, Value(0), output_field=IntegerField())
    annotations = (
        Annotation.objects.filter(entity=entity)
        .select_related("document", "tag", "annotator")
        .only("id", "start", "end", "quote", "document__id", "document__title", "tag__label", "tag__slug",
              "annotator__username")
        .annotate(
            text_before=Substr("document__text", start_at + 1, F("start") - start_at),
            text_after=Substr("document__text", F("end") + 1, CONTEXT_CHARS),
        )
        .order_by("document__title", "document_id", "start", "id")
    )  # fmt: skip
    page = Paginator(annotations, MENTIONS_PER_PAGE).get_page(page_number)
    page.object_list = [
        Mention(
            annotation,
            before=" ".join(_words_cut(annotation.text_before, keep_end=True).split()),
            after=" ".join(_words_cut(annotation.text_after, keep_end=False).split()),
        )
        for annotation in page.object_list
    ]
    return page
