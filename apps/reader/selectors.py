"""Reads of the reading view: the document with its annotations' revision, highlights (cached per revision), the
side panel and the layers."""

import threading
from collections import defaultdict
from dataclasses import dataclass

from cachetools import LRUCache
from django.conf import settings
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, Window
from django.db.models.functions import Coalesce, Left, RowNumber
from django.utils.safestring import SafeString

from apps.annotations.models import Annotation
from apps.documents.models import Document
from apps.documents.selectors import access_document
from apps.projects.guidelines import render_guidelines
from apps.projects.models import Membership
from apps.projects.selectors import Member, tags_for_project
from apps.reader.blocks import Block, text_blocks
from apps.reader.highlights import block_segments, render_block, render_text, segments
from apps.reader.models import DocumentRevision

PANEL_LIMIT_PER_TAG = 100


def access_document_for_reading(user, document_id: int) -> tuple[Document, Membership]:
    """The document and the user's membership, in one query (404 for non-members); with `annotations_revision` (0
    before any write), and without its text, which is read only when the highlights are not cached (or a write
    needs it)."""
    revision = DocumentRevision.objects.filter(document_id=OuterRef("pk")).values("revision")
    documents = Document.objects.defer("text", "search_vector").annotate(
        annotations_revision=Coalesce(Subquery(revision), Value(0), output_field=IntegerField())
    )
    return access_document(user, document_id, documents=documents)


def document_for_reading(user, document_id: int) -> Document:
    """The document of access_document_for_reading, for views that need no membership."""
    return access_document_for_reading(user, document_id)[0]


def annotations_by_ids(document: Document, ids) -> list[Annotation]:
    """The listed annotations of the document (others are ignored), outermost first, with tag and annotator."""
    return list(
        Annotation.objects.filter(document=document, pk__in=ids)
        .select_related("tag", "annotator")
        .order_by("start", "-end", "id")
    )


@dataclass
class TagGroup:
    tag: object
    count: int
    annotations: list


def annotation_panel(document: Document, tags, *, annotator=None, revision: int | None = None) -> list[TagGroup]:
    """The side panel's groups for `tags`: the document's annotations by tag, with counts; each group lists its
    first PANEL_LIMIT_PER_TAG entries in reading order, so a document with 20,000 annotations stays light.
    Everyone's panel is cached by the annotations `revision` read before it, if given, like the highlights."""
    if annotator is None and revision is not None:
        counts, by_tag = _cached(("panel", document.pk, revision), lambda: _panel(document))
    else:
        counts, by_tag = _panel(document, tag_ids=[tag.id for tag in tags], annotator=annotator)
    return [TagGroup(tag, counts.get(tag.id, 0), by_tag.get(tag.id, [])) for tag in tags]


def _panel(document: Document, *, tag_ids=None, annotator=None) -> tuple[dict, dict]:
    """Counts by tag id, and each tag's first PANEL_LIMIT_PER_TAG entries in reading order (of the tags `tag_ids`,
    or all). For all tags one window query; for the one or two tags a write changed, a query per tag that reads its
    first entries along the (document, start) index instead of ranking all of them."""
    annotations = Annotation.objects.filter(document=document, curated=False)
    if annotator is not None:
        annotations = annotations.filter(annotator=annotator)
    if tag_ids is not None:
        annotations = annotations.filter(tag__in=tag_ids)
    counts = dict(annotations.order_by().values_list("tag_id").annotate(count=Count("id")))
    fields = {"short_quote": Left("quote", 80), "has_note": ~Q(note="")}
    if tag_ids is not None and len(tag_ids) <= 2:
        per_tag = [
            annotations.filter(tag=tag_id).annotate(**fields).order_by("start", "id")[:PANEL_LIMIT_PER_TAG]
            for tag_id in tag_ids
        ]
        entries = [entry for query in per_tag for entry in query.values("id", "tag_id", "short_quote", "has_note")]
    else:
        entries = (
            annotations.annotate(
                rank=Window(RowNumber(), partition_by=F("tag_id"), order_by=[F("start").asc(), F("id").asc()]),
                **fields,
            )
            .filter(rank__lte=PANEL_LIMIT_PER_TAG)
            .values("id", "tag_id", "short_quote", "has_note")
            .order_by("start", "id")
        )
    by_tag = defaultdict(list)
    for entry in entries:
        by_tag[entry["tag_id"]].append(entry)
    return counts, dict(by_tag)


def project_annotators(project) -> dict[int, str]:
    """The project's members' usernames by user id: the legend of the highlights' u<id> classes."""
    return dict(Membership.objects.filter(project=project).values_list("user_id", "user__username"))


