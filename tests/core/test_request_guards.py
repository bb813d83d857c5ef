import pytest
from django.urls import reverse

from tests.api_helpers import token_client


@pytest.mark.parametrize(
    ("path", "query", "name"),
    [
        ("/api/export/", "format=jsonl&tag=%00&tag=0", "tag"),
        ("/api/annotations/", "annotator=a%00b", "annotator"),
        ("/api/documents/", "q=%00", "q"),
        ("/api/tags/", "project=1%00", "project"),
        ("/api/annotations/", "tag%00=actor", "tag\\x00"),
    ],
)
def test_a_null_character_in_an_api_query_is_a_400_naming_the_parameter(owner, document, path, query, name):
    response = token_client(owner).get(f"{path}?{query}")
    assert response.status_code == 400
    assert response.json() == {name: ["Null characters are not allowed."]}


@pytest.mark.parametrize("page", ["documents:list", "agreement:page"])
def test_a_null_character_in_a_page_query_is_a_400_naming_the_parameter(owner_client, project, page):
    response = owner_client.get(reverse(page, args=[project.pk]), {"q": "Bag\x00huz"})
    assert response.status_code == 400
    assert response.content.decode() == "q: Null characters are not allowed."


def test_a_query_without_null_characters_passes(owner, document):
    assert token_client(owner).get("/api/export/?format=jsonl&tag=actor&tag=0").status_code == 200
