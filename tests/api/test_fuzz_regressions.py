"""Every request the schema fuzz (tests/api/test_schema_fuzz.py, `make fuzz`) ever failed on, as a plain test."""

from tests.api_helpers import token_client


def test_a_null_character_in_the_first_of_several_export_tags(owner, document):
    response = token_client(owner).get("/api/export/?format=jsonl&tag=%00&tag=0")
    assert response.status_code == 400


def test_no_format_suffix_routes(owner, document):
    """`/api/annotations/bulk.json` and `/api/annotations/{id}/history.json` answered 500: suffixes are gone."""
    client = token_client(owner)
    assert client.post("/api/annotations/bulk.json", [], format="json").status_code == 404
    assert client.get("/api/annotations/1/history.json").status_code == 404