def layer_annotator(user, project, layer: str):
    """The annotator whose layer to show: `mine`, a member's username, or None for everyone's."""
    if layer == "mine":
        return user
    if layer:
        membership = Membership.objects.filter(project=project, user__username=layer).select_related("user").first()
        return membership.user if membership else None
    return None


def document_spans(document: Document, *, within: tuple[int, int] | None = None, annotator=None) -> QuerySet:
    """Just what highlighting needs of each annotation (id, start, end, tag_id, annotator_id), as light named
    tuples; with `within`, only the annotations that touch that range; with `annotator`, only theirs."""
    spans = Annotation.objects.filter(document=document, curated=False)
    if within is not None:
        spans = spans.filter(start__lte=within[1], end__gte=within[0])
    if annotator is not None:
        spans = spans.filter(annotator=annotator)
    return spans.values_list("id", "start", "end", "tag_id", "annotator_id", named=True)


def changed_blocks(document: Document, *, touching: tuple[int, int], annotator=None) -> list:
    """The rendered blocks that touch the code-point range `touching`, with all their highlights (of the layer
    shown), for out-of-band swaps after a change: only these blocks are re-rendered, whatever the document's size."""
    text = document_text(document)
    low, high = touching
    blocks = [b for b in document_blocks(document) if b.end >= low and b.start <= high]
    if not blocks:
        return []
    spans = document_spans(document, within=(blocks[0].start, blocks[-1].end), annotator=annotator)
    return [
        {"start": block.start, "html": render_block(text, block, inside, oob=True)}
        for block, inside in block_segments(blocks, segments(text, spans))
    ]


# What the reading view reuses between requests, in this process, bounded by size (READER_CACHE_BYTES):
# - a document's text and blocks, by (id, content hash): a document's text never changes;
# - the highlighted text and everyone's panel, by (document id, layer, annotations revision).
# Correct with any number of app servers: the revision is read from PostgreSQL with the document on every request,
# before what is cached under it (so nothing older than a revision is kept under it), and a write anywhere gives
# its document a revision never used before (see apps/reader/models.py).
_cache = LRUCache(maxsize=settings.READER_CACHE_BYTES, getsizeof=lambda entry: entry[1])
_cache_lock = threading.Lock()


def _cached(key, compute, size=lambda value: 1024):
    """compute() once per key in this process while it stays in the cache; `size` estimates its value's bytes."""
    with _cache_lock:
        entry = _cache.get(key)
    if entry is None:
        value = compute()
        entry = (value, size(value))
        if entry[1] <= _cache.maxsize:
            with _cache_lock:
                _cache[key] = entry
    return entry[0]


def document_text(document: Document) -> str:
    """The document's text, read from PostgreSQL once per process (and only if `document` was read without it)."""
    if "text" in document.__dict__:
        return document.text
    return _cached(("text", document.pk, document.content_hash), lambda: document.text, size=len)


def document_blocks(document: Document) -> list[Block]:
    return _cached(
        ("blocks", document.pk, document.content_hash),
        lambda: text_blocks(document_text(document)),
        size=lambda blocks: 64 * len(blocks),
    )


def document_html(document: Document, *, annotator=None) -> SafeString:
    """The document's whole text as highlighted blocks (of one annotator's layer, or everyone's). `document` must
    come from document_for_reading() (for its annotations_revision)."""

    def render() -> SafeString:
        text = document_text(document)
        spans = document_spans(document, annotator=annotator)
        return render_text(text, document_blocks(document), segments(text, spans))

    key = ("html", document.pk, annotator.pk if annotator is not None else None, document.annotations_revision)
    return _cached(key, render, size=len)


def reader_context(
    user, document: Document, membership: Membership, *, mine_only: bool = False, layer: str = ""
) -> dict:
    """Everything the reading view renders: blocks with highlights (of one layer, or all), tag set, side panel and
    the legend of the highlights' classes (tags and annotators by id)."""
    project = document.project
    tags = list(tags_for_project(project))
    annotators = project_annotators(project)
    annotator = layer_annotator(user, project, layer)
    return {
        "document": document,
        "project": project,
        "tags": tags,
        "document_html": document_html(document, annotator=annotator),
        "panel": annotation_panel(
            document, tags, annotator=user if mine_only else None, revision=document.annotations_revision
        ),
        "mine_only": mine_only,
        "layer": layer if annotator is not None else "",
        "annotator_names": sorted(annotators.values()),
        "legend": {"tags": {tag.slug: tag.id for tag in tags}, "annotators": annotators},
        "guidelines": render_guidelines(project.guidelines) if project.guidelines else "",
        "member": Member(membership),
    }
