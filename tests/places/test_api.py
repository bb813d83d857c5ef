import json

import pytest

from apps.annotations import services as annotation_services
from apps.places.models import Place, PlaceSource
from apps.places.selectors import PLACE_FIELDS
from tests.api_helpers import token_client
from tests.factories import DocumentFactory, ProjectFactory

BAGHUZ = {
    "name": "Baghuz",
    "aliases": ["Al-Baghuz Fawqani"],
    "latitude": 34.4627,
    "longitude": 40.9375,
    "country_code": "sy",
    "admin1": "Deir ez-Zor",
}


@pytest.fixture
def annotator_api(annotator):
    return token_client(annotator)


def test_candidates_for_an_ambiguous_name_best_first(api, project, gazetteer, django_assert_max_num_queries):
    project.focus_countries = ["TR"]
    project.save()
    with django_assert_max_num_queries(4):
        response = api.get("/api/places/", {"project": project.pk, "q": "Hajin"})
    assert response.status_code == 200
    assert [place["country_code"] for place in response.json()["results"]][:2] == ["TR", "SY"]
    assert set(response.json()["results"][0]) == {
        *("id", "name", "aliases", "latitude", "longitude", "country_code", "admin1", "source", "project")
    }
    assert response.json()["results"][0]["project"] is None
    assert response.json()["results"][0]["source"] == "geonames"


def test_candidates_need_a_project(api, gazetteer):
    response = api.get("/api/places/", {"q": "Hajin"})
    assert response.status_code == 400
    assert "project" in response.json()


def test_another_projects_candidates_are_404(api, gazetteer):
    assert api.get("/api/places/", {"project": ProjectFactory().pk, "q": "Hajin"}).status_code == 404


def test_an_annotator_adds_a_place_that_resolves_waiting_annotations(annotator_api, annotator, project, gazetteer):
    document = DocumentFactory(project=project, text="Fighting in Baghouz went on.")
    waiting = annotation_services.annotation_create(
        document=document, user=annotator, start=12, end=19, tag=project.tags.get(slug="location")
    )
    assert waiting.place_id is None
    response = annotator_api.post("/api/places/", {**BAGHUZ, "project": project.pk}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["source"] == "project"
    assert response.json()["country_code"] == "SY"
    waiting.refresh_from_db()
    assert waiting.place_id == response.json()["id"]
    listed = annotator_api.get("/api/places/", {"project": project.pk}).json()["results"]
    assert [place["name"] for place in listed] == ["Baghuz"]
    candidates = annotator_api.get("/api/places/", {"project": project.pk, "q": "al-Baghouz"}).json()["results"]
    assert candidates[0]["id"] == response.json()["id"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"latitude": 91}, "latitude"),
        ({"longitude": "east"}, "longitude"),
        ({"name": ""}, "name"),
        ({"aliases": "Baghouz"}, "aliases"),
        ({"project": None}, "project"),
    ],
)
def test_a_bad_place_is_400_naming_the_field(api, project, change, field):
    response = api.post("/api/places/", {**BAGHUZ, "project": project.pk, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_a_viewer_cannot_add_a_place(viewer, project):
    response = token_client(viewer).post("/api/places/", {**BAGHUZ, "project": project.pk}, format="json")
    assert response.status_code == 403


def test_patch_and_delete_a_project_place(api, project, owner, gazetteer):
    place = api.post("/api/places/", {**BAGHUZ, "project": project.pk}, format="json").json()
    document = DocumentFactory(project=project, text="Baghuz fell.")
    annotation = annotation_services.annotation_create(
        document=document, user=owner, start=0, end=6, tag=project.tags.get(slug="location")
    )
    response = api.patch(f"/api/places/{place['id']}/", {"aliases": ["Baghouz", "الباغوز"]}, format="json")
    assert response.status_code == 200
    assert response.json()["aliases"] == ["Baghouz", "الباغوز"]
    assert api.delete(f"/api/places/{place['id']}/").status_code == 204
    annotation.refresh_from_db()
    assert (annotation.place_id, annotation.normalized) == (None, None)


def test_geonames_places_are_not_editable_through_the_api(api, gazetteer):
    geonames = Place.objects.filter(source=PlaceSource.GEONAMES).first()
    assert api.patch(f"/api/places/{geonames.pk}/", {"name": "X"}, format="json").status_code == 404
    assert api.delete(f"/api/places/{geonames.pk}/").status_code == 404


def test_patch_an_annotation_to_a_place_by_hand(api, project, owner, gazetteer):
    document = DocumentFactory(project=project, text="Clashes near Hajin.")
    annotation = annotation_services.annotation_create(
        document=document, user=owner, start=13, end=18, tag=project.tags.get(slug="location")
    )
    assert annotation.normalized is None
    hajin = api.get("/api/places/", {"project": project.pk, "q": "Hajin"}).json()["results"][0]
    response = api.patch(
        f"/api/annotations/{annotation.pk}/",
        {"version": annotation.version, "normalized": {"place": hajin["id"], "precision": 2}},
        format="json",
    )
    assert response.status_code == 200, response.json()
    reference = {field: hajin[field] for field in PLACE_FIELDS}  # the candidate as an annotation refers to it
    assert response.json()["normalized"] == {"kind": "place", "place": reference, "precision": 2}
    assert response.json()["normalized_by_hand"] is True
    bad = api.patch(
        f"/api/annotations/{annotation.pk}/",
        {"version": response.json()["version"], "normalized": {"place": 0}},
        format="json",
    )
    assert bad.status_code == 400
    assert "place" in json.dumps(bad.json())


def test_geojson_export(api, project, owner, gazetteer):
    place = api.post("/api/places/", {**BAGHUZ, "project": project.pk}, format="json").json()
    document = DocumentFactory(project=project, text="Baghuz fell; Syria said so; Hajin too.")
    location = project.tags.get(slug="location")
    for start, end in ((0, 6), (13, 18), (28, 33)):
        annotation_services.annotation_create(document=document, user=owner, start=start, end=end, tag=location)
    response = api.get("/api/export/", {"format": "geojson", "project": project.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(b"".join(response.streaming_content))
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 2  # Hajin is ambiguous: no point
    baghuz, syria = collection["features"]
    assert baghuz["geometry"] == {"type": "Point", "coordinates": [40.9375, 34.4627]}
    assert baghuz["properties"] | {"annotation": None} == {
        "annotation": None,
        "document": document.pk,
        "document_title": document.title,
        "quote": "Baghuz",
        "tag": "location",
        "place_id": place["id"],
        "place_name": "Baghuz",
        "country_code": "SY",
        "admin1": "Deir ez-Zor",
        "precision": 1,
    }
    assert syria["properties"]["precision"] == 3
    filtered = api.get("/api/export/", {"format": "geojson", "project": project.pk, "q": "Syria"})
    assert len(json.loads(b"".join(filtered.streaming_content))["features"]) == 1
