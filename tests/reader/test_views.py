import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from apps.annotations.models import Annotation
from apps.reader.selectors import PANEL_LIMIT_PER_TAG
from tests.factories import AnnotationFactory, DocumentFactory

HX = {"HX-Request": "true"}


def test_create_answers_with_the_changed_block_and_the_list(owner_client, document):
    response = owner_client.post(
        reverse("annotations:create", args=[document.pk]),
        {"start": 6, "end": 18, "quote": "3,000 people", "tag": "quantity"},
        headers=HX,
    )
    html = response.content.decode()
    annotation = Annotation.objects.get()
    assert response.status_code == 200
    assert f'<mark class="t{annotation.tag_id} u{annotation.annotator_id}" data-ids="{annotation.pk}">' in html
    assert html.count('hx-swap-oob="true"') == 2  # the one block touched, and the list group of its tag
    assert '<details id="tag-group-quantity"' in html


def test_a_create_after_the_listed_entries_answers_with_the_count_alone(owner_client, project):
    words = [f"w{index:03d}" for index in range(300)]
    document = DocumentFactory(project=project, text=" ".join(words))
    for index in range(1, PANEL_LIMIT_PER_TAG + 2):
        AnnotationFactory(document=document, start=5 * index, end=5 * index + 4)
    url = reverse("annotations:create", args=[document.pk])

    after = owner_client.post(url, {"start": 1000, "end": 1004, "quote": "w200", "tag": "actor"}, headers=HX)
    html = after.content.decode()
    assert html.count('hx-swap-oob="true"') == 3  # the block, the count and the line under the list
    assert '<details id="tag-group-actor"' not in html
    assert 'id="tag-count-actor" class="count" data-count="102" hx-swap-oob="true">102<' in html
    assert f'id="tag-more-actor" class="muted" hx-swap-oob="true">The first {PANEL_LIMIT_PER_TAG} of 102.<' in html

    before = owner_client.post(url, {"start": 0, "end": 4, "quote": "w000", "tag": "actor"}, headers=HX)
    html = before.content.decode()
    assert html.count('hx-swap-oob="true"') == 2  # the block and the whole group, whose list now starts with it
    assert '<details id="tag-group-actor"' in html
    assert f"The first {PANEL_LIMIT_PER_TAG} of 103." in html


def test_a_bad_create_names_the_field_in_the_menu(owner_client, document):
    response = owner_client.post(
        reverse("annotations:create", args=[document.pk]),
        {"start": 6, "end": 18, "quote": "something else", "tag": "quantity"},
        headers=HX,
    )
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#tag-menu-error"
    assert "quote: The quote does not match" in response.content.decode()
    assert not Annotation.objects.exists()


def test_a_viewer_is_told_in_the_menu(client, viewer, document):
    client.force_login(viewer)
    response = client.post(
        reverse("annotations:create", args=[document.pk]), {"start": 6, "end": 18, "tag": "quantity"}, headers=HX
    )
    assert response.status_code == 403
    assert "viewer" in response.content.decode()


def test_outsiders_get_404_on_every_fragment(client, outsider, document):
    annotation = AnnotationFactory(document=document)
    client.force_login(outsider)
    for method, url in [
        ("post", reverse("annotations:create", args=[document.pk])),
        ("get", reverse("annotations:details", args=[document.pk]) + f"?ids={annotation.pk}"),
        ("get", reverse("annotations:panel", args=[document.pk])),
        ("get", reverse("annotations:refresh", args=[document.pk])),
        ("post", reverse("annotations:update", args=[annotation.pk])),
        ("post", reverse("annotations:delete", args=[annotation.pk])),
        ("post", reverse("annotations:occurrences", args=[annotation.pk])),
    ]:
        assert getattr(client, method)(url, headers=HX).status_code == 404, url
    assert Annotation.objects.filter(pk=annotation.pk).exists()


def test_details_of_another_documents_annotation_are_not_shown(owner_client, document, project):
    elsewhere = AnnotationFactory(document=DocumentFactory(project=project))
    html = owner_client.get(reverse("annotations:details", args=[document.pk]), {"ids": str(elsewhere.pk)}).content
    assert b"annotation-card" not in html


def test_conflicting_update_answers_with_the_current_state(owner_client, document, owner):
    annotation = AnnotationFactory(document=document, note="theirs", version=3)
    response = owner_client.post(
        reverse("annotations:update", args=[annotation.pk]), {"version": 2, "note": "mine", "tag": "actor"}, headers=HX
    )
    html = response.content.decode()
    assert "changed this annotation first" in html
    assert ">theirs</textarea>" in html
    annotation.refresh_from_db()
    assert annotation.note == "theirs"


def test_delete_offers_undo_which_restores_the_original(client, document, annotator):
    annotation = AnnotationFactory(document=document, note="keep me", annotator=annotator)
    pk = annotation.pk
    client.force_login(annotator)
    html = client.post(reverse("annotations:delete", args=[pk]), {"version": 1}, headers=HX).content.decode()
    undo = reverse("annotations:restore", args=[pk])
    assert f'hx-post="{undo}"' in html
    assert not Annotation.objects.exists()

    html = client.post(undo, headers=HX).content.decode()  # whoever deleted it may undo it
    assert "Restored." in html
    restored = Annotation.objects.get()
    assert (restored.pk, restored.annotator, restored.note, restored.version) == (pk, annotator, "keep me", 2)


