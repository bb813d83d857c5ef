"""The reading view's highlights are cached per (document, layer, annotations revision): every kind of write to a
document's annotations, however it is made, must show on the next read."""

import gzip

from django.db import connection, transaction
from django.urls import reverse

from apps.annotations import services
from apps.annotations.models import Annotation
from apps.reader.models import DocumentRevision
from tests.factories import AnnotationFactory, DocumentFactory


def revision(document) -> int:
    return DocumentRevision.objects.filter(document_id=document.pk).values_list("revision", flat=True).first() or 0


def marks(client, document, **params) -> str:
    page = client.get(reverse("documents:read", args=[document.pk]), params).content.decode()
    return page[page.index('id="document-text"') : page.index("</article>")]


def test_every_write_to_a_documents_annotations_moves_its_revision_once_per_statement(document, owner):
    other = DocumentFactory(project=document.project)
    seen = {revision(document)}

    def moved() -> bool:
        now = revision(document)
        fresh = now not in seen
        seen.add(now)
        return fresh

    created = services.annotation_create(document=document, user=owner, start=6, end=18, tag="quantity")
    assert moved()
    Annotation.objects.bulk_create(
        [Annotation(document=document, tag=created.tag, start=i, end=i + 3, quote="x", annotator=owner) for i in (0, 1)]
    )
    assert moved()
    Annotation.objects.filter(document=document).update(note="bulk note")
    assert moved()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM annotations_annotation WHERE document_id = %s AND start < 2", [document.pk])
    assert moved()
    untouched = revision(other)
    services.annotation_delete(annotation=created, user=owner, version=created.version)
    assert moved()
    assert revision(other) == untouched


def test_a_rolled_back_write_never_gives_its_revision_to_another_state(document, owner):
    tag = document.project.tags.get(slug="actor")
    with transaction.atomic():
        savepoint = transaction.savepoint()
        Annotation.objects.create(document=document, tag=tag, start=0, end=5, quote="About", annotator=owner)
        rolled_back = revision(document)
        transaction.savepoint_rollback(savepoint)
    Annotation.objects.create(document=document, tag=tag, start=6, end=11, quote="3,000", annotator=owner)
    assert revision(document) != rolled_back


def test_the_page_shows_each_write_made_behind_its_back(owner_client, document, owner):
    assert "<mark" not in marks(owner_client, document)
    assert "<mark" not in marks(owner_client, document)  # now from the cache
    annotation = AnnotationFactory(document=document, start=6, end=18)
    assert f'data-ids="{annotation.pk}">3,000 people</mark>' in marks(owner_client, document)
    quantity = document.project.tags.get(slug="quantity")
    Annotation.objects.filter(pk=annotation.pk).update(tag=quantity)
    assert f'<mark class="t{quantity.pk} u{owner.pk}"' in marks(owner_client, document)
    Annotation.objects.filter(document=document).delete()
    assert "<mark" not in marks(owner_client, document)


def test_layers_are_cached_apart(owner_client, document, owner, annotator):
    mine = AnnotationFactory(document=document, annotator=owner)
    theirs = AnnotationFactory(document=document, start=6, end=18, annotator=annotator)
    for _ in range(2):
        assert f'data-ids="{theirs.pk}"' not in marks(owner_client, document, layer="mine")
        assert f'data-ids="{mine.pk}"' not in marks(owner_client, document, layer=annotator.username)
        everyone = marks(owner_client, document)
        assert f'data-ids="{mine.pk}"' in everyone
        assert f'data-ids="{theirs.pk}"' in everyone


def test_pages_are_gzipped_and_exports_stream_as_they_are(owner_client, document):
    AnnotationFactory(document=document)
    page = owner_client.get(reverse("documents:read", args=[document.pk]), headers={"Accept-Encoding": "gzip"})
    assert page["Content-Encoding"] == "gzip"
    assert page.content[3] & gzip.FNAME  # a random file name: BREACH mitigation, as Django's
    assert "Accept-Encoding" in page["Vary"]
    assert b'id="document-text"' in gzip.decompress(page.content)
    export = owner_client.get("/api/export/", {"format": "jsonl"}, headers={"Accept-Encoding": "gzip"})
    assert export.streaming
    assert not export.has_header("Content-Encoding")
    assert b'"quote"' in b"".join(export.streaming_content)
