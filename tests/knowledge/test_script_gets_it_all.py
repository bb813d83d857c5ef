"""Issue 11's "done when", as a script does it through the API: the sample report tagged, Baghuz added once, the
SDF under one name, and every quantity's numbers, place and actor read back from the annotations and the exports."""

import json
from pathlib import Path

import pytest

from tests.api_helpers import token_client

SAMPLE = (Path(__file__).resolve().parents[2] / "fixtures" / "documents" / "baghuz-2019-03-12.txt").read_text()

SPANS = [
    ("About 3,000 people", "quantity"),
    ("Baghuz", "location"),
    ("U.S.-backed forces", "actor"),
    ("Syrian Democratic Forces", "actor"),
    ("hundreds of Islamic State fighters", "quantity"),
    ("SDF", "actor"),
    ("killing 38 IS fighters", "quantity"),
    ("20 coalition airstrikes", "quantity"),
    ("more than 20,000 civilians", "quantity"),
    ("Syria", "location"),
]


@pytest.fixture
def client(owner):
    return token_client(owner)


def created(response, status=201):
    assert response.status_code == status, response.content[:500]
    return response.json()


def test_a_script_tags_the_sample_report_and_reads_numbers_places_and_actors(client, project, gazetteer):
    document = created(client.post("/api/documents/", {"project": project.pk, "title": "Baghuz", "text": SAMPLE}))
    items = [
        {"document": document["id"], "start": SAMPLE.index(quote), "end": SAMPLE.index(quote) + len(quote), "tag": tag}
        for quote, tag in SPANS
    ]
    annotations = {a["quote"]: a for a in created(client.post("/api/annotations/bulk/", items, format="json"))}
    assert annotations["Baghuz"]["normalized"] is None  # too small for GeoNames: unresolved until added

    baghuz = created(
        client.post(
            "/api/places/",
            {"project": project.pk, "name": "Baghuz", "aliases": ["Baghouz", "al-Baghuz"], "latitude": 34.457,
             "longitude": 40.936, "country_code": "SY"},
            format="json",
        )
    )  # fmt: skip
    sdf = created(
        client.post(
            "/api/entities/",
            {"project": project.pk, "name": "Syrian Democratic Forces", "type": "rebel_groups",
             "aliases": ["SDF", "U.S.-backed forces"]},
            format="json",
        )
    )  # fmt: skip

    listed = created(client.get("/api/annotations/", {"document": document["id"], "page_size": 100}), 200)
    by_quote = {a["quote"]: a["normalized"] for a in listed["results"]}

    assert by_quote["About 3,000 people"] | {"kind": "quantity"} == {
        "kind": "quantity", "low": 3000, "best": 3000, "high": 3000, "qualifier": "about", "unit": None,
        "counted": "people", "conservative": 3000,
    }  # fmt: skip
    assert by_quote["hundreds of Islamic State fighters"]["conservative"] == 100  # ACLED: "hundreds" is 100
    assert by_quote["killing 38 IS fighters"]["best"] == 38
    assert by_quote["20 coalition airstrikes"]["counted"] == "airstrikes"
    assert by_quote["more than 20,000 civilians"]["qualifier"] == "more_than"

    assert by_quote["Baghuz"]["place"]["id"] == baghuz["id"]  # resolved when the place was added
    assert by_quote["Baghuz"]["precision"] == 1
    assert by_quote["Syria"]["place"]["country_code"] == "SY"
    assert by_quote["Syria"]["precision"] == 3

    for quote in ("Syrian Democratic Forces", "SDF", "U.S.-backed forces"):
        assert by_quote[quote]["entity"] == {
            "id": sdf["id"],
            "name": "Syrian Democratic Forces",
            "type": "rebel_groups",
        }
    mentions = created(client.get("/api/annotations/", {"entity": sdf["id"]}), 200)
    assert mentions["count"] == 3

    exported = client.get("/api/export/", {"format": "jsonl", "document": document["id"]})
    lines = [json.loads(line) for line in b"".join(exported.streaming_content).decode().splitlines()]
    assert {line["quote"]: line["normalized"] for line in lines} == by_quote

    geojson = json.loads(b"".join(client.get("/api/export/", {"format": "geojson"}).streaming_content))
    points = {feature["properties"]["quote"]: feature["geometry"]["coordinates"] for feature in geojson["features"]}
    assert points["Baghuz"] == [40.936, 34.457]
