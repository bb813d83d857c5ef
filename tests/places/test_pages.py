import json

import pytest
from django.urls import reverse

from apps.annotations import services as annotation_services
from apps.places import services
from apps.places.models import Place
from tests.factories import DocumentFactory


@pytest.fixture
def hajin_annotation(project, owner, gazetteer):
    document = DocumentFactory(project=project, text="Clashes near Hajin and in Baghuz.")
    return annotation_services.annotation_create(
        document=document, user=owner, start=13, end=18, tag=project.tags.get(slug="location")
    )


def test_the_details_panel_offers_the_candidates_of_an_ambiguous_name(owner_client, hajin_annotation):
    response = owner_client.get(
        reverse("annotations:details", args=[hajin_annotation.document_id]),
        {"ids": hajin_annotation.pk},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "may be one of these places" in html
    assert reverse("places:choose", args=[hajin_annotation.pk]) in html
    assert "Saimbeyli" in html
    assert "Hajīn" in html
    assert "Add a project place" in html


def test_choosing_a_candidate_resolves_the_annotation(owner_client, hajin_annotation, django_assert_max_num_queries):
    syrian = Place.objects.get(name="Hajīn", country_code="SY")
    with django_assert_max_num_queries(30):
        response = owner_client.post(
            reverse("places:choose", args=[hajin_annotation.pk]),
            {"version": hajin_annotation.version, "place": syrian.pk},
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200
    hajin_annotation.refresh_from_db()
    assert hajin_annotation.place_id == syrian.pk
    assert hajin_annotation.normalized_by_hand
    assert "Place:" in response.content.decode()


def test_a_stale_choice_is_refused(owner_client, hajin_annotation):
    response = owner_client.post(
        reverse("places:choose", args=[hajin_annotation.pk]),
        {"version": hajin_annotation.version + 5, "place": 1},
        headers={"HX-Request": "true"},
    )
    hajin_annotation.refresh_from_db()
    assert hajin_annotation.place_id is None
    assert response.status_code in (200, 409)


def test_adding_a_place_on_the_places_page(owner_client, project, hajin_annotation):
    url = reverse("places:list", args=[project.pk])
    page = owner_client.get(url, {"name": "Baghuz"})
    assert 'value="Baghuz"' in page.content.decode()
    response = owner_client.post(
        url, {"name": "Baghuz", "aliases": "Baghouz\nal-Baghuz", "latitude": "34.46", "longitude": "40.94"}
    )
    assert response.status_code == 302
    place = project.places.get()
    assert place.aliases == ["Baghouz", "al-Baghuz"]
    bad = owner_client.post(url, {"name": "Nowhere", "latitude": "200", "longitude": "0"})
    assert bad.status_code == 400
    assert "latitude" in bad.content.decode()


def test_the_map_page_lists_every_resolved_place_with_its_mentions(owner_client, project, owner, hajin_annotation):
    place = services.place_create(project=project, user=owner, name="Baghuz", latitude=34.46, longitude=40.94)
    document = hajin_annotation.document
    annotation_services.annotation_create(
        document=document, user=owner, start=26, end=32, tag=project.tags.get(slug="location")
    )
    response = owner_client.get(reverse("places:map", args=[project.pk]))
    html = response.content.decode()
    data = json.loads(html.split('<script id="map-places" type="application/json">')[1].split("</script>")[0])
    assert data == [
        {
            "id": place.pk,
            "name": "Baghuz",
            "country_code": "",
            "latitude": 34.46,
            "longitude": 40.94,
            "mentions": 1,
            "url": reverse("places:place", args=[project.pk, place.pk]),
        }
    ]
    mentions = owner_client.get(reverse("places:place", args=[project.pk, place.pk])).content.decode()
    assert reverse("documents:read", args=[document.pk]) in mentions
    assert "Mentions (1)" in mentions


def test_an_owner_sets_the_focus_countries_in_the_settings(owner_client, project):
    url = reverse("projects:settings", args=[project.pk])
    form = {"name": project.name, "description": "", "guidelines": ""}
    saved = owner_client.post(url, {**form, "focus_countries": "sy, iq"})
    assert saved.status_code == 302, saved.content.decode()
    project.refresh_from_db()
    assert project.focus_countries == ["SY", "IQ"]
    refused = owner_client.post(url, {**form, "focus_countries": "Syria"})
    assert refused.status_code == 400
    assert "did not validate" in refused.content.decode()
    refused = owner_client.post(url, {**form, "focus_countries": "S1"})
    assert "Two-letter ISO country codes" in refused.content.decode()
