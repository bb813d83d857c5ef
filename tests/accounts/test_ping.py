from rest_framework.test import APIClient

from tests.api_helpers import token_client


def test_ping_names_the_token_user_with_the_token_lookup_as_its_only_query(owner, django_assert_num_queries):
    client = token_client(owner)
    with django_assert_num_queries(1):
        response = client.get("/api/ping/")
    assert response.status_code == 200
    assert response.json() == {"user": owner.username}


def test_ping_names_the_session_user(client, owner):
    client.force_login(owner)
    assert client.get("/api/ping/").json() == {"user": owner.username}


def test_ping_without_credentials_is_refused(db):
    response = APIClient().get("/api/ping/")
    assert response.status_code == 401


def test_a_posted_body_is_not_parsed_and_costs_no_query_beyond_the_token(owner, django_assert_num_queries):
    client = token_client(owner)
    with django_assert_num_queries(1):
        response = client.post("/api/ping/", [{"document": 1, "start": 0, "end": 5, "tag": "actor"}], format="json")
    assert response.json() == {"user": owner.username}


def test_a_posted_body_is_read_with_the_api_size_cap(owner):
    response = token_client(owner).post(
        "/api/ping/", b"x" * (10 * 1024 * 1024 + 1), content_type="application/octet-stream"
    )
    assert response.status_code == 413
