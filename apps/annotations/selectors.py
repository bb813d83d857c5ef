"""Reads for annotations and the reading view, scoped through the projects access gate."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from apps.annotations.highlights import block_segments, render_block, segments
from apps.annotations.models import Annotation
from apps.documents.models import Document
from apps.documents.reading import text_blocks
from apps.projects.selectors import can_annotate, projects_visible_to, tags_for_project

PANEL_LIMIT_PER_TAG = 300


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
    """The side panel: the document's annotations grouped by tag, with counts (long groups are cut)."""
    by_tag = defaultdict(list)
    for annotation in document_annotations(document, annotator=annotator):
        by_tag[annotation.tag_id].append(annotation)
    return [TagGroup(tag, len(by_tag[tag.id]), by_tag[tag.id][:PANEL_LIMIT_PER_TAG]) for tag in tags]


def highlighted_blocks(document: Document, spans, tag_slugs: dict[int, str], *, only=None, oob=False) -> list:
    """Rendered blocks of the document; with `only` (a code-point range), just the blocks that touch it."""
    text = document.text
    blocks = text_blocks(text)
    if only is not None:
        low, high = only
        blocks = [b for b in blocks if b.end >= low and b.start <= high]
    pieces = segments(text, spans)
    return [
        {"start": block.start, "html": render_block(text, block, inside, lambda a: tag_slugs[a.tag_id], oob=oob)}
        for block, inside in block_segments(blocks, pieces)
    ]


def document_html(document: Document, spans, tag_slugs: dict[int, str]) -> SafeString:
    """The whole text as blocks, with the whitespace between blocks kept as text so the container's text is the
    document's text exactly."""
    text = document.text
    parts = []
    position = 0
    for block, inside in block_segments(text_blocks(text), segments(text, spans)):
        parts.append(escape(text[position : block.start]))
        parts.append(render_block(text, block, inside, lambda a: tag_slugs[a.tag_id]))
        position = block.end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - built from escape() and render_block() only


def document_spans(document: Document):
    """Just what highlighting needs of each annotation: id, offsets and tag."""
    return Annotation.objects.filter(document=document).only("id", "start", "end", "tag_id")


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
