"""Every request the schema fuzz (tests/api/test_schema_fuzz.py, `make fuzz`) ever failed on, as a plain test."""

from schemathesis.specs.openapi.checks import response_schema_conformance

from apps.places.services import place_create
from tests.api_helpers import token_client


def test_a_null_character_in_the_first_of_several_export_tags(owner, document):
    response = token_client(owner).get("/api/export/?format=jsonl&tag=%00&tag=0")
    assert response.status_code == 400


def test_no_format_suffix_routes(owner, document):
    """`/api/annotations/bulk.json` and `/api/annotations/{id}/history.json` answered 500: suffixes are gone."""
    client = token_client(owner)
    assert client.post("/api/annotations/bulk.json", [], format="json").status_code == 404
    assert client.get("/api/annotations/1/history.json").status_code == 404


def test_place_candidates_keep_to_the_listed_shape(api_schema, owner, project):
    """`GET /api/places/` answered a bare list where its schema (as every list of the API) says a page (ST108)."""
    place_create(project=project, user=owner, name="Baghuz", latitude=34.46, longitude=40.94, aliases=["Baghouz"])
    case = api_schema["/api/places/"]["GET"].Case(query={"project": project.pk, "q": "Baghouz"})
    client = token_client(owner)
    # As the schema fuzz: the WSGI transport asks for gzip but does not decompress what it gets.
    response = case.call(
        headers={"Authorization": client._credentials["HTTP_AUTHORIZATION"], "Accept-Encoding": "identity"}
    )
    assert response.status_code == 200
    assert response.json()["results"][0]["project"] == project.pk
    case.validate_response(response, checks=[response_schema_conformance])


def test_an_empty_event_ordering_keeps_the_list_ordered(owner, project, recwarn):
    """`GET /api/events/?ordering=,` paged an unordered list (make fuzz: UnorderedObjectListWarning)."""
    assert token_client(owner).get("/api/events/?ordering=,").status_code == 200
    assert token_client(owner).get("/api/events/?ordering=-date").status_code == 200
    assert not [warning for warning in recwarn if "unordered" in str(warning.message)]
