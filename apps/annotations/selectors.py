"""Reads for annotations and the reading view, scoped through the projects access gate."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Window
from django.db.models.functions import Left, RowNumber
from django.http import Http404
from django.utils.safestring import SafeString

from apps.annotations.highlights import block_segments, render_block, render_text, segments
from apps.annotations.models import Annotation
from apps.documents.models import Document
from apps.documents.reading import text_blocks
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


def changed_blocks(document: Document, tag_slugs: dict[int, str], *, touching: tuple[int, int]) -> list:
    """The rendered blocks that touch the code-point range `touching`, with all their highlights, for out-of-band
    swaps after a change: only these blocks are re-rendered, whatever the size of the document."""
    text = document.text
    low, high = touching
    blocks = [b for b in text_blocks(text) if b.end >= low and b.start <= high]
    if not blocks:
        return []
    spans = document_spans(document, within=(blocks[0].start, blocks[-1].end))
    return [
        {"start": block.start, "html": render_block(text, block, inside, lambda a: tag_slugs[a.tag_id], oob=True)}
        for block, inside in block_segments(blocks, segments(text, spans))
    ]


def document_html(document: Document, spans, tag_slugs: dict[int, str]) -> SafeString:
    """The document's whole text as highlighted blocks."""
    text = document.text
    return render_text(text, text_blocks(text), segments(text, spans), lambda a: tag_slugs[a.tag_id])


def document_spans(document: Document, *, within: tuple[int, int] | None = None):
    """Just what highlighting needs of each annotation (id, start, end, tag_id), as light named tuples;
    with `within`, only the annotations that touch that range."""
    spans = Annotation.objects.filter(document=document)
    if within is not None:
        spans = spans.filter(start__lte=within[1], end__gte=within[0])
    return spans.values_list("id", "start", "end", "tag_id", named=True)


def reader_context(user, document: Document, *, mine_only: bool = False) -> dict:
    """Everything the reading view renders: blocks with highlights, tag set, side panel."""
    tags = list(tags_for_project(document.project))
    tag_slugs = {tag.id: tag.slug for tag in tags}
    return {
        "document": document,
        "project": document.project,
        "tags": tags,
        "document_html": document_html(document, document_spans(document), tag_slugs),
        "panel": annotation_panel(document, tags, annotator=user if mine_only else None),
        "mine_only": mine_only,
        "can_annotate": can_annotate(user, document.project),
    }
