from apps.documents.models import Document
from tests.api_helpers import token_client
from tests.factories import AnnotationFactory, DocumentFactory


def test_list_with_counts_reader_url_and_search(api, project, document, django_assert_max_num_queries):
    AnnotationFactory(document=document)
    AnnotationFactory(document=document, start=6, end=18, tag=project.tags.get(slug="quantity"))
    for n in range(20):
        AnnotationFactory(document=DocumentFactory(project=project, text=f"Filler {n} text."))
    with django_assert_max_num_queries(5):
        body = api.get("/api/documents/", {"project": project.pk, "q": "surrendered"}).json()
    assert body["count"] == 1
    (row,) = body["results"]
    assert row["reader_url"] == f"/documents/{document.pk}/"
    assert row["annotation_counts"] == {"actor": 1, "quantity": 1}
    assert "text" not in row  # a list never carries every document's full text; the detail does
    assert api.get(f"/api/documents/{document.pk}/").json()["text"] == document.text


def test_create_patch_delete(api, project):
    created = api.post(
        "/api/documents/",
        {"project": project.pk, "title": "API doc", "text": "Line one.\r\n\r\nLine two.", "published": "2019-03-12"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["text"] == "Line one.\n\nLine two."
    assert body["annotation_counts"] == {}

    duplicate = api.post("/api/documents/", {"project": project.pk, "title": "Again", "text": "Line one.\n\nLine two."})
    assert duplicate.status_code == 409
    assert duplicate.json()["existing"] == body["id"]

    patched = api.patch(f"/api/documents/{body['id']}/", {"author": "VOA"}, format="json")
    assert patched.status_code == 200
    assert patched.json()["author"] == "VOA"
    assert patched.json()["title"] == "API doc"
    refused = api.patch(f"/api/documents/{body['id']}/", {"text": "changed"}, format="json")
    assert refused.status_code == 400
    assert "text" in refused.json()

    assert api.delete(f"/api/documents/{body['id']}/").status_code == 204
    assert not Document.objects.filter(pk=body["id"]).exists()


def test_bad_document_input_names_the_field(api, project, outsider):
    cases = [
        ({"title": "t", "text": "x"}, "project"),
        ({"project": project.pk, "text": "x"}, "title"),
        ({"project": project.pk, "title": "t", "text": "   "}, "text"),
        ({"project": project.pk, "title": "t", "text": "x", "published": "yesterday"}, "published"),
        ({"project": outsider.projects.get().pk, "title": "t", "text": "x"}, "project"),
    ]
    for data, field in cases:
        response = api.post("/api/documents/", data, format="json")
        assert response.status_code == 400, (data, response.content)
        assert field in response.json(), (data, response.json())
    assert not Document.objects.exists()


def test_viewers_read_but_cannot_write(viewer, document):
    client = token_client(viewer)
    assert client.get(f"/api/documents/{document.pk}/").status_code == 200
    assert client.patch(f"/api/documents/{document.pk}/", {"title": "x"}, format="json").status_code == 403
    assert client.delete(f"/api/documents/{document.pk}/").status_code == 403
    response = client.post("/api/documents/", {"project": document.project_id, "title": "t", "text": "x"})
    assert response.status_code == 403


def test_outsiders_get_404(outsider, document):
    client = token_client(outsider)
    assert client.get(f"/api/documents/{document.pk}/").status_code == 404
    assert client.delete(f"/api/documents/{document.pk}/").status_code == 404
    assert client.get("/api/documents/").json()["count"] == 0
