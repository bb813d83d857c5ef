import csv
import io
import json

import pytest

from apps.events.exports import ACLED_COLUMNS, PROVENANCE_COLUMNS
from tests.api_helpers import token_client
from tests.events.conftest import span

EXPORT = "/api/export/events/"


@pytest.fixture
def coded(annotator, clash, report):
    client = token_client(annotator)
    event = client.post("/api/events/", clash, format="json").json()
    return client, event


def _rows(response) -> list[dict]:
    assert response.status_code == 200
    assert response.streaming
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_acled_export_has_acled_columns_then_provenance(coded, report, spans):
    client, event = coded
    response = client.get(EXPORT, {"project": report.project_id, "format": "acled"})
    assert response["Content-Type"].startswith("text/csv")
    (row,) = _rows(response)
    assert list(row)[: len(ACLED_COLUMNS)] == ACLED_COLUMNS
    assert list(row)[len(ACLED_COLUMNS) :] == PROVENANCE_COLUMNS
    assert row["event_id_cnty"] == f"SYR{event['id']}"
    assert (row["event_date"], row["year"], row["time_precision"]) == ("2019-03-12", "2019", "1")
    assert (row["disorder_type"], row["event_type"], row["sub_event_type"]) == (
        "Political violence", "Battles", "Armed clash",
    )  # fmt: skip
    assert (row["actor1"], row["inter1"], row["actor2"], row["inter2"]) == (
        "Syrian Democratic Forces", "2", "Islamic State", "2",
    )  # fmt: skip
    assert row["interaction"] == "22"
    assert (row["iso"], row["country"], row["region"], row["admin1"]) == ("760", "Syria", "Middle East", "Deir ez-Zor")
    assert (row["location"], row["latitude"], row["longitude"], row["geo_precision"]) == (
        "Baghuz", "34.46", "40.94", "1",
    )  # fmt: skip
    assert (row["fatalities"], row["notes"]) == ("38", "SDF advance on Baghuz.")


def test_each_cell_traces_back_to_its_span(coded, report, spans):
    client, event = coded
    (row,) = _rows(client.get(EXPORT, {"project": report.project_id, "format": "acled"}))
    assert row["lector_event_id"] == str(event["id"])
    assert row["lector_document_id"] == str(report.pk)
    assert row["lector_reader_url"].endswith(f"/documents/{report.pk}/?focus={spans['sdf'].start}")
    for slot, quote in (("actor1", "SDF"), ("actor2", "IS fighters"), ("location", "Baghuz"), ("fatalities", "38")):
        start, end = int(row[f"{slot}_start"]), int(row[f"{slot}_end"])
        assert report.text[start:end] == row[f"{slot}_quote"] == quote


def test_ucdp_export_uses_ged_names(coded, report):
    client, _ = coded
    (row,) = _rows(client.get(EXPORT, {"project": report.project_id, "format": "ucdp"}))
    assert (row["side_a"], row["side_b"]) == ("Syrian Democratic Forces", "Islamic State")
    assert (row["best"], row["low"], row["high"]) == ("38", "38", "38")
    assert (row["date_start"], row["date_end"], row["date_prec"]) == ("2019-03-12", "2019-03-12", "1")
    assert (row["where_prec"], row["type_of_violence"]) == ("1", "2")
    assert row["geom_wkt"] == "POINT (40.94 34.46)"


def test_jsonl_export_nests_the_slots(coded, report):
    client, event = coded
    response = client.get(EXPORT, {"project": report.project_id, "format": "jsonl"})
    (line,) = [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]
    assert line["id"] == event["id"]
    assert line["actor1"]["quote"] == "SDF"
    assert line["location"]["start"] == event["location"]["start"]


def test_cells_that_look_like_formulas_are_neutralised(annotator, clash, report):
    client = token_client(annotator)
    client.post("/api/events/", {**clash, "notes": '=HYPERLINK("http://x")'}, format="json")
    (row,) = _rows(client.get(EXPORT, {"project": report.project_id, "format": "acled"}))
    assert row["notes"].startswith("'=")


def test_linked_events_share_one_acled_id(coded, report, project, annotator):
    from tests.factories import DocumentFactory

    client, event = coded
    other = DocumentFactory(project=project, text="The SDF took Baghuz.")
    client.post(
        "/api/events/",
        {"document": other.pk, "event_type": "Battles", "sub_event_type": "Armed clash", "date": "2019-03-12",
         "actor1": span(other, "SDF", "actor", annotator).pk, "same_as": event["id"]},
        format="json",
    )  # fmt: skip
    rows = _rows(client.get(EXPORT, {"project": report.project_id, "format": "acled"}))
    assert len({row["lector_incident_id"] for row in rows}) == 1
    assert rows[0]["lector_incident_id"] != ""
    assert rows[0]["event_id_cnty"].endswith(f"I{rows[0]['lector_incident_id']}")


def test_bad_format_or_filter_is_a_400(coded):
    client, _ = coded
    response = client.get(EXPORT, {"format": "xlsx", "date_after": "2019-13-01"})
    assert response.status_code == 400
    assert set(response.json()) == {"format", "date_after"}


def test_an_outsider_exports_nothing(coded, outsider, report):
    assert _rows(token_client(outsider).get(EXPORT, {"format": "acled"})) == []


def test_the_export_reads_in_a_bounded_number_of_queries(annotator, clash, report, django_assert_max_num_queries):
    client = token_client(annotator)
    for _ in range(10):
        client.post("/api/events/", clash, format="json")
    with django_assert_max_num_queries(8):
        rows = _rows(client.get(EXPORT, {"project": report.project_id, "format": "acled"}))
    assert len(rows) == 10
