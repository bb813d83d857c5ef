"""Reads for annotations and the reading view, scoped through the projects access gate."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import Left, RowNumber
from django.http import Http404
from django.utils.safestring import SafeString

from apps.annotations.highlights import Legend, block_segments, render_block, render_text, segments
from apps.annotations.models import Annotation
from apps.documents.models import Document
from apps.documents.reading import text_blocks
from apps.projects.guidelines import render_guidelines
from apps.projects.models import Membership, Tag
from apps.projects.selectors import can_annotate, projects_visible_to, tags_for_project

PANEL_LIMIT_PER_TAG = 100


def annotations_visible_to(user) -> QuerySet[Annotation]:
    """Annotations in every project the user is a member of."""
    return Annotation.objects.filter(document__project__in=projects_visible_to(user))


def annotation_for_member(user, annotation_id: int) -> Annotation:
    """The annotation if the user may see its project, else 404."""
    annotation = (
        annotations_visible_to(user)
        .select_related("document__project", "tag", "annotator")
        .filter(pk=annotation_id)
        .first()
    )
    if annotation is None:
        raise Http404("No such annotation.")
    return annotation


def document_annotations(document: Document, *, annotator=None) -> QuerySet[Annotation]:
    """A document's annotations in reading order, with tag and annotator loaded."""
    annotations = Annotation.objects.filter(document=document).select_related("tag", "annotator")
    if annotator is not None:
        annotations = annotations.filter(annotator=annotator)
    return annotations.order_by("start", "-end", "id")


def annotations_by_ids(document: Document, ids) -> list[Annotation]:
    """The listed annotations of the document (others are ignored), outermost first."""
    return list(document_annotations(document).filter(pk__in=ids))


@dataclass
class TagGroup:
    tag: object
    count: int
    annotations: list


def annotation_panel(document: Document, tags, *, annotator=None) -> list[TagGroup]:
    """The side panel's groups for `tags`: the document's annotations by tag, with counts; each group lists its
    first PANEL_LIMIT_PER_TAG entries in reading order, so a document with 20,000 annotations stays light."""
    annotations = Annotation.objects.filter(document=document, tag__in=[tag.id for tag in tags])
    if annotator is not None:
        annotations = annotations.filter(annotator=annotator)
    counts = dict(annotations.order_by().values_list("tag_id").annotate(count=Count("id")))
    entries = (
        annotations.annotate(
            rank=Window(RowNumber(), partition_by=F("tag_id"), order_by=[F("start").asc(), F("id").asc()]),
            short_quote=Left("quote", 80),
            has_note=~Q(note=""),
        )
        .filter(rank__lte=PANEL_LIMIT_PER_TAG)
        .values("id", "tag_id", "short_quote", "has_note")
        .order_by("start", "id")
    )
    by_tag = defaultdict(list)
    for entry in entries:
        by_tag[entry["tag_id"]].append(entry)
    return [TagGroup(tag, counts.get(tag.id, 0), by_tag[tag.id]) for tag in tags]


def reader_legend(project, tags=None) -> Legend:
    """Tag slugs and member usernames by id, for labelling highlights (`tags`: the project's, if already read)."""
    tag_slugs = {tag.id: tag.slug for tag in tags} if tags is not None else None
    return Legend(
        tag_slugs=tag_slugs or dict(Tag.objects.filter(project=project).values_list("id", "slug")),
        annotator_names=dict(Membership.objects.filter(project=project).values_list("user_id", "user__username")),
    )


def layer_annotator(user, project, layer: str):
    """The annotator whose layer to show: `mine`, a member's username, or None for everyone's."""
    if layer == "mine":
        return user
    if layer:
        membership = Membership.objects.filter(project=project, user__username=layer).select_related("user").first()
        return membership.user if membership else None
    return None


def changed_blocks(document: Document, legend: Legend, *, touching: tuple[int, int], annotator=None) -> list:
    """The rendered blocks that touch the code-point range `touching`, with all their highlights (of the layer
    shown), for out-of-band swaps after a change: only these blocks are re-rendered, whatever the document's size."""
    text = document.text
    low, high = touching
    blocks = [b for b in text_blocks(text) if b.end >= low and b.start <= high]
    if not blocks:
        return []
    spans = document_spans(document, within=(blocks[0].start, blocks[-1].end), annotator=annotator)
    return [
        {"start": block.start, "html": render_block(text, block, inside, legend, oob=True)}
        for block, inside in block_segments(blocks, segments(text, spans))
    ]


def document_html(document: Document, spans, legend: Legend) -> SafeString:
    """The document's whole text as highlighted blocks."""
    text = document.text
    return render_text(text, text_blocks(text), segments(text, spans), legend)


def document_spans(document: Document, *, within: tuple[int, int] | None = None, annotator=None):
    """Just what highlighting needs of each annotation (id, start, end, tag_id, annotator_id), as light named
    tuples; with `within`, only the annotations that touch that range; with `annotator`, only theirs."""
    spans = Annotation.objects.filter(document=document)
    if within is not None:
        spans = spans.filter(start__lte=within[1], end__gte=within[0])
    if annotator is not None:
        spans = spans.filter(annotator=annotator)
    return spans.values_list("id", "start", "end", "tag_id", "annotator_id", named=True)


def reader_context(user, document: Document, *, mine_only: bool = False, layer: str = "") -> dict:
    """Everything the reading view renders: blocks with highlights (of one layer, or all), tag set, side panel."""
    project = document.project
    tags = list(tags_for_project(project))
    legend = reader_legend(project, tags)
    annotator = layer_annotator(user, project, layer)
    return {
        "document": document,
        "project": project,
        "tags": tags,
        "document_html": document_html(document, document_spans(document, annotator=annotator), legend),
        "panel": annotation_panel(document, tags, annotator=user if mine_only else None),
        "mine_only": mine_only,
        "layer": layer if annotator is not None else "",
        "annotator_names": sorted(legend.annotator_names.values()),
        "guidelines": render_guidelines(project.guidelines) if project.guidelines else "",
        "can_annotate": can_annotate(user, project),
    }
