import json

import pytest

from tests.api_helpers import token_client
from tests.curation.scenario import curated

MERGE, DECIDE = "/api/curation/merge/", "/api/curation/decide/"


@pytest.fixture
def curator_api(scenario):
    return token_client(scenario.curator)


def test_merge_answers_the_counts(scenario, curator_api):
    response = curator_api.post(MERGE, {"document": scenario.document.pk, "strategy": "majority"}, format="json")
    assert response.status_code == 200, response.content
    events = {"merged": 1, "left": 1, "kept": 0}  # the clash two of three coded; not ana's lone attack
    assert response.json() == {"merged": 2, "left": 3, "kept": 0, "events": events}
    response = curator_api.post(MERGE, {"document": scenario.document.pk, "strategy": "min", "min": 1}, format="json")
    assert response.json() == {"merged": 3, "left": 2, "kept": 0, "events": {"merged": 2, "left": 0, "kept": 0}}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"strategy": "all"}, "document"),
        ({"document": "twelve", "strategy": "all"}, "document"),
        ({"document": 10**30, "strategy": "all"}, "document"),
        ({"document": True, "strategy": "all"}, "document"),
        ({"strategy": "most"}, "strategy"),
        ({"strategy": "min"}, "min"),
        ({"strategy": "min", "min": 0}, "min"),
        ({"strategy": "all", "overwrite": "perhaps"}, "overwrite"),
    ],
)
def test_merge_refuses_bad_fields_by_name(scenario, curator_api, body, field):
    body = {"document": scenario.document.pk, **body} if "document" not in body and field != "document" else body
    response = curator_api.post(MERGE, body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_decide_records_a_choice_and_null_rejects(scenario, curator_api):
    start, end = scenario.at("Baghuz")
    take = scenario.spans[("ben", "Baghuz")].pk
    body = {"document": scenario.document.pk, "start": start, "end": end, "take": take}
    response = curator_api.post(DECIDE, body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["taken_from"] == "ben"
    assert curated(scenario.document) == [("Baghuz", "actor")]
    response = curator_api.post(DECIDE, {**body, "take": None}, format="json")
    assert response.status_code == 201
    assert response.json()["taken_from"] is None
    assert curated(scenario.document) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start": "a"}, "start"),
        ({"end": 99_999}, "end"),
        ({"take": 10**15}, "take"),
        ({"take": "x"}, "take"),
        ({"start": None}, "start"),
    ],
)
def test_decide_refuses_bad_fields_by_name(scenario, curator_api, change, field):
    body = {"document": scenario.document.pk, "start": 0, "end": 3, "take": None, **change}
    response = curator_api.post(DECIDE, body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_decide_without_take_is_refused(scenario, curator_api):
    response = curator_api.post(DECIDE, {"document": scenario.document.pk, "start": 0, "end": 3}, format="json")
    assert response.status_code == 400
    assert "take" in response.json()


def test_who_may_curate(scenario, owner, viewer, outsider):
    body = {"document": scenario.document.pk, "strategy": "all"}
    assert token_client(scenario.annotators["ana"]).post(MERGE, body, format="json").status_code == 403
    assert token_client(viewer).post(MERGE, body, format="json").status_code == 403
    assert token_client(outsider).post(MERGE, body, format="json").status_code == 404
    assert token_client(owner).post(MERGE, body, format="json").status_code == 200


def test_layers_on_the_annotation_list(scenario, curator_api):
    curator_api.post(MERGE, {"document": scenario.document.pk, "strategy": "majority"}, format="json")
    listed = curator_api.get("/api/annotations/", {"document": scenario.document.pk}).json()
    assert listed["count"] == 12
    assert not any(item["curated"] for item in listed["results"])
    gold = curator_api.get("/api/annotations/", {"document": scenario.document.pk, "layer": "curated"}).json()
    assert [(item["quote"], item["tag"], item["curated"]) for item in gold["results"]] == [
        ("SDF", "actor", True),
        ("Baghuz", "location", True),
    ]
    assert gold["results"][1]["curated_from"] == sorted(
        [scenario.spans[("ana", "Baghuz")].pk, scenario.spans[("cleo", "Baghuz")].pk]
    )
    bens = curator_api.get("/api/annotations/", {"document": scenario.document.pk, "layer": "ben"}).json()
    assert [item["quote"] for item in bens["results"]] == ["SDF", "Baghuz", "March", "Hundreds surrendered"]
    one = curator_api.get(f"/api/annotations/{gold['results'][0]['id']}/")
    assert one.status_code == 200
    assert one.json()["curated"] is True


def test_layer_curated_exports_exactly_the_curated_spans(scenario, curator_api):
    start, end = scenario.at("March")
    curator_api.post(MERGE, {"document": scenario.document.pk, "strategy": "all"}, format="json")
    curator_api.post(
        DECIDE,
        {"document": scenario.document.pk, "start": start, "end": end, "take": scenario.spans[("cleo", "March")].pk},
        format="json",
    )
    response = curator_api.get("/api/export/", {"format": "jsonl", "layer": "curated"})
    assert response.status_code == 200
    lines = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert [(line["quote"], line["tag"], line["start"]) for line in lines] == [
        ("SDF", "actor", 0),
        ("March", "quantity", start),
    ]
    everyone = curator_api.get("/api/export/", {"format": "csv"})
    rows = b"".join(everyone.streaming_content).decode().splitlines()
    assert len(rows) == 1 + 12  # the header and the annotators' spans, as before curation
    only_ana = curator_api.get("/api/export/", {"format": "jsonl", "layer": "ana"})
    assert len(b"".join(only_ana.streaming_content).splitlines()) == 5
