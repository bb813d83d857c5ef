import pytest
from django.urls import reverse

from apps.annotations.models import Annotation
from tests.api_helpers import token_client
from tests.factories import AnnotationFactory, DocumentFactory


def test_create_and_read_back(api, document, owner):
    response = api.post(
        "/api/annotations/",
        {"document": document.pk, "start": 6, "end": 18, "tag": "quantity", "quote": "3,000 people", "note": "n"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {k: body[k] for k in ("document", "start", "end", "quote", "tag", "note", "annotator", "version")} == {
        "document": document.pk, "start": 6, "end": 18, "quote": "3,000 people", "tag": "quantity", "note": "n",
        "annotator": owner.username, "version": 1,
    }  # fmt: skip
    assert api.get(f"/api/annotations/{body['id']}/").json() == body


def test_a_span_tagged_in_the_browser_is_the_same_object_in_the_api(owner_client, api, document):
    owner_client.post(
        reverse("annotations:create", args=[document.pk]),
        {"start": 6, "end": 18, "quote": "3,000 people", "tag": "quantity"},
        headers={"HX-Request": "true"},
    )
    (row,) = api.get("/api/annotations/", {"document": document.pk}).json()["results"]
    assert (row["id"], row["start"], row["end"], row["quote"]) == (Annotation.objects.get().pk, 6, 18, "3,000 people")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"start": 6, "end": 18, "tag": "quantity"}, "document"),
        ({"document": 999999, "start": 6, "end": 18, "tag": "quantity"}, "document"),
        ({"start": "six", "end": 18, "tag": "quantity"}, "start"),
        ({"end": 18, "tag": "quantity"}, "start"),
        ({"start": 18, "end": 6, "tag": "quantity"}, "end"),
        ({"start": 6, "end": 6, "tag": "quantity"}, "end"),
        ({"start": 6, "end": 100000, "tag": "quantity"}, "end"),
        ({"start": 6, "end": 18, "tag": "quantity", "quote": "3,000 persons"}, "quote"),
        ({"start": 6, "end": 18, "tag": "weapon"}, "tag"),
        ({"start": 6, "end": 18}, "tag"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api, document, data, field):
    payload = {"document": document.pk} | data if field != "document" or "document" in data else data
    response = api.post("/api/annotations/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not Annotation.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("null", "No data provided"),
        ("[]", "Invalid data. Expected a dictionary, but got list."),
        ('"3,000 people"', "Invalid data. Expected a dictionary, but got str."),
    ],
)
def test_a_body_that_is_not_an_object_is_a_400_saying_so(api, document, body, message):
    response = api.post("/api/annotations/", body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json() == {"non_field_errors": [message]}


def test_another_projects_document_is_not_found(api, outsider):
    foreign = DocumentFactory(project=outsider.projects.get())
    response = api.post("/api/annotations/", {"document": foreign.pk, "start": 0, "end": 4, "tag": "actor"})
    assert response.status_code == 400
    assert "document" in response.json()


def test_malformed_json_and_too_large_bodies_are_4xx(api, document):
    response = api.generic("POST", "/api/annotations/", '{"document": 1,', content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]
    huge = '{"note": "' + "x" * (11 * 1024 * 1024) + '"}'
    response = api.generic("POST", "/api/annotations/", huge, content_type="application/json")
    assert response.status_code == 413
    assert "too large" in response.json()["non_field_errors"][0]


def test_update_with_version_and_conflict(api, document):
    annotation = AnnotationFactory(document=document)
    url = f"/api/annotations/{annotation.pk}/"
    first = api.patch(url, {"version": 1, "tag": "location", "note": "checked"}, format="json")
    assert first.status_code == 200
    assert (first.json()["tag"], first.json()["note"], first.json()["version"]) == ("location", "checked", 2)
    stale = api.patch(url, {"version": 1, "note": "mine"}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    assert api.patch(url, {"note": "no version"}, format="json").status_code == 400
    moved = api.put(url, {"version": 2, "start": 6, "end": 18}, format="json").json()
    assert (moved["start"], moved["end"], moved["quote"], moved["version"]) == (6, 18, "3,000 people", 3)


def test_delete_with_stale_version_is_refused(api, document):
    annotation = AnnotationFactory(document=document, version=2)
    assert api.delete(f"/api/annotations/{annotation.pk}/?version=1").status_code == 409
    assert api.delete(f"/api/annotations/{annotation.pk}/?version=2").status_code == 204


def test_filters(api, project, document, annotator, django_assert_max_num_queries):
    other = DocumentFactory(project=project)
    AnnotationFactory(document=document, note="spokesman")
    AnnotationFactory(document=document, start=6, end=18, tag=project.tags.get(slug="quantity"), annotator=annotator)
    AnnotationFactory(document=other, start=0, end=6, tag=project.tags.get(slug="location"))

    def ids(**params):
        with django_assert_max_num_queries(4):
            return sorted(row["quote"] for row in api.get("/api/annotations/", params).json()["results"])

    assert ids(document=document.pk) == ["3,000 people", "About "]
    assert ids(tag=["quantity", "location"]) == ["3,000 people", "Report"]
    assert ids(annotator=annotator.username) == ["3,000 people"]
    assert ids(q="spokes") == ["About "]
    assert ids(q="3,000") == ["3,000 people"]
    assert ids(created_after="2000-01-01T00:00:00Z", project=project.pk) == ["3,000 people", "About ", "Report"]
    assert ids(created_before="2000-01-01T00:00:00Z") == []
    assert api.get("/api/annotations/", {"created_after": "soon"}).status_code == 400


@pytest.mark.parametrize(("url", "params"), [("/api/annotations/", {}), ("/api/export/", {"format": "jsonl"})])
def test_a_nul_in_any_tag_value_is_a_400(api, document, url, params):
    response = api.get(url, {"tag": ["\x00", "actor"], **params})
    assert response.status_code == 400
    assert response.json() == {"tag": ["Null characters are not allowed."]}


def test_pagination_bounds(api, document):
    for start in range(0, 30, 3):
        AnnotationFactory(document=document, start=start, end=start + 2)
    body = api.get("/api/annotations/", {"page_size": 4}).json()
    assert (body["count"], len(body["results"])) == (10, 4)
    assert "page=2" in body["next"]
    assert len(api.get("/api/annotations/", {"page_size": 100000}).json()["results"]) == 10


def test_bulk_is_all_or_nothing_with_errors_by_index(api, document):
    good = {"document": document.pk, "start": 6, "end": 18, "tag": "quantity"}
    response = api.post(
        "/api/annotations/bulk/",
        [good, {**good, "tag": "weapon"}, {**good, "end": 5}, "not an object"],
        format="json",
    )
    assert response.status_code == 400
    errors = {item["index"]: item["errors"] for item in response.json()["errors"]}
    assert set(errors) == {1, 2, 3}
    assert "tag" in errors[1]
    assert "end" in errors[2]
    assert not Annotation.objects.exists()

    created = api.post("/api/annotations/bulk/", [good, {**good, "start": 0, "end": 5, "tag": "actor"}], format="json")
    assert created.status_code == 201
    assert [row["quote"] for row in created.json()] == ["3,000 people", "About"]


def test_viewer_and_outsider(viewer, outsider, document):
    annotation = AnnotationFactory(document=document)
    as_viewer = token_client(viewer)
    assert as_viewer.get(f"/api/annotations/{annotation.pk}/").status_code == 200
    assert as_viewer.patch(f"/api/annotations/{annotation.pk}/", {"version": 1, "note": "x"}).status_code == 403
    refused = as_viewer.post("/api/annotations/", {"document": document.pk, "start": 0, "end": 5, "tag": "actor"})
    assert refused.status_code == 403
    as_outsider = token_client(outsider)
    assert as_outsider.get(f"/api/annotations/{annotation.pk}/").status_code == 404
    assert as_outsider.delete(f"/api/annotations/{annotation.pk}/").status_code == 404
    assert as_outsider.get("/api/annotations/").json()["count"] == 0


def test_the_annotation_dict_is_what_its_declared_fields_would_give(document, owner):
    """AnnotationSerializer builds its dict in one step; its declared fields (the schema) must say the same."""
    from rest_framework import serializers

    from apps.annotations.api.serializers import AnnotationSerializer

    annotation = AnnotationFactory(document=document, annotator=owner, note="checked")
    serializer = AnnotationSerializer(annotation)
    assert serializer.data == dict(serializers.Serializer.to_representation(serializer, annotation))
    assert list(serializer.data) == list(serializer.fields)