def _dense_document(project, count):
    paragraphs = [f"Paragraph {n} names Baghuz and the SDF." for n in range(count)]
    document = DocumentFactory(project=project, text="\n\n".join(paragraphs))
    tag = project.tags.get(slug="location")
    position = 0
    annotations = []
    for paragraph in paragraphs:
        start = position + paragraph.index("Baghuz")
        annotations.append(
            Annotation(
                document=document, tag=tag, start=start, end=start + 6, quote="Baghuz", annotator=project.created_by
            )
        )
        position += len(paragraph) + 2
    Annotation.objects.bulk_create(annotations)
    return document


@pytest.mark.parametrize("count", [5, 200])
def test_reading_view_queries_do_not_grow_with_annotations(owner_client, project, count, django_assert_max_num_queries):
    document = _dense_document(project, count)
    url = reverse("documents:read", args=[document.pk])
    with django_assert_max_num_queries(10):  # the highlights are rendered: text and spans read
        first = owner_client.get(url)
    with django_assert_max_num_queries(6):  # cached for this revision: neither they nor the list are read again
        second = owner_client.get(url)
    assert first.content.decode().count("<mark ") == second.content.decode().count("<mark ") == count


@pytest.mark.parametrize("count", [5, 200])
def test_tagging_queries_do_not_grow_with_annotations(owner_client, project, count, django_assert_max_num_queries):
    document = _dense_document(project, count)
    start = document.text.index("SDF")
    with django_assert_max_num_queries(14):
        response = owner_client.post(
            reverse("annotations:create", args=[document.pk]),
            {"start": start, "end": start + 3, "tag": "actor"},
            headers=HX,
        )
    assert response.status_code == 200


def test_htmx_writes_need_the_csrf_token(owner, document):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    page = client.get(reverse("documents:read", args=[document.pk]))
    token = page.context["csrf_token"]
    url = reverse("annotations:create", args=[document.pk])
    data = {"start": 6, "end": 18, "tag": "quantity"}
    assert client.post(url, data, headers=HX).status_code == 403
    assert not Annotation.objects.exists()
    assert f'hx-headers=\'{{"X-CSRFToken": "{token}"}}\'' in page.content.decode()
    assert client.post(url, data, headers={**HX, "X-CSRFToken": str(token)}).status_code == 200
    assert Annotation.objects.count() == 1


def test_the_offer_to_tag_other_occurrences_comes_with_its_count(owner_client, project):
    document = DocumentFactory(project=project, text="Baghuz fell. Baghuz was shelled. Near Baghuz, people fled.")
    created = owner_client.post(
        reverse("annotations:create", args=[document.pk]), {"start": 0, "end": 6, "tag": "location"}, headers=HX
    )
    annotation = Annotation.objects.get()
    offer_url = reverse("annotations:occurrences", args=[annotation.pk])
    assert f'hx-get="{offer_url}" hx-trigger="load"' in created.content.decode()
    offer = owner_client.get(offer_url, headers=HX).content.decode()
    assert "Tag all 2 other occurrences as Location" in offer
    owner_client.post(offer_url, headers=HX)
    assert Annotation.objects.count() == 3
    assert "Tag all" not in owner_client.get(offer_url, headers=HX).content.decode()


def test_tag_all_tags_at_most_the_limit_at_a_time_and_says_so(owner_client, project, settings):
    settings.ANNOTATION_TAG_ALL_MAX = 2
    document = DocumentFactory(project=project, text="Baghuz fell. Baghuz was shelled. Near Baghuz, all fled Baghuz.")
    owner_client.post(
        reverse("annotations:create", args=[document.pk]), {"start": 0, "end": 6, "tag": "location"}, headers=HX
    )
    offer_url = reverse("annotations:occurrences", args=[Annotation.objects.get().pk])
    offer = owner_client.get(offer_url, headers=HX).content.decode()
    assert "Tag the first 2 of 3 other occurrences as Location" in offer
    assert "at most 2 at a time" in offer
    assert "Tagged 2 more occurrences." in owner_client.post(offer_url, headers=HX).content.decode()
    assert sorted(Annotation.objects.values_list("start", flat=True)) == [0, 13, 38]  # the first ones, in text order
    assert "Tag all 1 other occurrence as Location" in owner_client.get(offer_url, headers=HX).content.decode()
    owner_client.post(offer_url, headers=HX)
    assert Annotation.objects.count() == 4


def test_reading_view_escapes_markup_and_carries_offsets(owner_client, project):
    text = "<script>alert(1)</script> {{ secret }}\n\nSecond 👩🏽‍🚒 paragraph."
    document = DocumentFactory(project=project, text=text)
    page = owner_client.get(reverse("documents:read", args=[document.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ secret }}" in page
    second = text.index("Second")
    assert f'data-offset="{second}"' in page


def test_usernames_are_escaped_in_the_legend_and_labels_and_hostile_slugs_never_reach_the_page(
    owner_client, project, document, owner
):
    """Usernames are validated on the way in; the page escapes them anyway where they enter the JSON legend and
    attributes. A tag slug that could break out of <style> is refused by the database itself."""
    hostile = "x</style><script>alert(1)</script>"
    with pytest.raises(IntegrityError), transaction.atomic():
        project.tags.create(slug=hostile, label="Hostile", color="#123456", position=99)
    owner.username = 'ana"><script>alert(2)</script>'
    owner.save()
    page = owner_client.get(reverse("documents:read", args=[document.pk])).content.decode()
    assert "<script>alert(" not in page
    assert r"ana\"\u003E\u003Cscript\u003Ealert(2)\u003C/script\u003E" in page  # in the JSON legend
