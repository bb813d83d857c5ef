from rest_framework.test import APIClient

from tests.api_helpers import token_client


def test_token_from_username_and_password(owner):
    response = APIClient().post(
        "/api/auth/token/", {"username": owner.username, "password": "correct horse battery"}, format="json"
    )
    assert response.status_code == 200
    assert len(response.json()["token"]) == 40


def test_wrong_password_names_the_problem(owner):
    response = APIClient().post("/api/auth/token/", {"username": owner.username, "password": "nope"}, format="json")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_every_endpoint_requires_auth(document):
    for url in ["/api/projects/", "/api/tags/", "/api/documents/", "/api/annotations/", "/api/export/?format=jsonl"]:
        response = APIClient().get(url)
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"] == "Token"


def test_projects_list_only_mine_with_tags_and_role(api, project, outsider, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        body = api.get("/api/projects/").json()
    assert [p["name"] for p in body["results"]] == ["Syria 2019"]
    assert body["results"][0]["role"] == "owner"
    assert [t["slug"] for t in body["results"][0]["tags"]] == ["actor", "location", "quantity"]
    assert api.get(f"/api/projects/{outsider.projects.get().pk}/").status_code == 404


def test_tags_filter_by_project(api, project):
    body = api.get("/api/tags/", {"project": project.pk}).json()
    assert body["results"][0] == {
        "id": project.tags.get(slug="actor").pk,
        "project": project.pk,
        "slug": "actor",
        "label": "Actor",
        "color": "#f4a261",
        "shortcut": "a",
        "kind": "actor",
        "description": project.tags.get(slug="actor").description,
    }


def test_an_outsider_sees_no_tags(outsider, project):
    body = token_client(outsider).get("/api/tags/", {"project": project.pk}).json()
    assert body["count"] == 0


def test_token_requests_are_throttled_against_password_guessing(owner):
    from django.core.cache import cache

    cache.clear()
    client = APIClient()
    codes = [
        client.post("/api/auth/token/", {"username": owner.username, "password": "guess"}, format="json").status_code
        for _ in range(21)
    ]
    cache.clear()
    assert codes == [400] * 20 + [429]
