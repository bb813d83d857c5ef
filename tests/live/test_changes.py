"""The fragments a reading view fetches when its stream names a change: the paragraphs touching the change's
offsets, and the annotation list, out of band."""

from django.urls import reverse

from apps.annotations import services


def test_the_changed_paragraph_and_the_list_come_out_of_band(client, owner, annotator, document):
    annotation = services.annotation_create(document=document, user=annotator, start=6, end=18, tag="quantity")
    client.force_login(owner)
    response = client.get(reverse("live:changes", args=[document.pk]), {"start": 6, "end": 18})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-ids="{annotation.pk}"' in html
    assert '<p class="block" id="b0" data-offset="0" hx-swap-oob="true">' in html
    assert 'id="b42"' not in html  # the second paragraph is untouched
    assert '<section id="annotation-list" class="annotation-list" hx-swap-oob="true">' in html
    assert "3,000 people" in html  # the list entry


def test_a_deleted_annotations_paragraph_comes_back_without_it(client, owner, annotator, document):
    annotation = services.annotation_create(document=document, user=annotator, start=6, end=18, tag="quantity")
    services.annotation_delete(annotation=annotation, user=annotator)
    client.force_login(owner)
    html = client.get(reverse("live:changes", args=[document.pk]), {"start": 6, "end": 18}).content.decode()
    assert 'id="b0"' in html
    assert "<mark" not in html


def test_the_layer_shown_is_kept(client, owner, annotator, document):
    services.annotation_create(document=document, user=annotator, start=6, end=18, tag="quantity")
    client.force_login(owner)
    html = client.get(reverse("live:changes", args=[document.pk]), {"start": 6, "end": 18, "layer": "mine"})
    assert "<mark" not in html.content.decode()  # the owner shows only their own layer


def test_changes_take_a_bounded_number_of_queries(client, owner, document, django_assert_max_num_queries):
    client.force_login(owner)
    client.get(reverse("live:changes", args=[document.pk]), {"start": 0, "end": 5})
    with django_assert_max_num_queries(9):
        client.get(reverse("live:changes", args=[document.pk]), {"start": 0, "end": 5})
