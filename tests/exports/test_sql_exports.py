"""JSON Lines and CSV written by PostgreSQL: the same output as the Python implementation they replace
(tests/exports/reference.py), formulas neutralised in CSV only, one snapshot per export, filters checked."""

import csv
import datetime
import io
import json
import threading
import zipfile

import pytest
from django.db import connection

from apps.actors.models import Entity
from apps.annotations.models import Annotation
from apps.documents.services import document_delete
from apps.exports.streaming import CHUNK_BYTES, CHUNKS_AHEAD
from apps.places.models import Place
from tests.exports import reference
from tests.exports.conftest import UNICODE_SPANS, annotate
from tests.factories import DocumentFactory, MembershipFactory, UserFactory

TRICKY_TEXT = (
    'He said "stop" \\ then\ttabbed, "twice".\n\n'
    "=SUM(A1:A9) +1 -2 @home\n\n"
    "Controls \x01 \x1f \x7f and a line\u2028separator, 𝔘𝔫𝔦 café ✓ 大马士革 e\u0301 👩‍👩‍👧 end\\"
)
# (quote, tag, note): quotes, backslashes, tabs and commas; every formula start; controls; nested spans.
TRICKY_SPANS = [
    ('"stop" \\ then\ttabbed, "twice"', "actor", 'line one\nline two\r\nthree\t"quoted" \\ back'),
    ("stop", "location", '=HYPERLINK("http://example.com")'),
    ("=SUM(A1:A9)", "quantity", "+1"),
    ("+1", "quantity", "-2"),
    ("-2", "quantity", "@SUM(1)"),
    ("@home", "location", "\tstarts with a tab"),
    ("Controls \x01 \x1f \x7f and a line\u2028separator", "actor", "\rstarts with a carriage return"),
    ("𝔘𝔫𝔦 café ✓ 大马士革 e\u0301 👩‍👩‍👧", "location", 'comma, and "quotes"'),
    ("大马士革", "location", ""),
    ("end\\", "actor", "ends with a backslash \\"),
]


@pytest.fixture
def tricky_annotations(project, unicode_annotations):
    """The unicode document's annotations, plus a document of escapes and formulas annotated by `@mallory`, some
    with times whose fraction ends in zeros or is zero."""
    mallory = UserFactory(username="@mallory")
    MembershipFactory(project=project, user=mallory)
    document = DocumentFactory(project=project, title='=cmd|" /C calc"!A0 \\ report', text=TRICKY_TEXT)
    tricky = [annotate(document, quote, tag, note=note, annotator=mallory) for quote, tag, note in TRICKY_SPANS]
    moments = [
        datetime.datetime(2025, 3, 1, 9, 30, 5, 120000, tzinfo=datetime.UTC),
        datetime.datetime(2025, 3, 1, 9, 30, 5, tzinfo=datetime.UTC),
        datetime.datetime(2025, 3, 1, 9, 30, 5, 5, tzinfo=datetime.UTC),
    ]
    for annotation, moment in zip(tricky, moments, strict=False):
        Annotation.objects.filter(pk=annotation.pk).update(created=moment, modified=moment)
    _normalized_values(project, tricky)
    return unicode_annotations + tricky


def _normalized_values(project, tricky):
    """Normalised values of each kind, with formulas, commas, quotes, negative and fractional numbers in them."""
    place = Place.objects.create(
        project=project, source="project", name='=Baghuz, "east"', latitude=-34.46, longitude=-40.94, country_code="SY"
    )
    entity = Entity.objects.create(project=project, name='+SDF, the "forces"', type="rebel_groups")
    quantity = {"kind": "quantity", "low": 20, "best": 25.5, "high": None, "qualifier": "range", "unit": None,
                "counted": "-fighters, \"IS\"", "conservative": 20}  # fmt: skip
    where = {
        "place": {"id": place.pk, "name": place.name, "latitude": -34.46, "longitude": -40.94, "country_code": "SY",
                  "admin1": "@Deir ez-Zor", "source": "project"},
        "precision": 2,
        "kind": "place",
    }  # fmt: skip
    who = {"kind": "actor", "entity": {"id": entity.pk, "name": entity.name, "type": "rebel_groups"}}
    Annotation.objects.filter(pk=tricky[2].pk).update(normalized=quantity)
    Annotation.objects.filter(pk=tricky[1].pk).update(normalized=where, place=place)
    Annotation.objects.filter(pk=tricky[0].pk).update(normalized=who, entity=entity)


def test_jsonl_equals_the_python_implementation(export, tricky_annotations):
    body = export("jsonl").decode()

    assert body == reference.jsonl(tricky_annotations)


def test_jsonl_round_trips_every_string(export, tricky_annotations):
    records = [json.loads(line) for line in export("jsonl").decode().split("\n")[:-1]]

    quotes = {record["quote"] for record in records}
    notes = {record["note"] for record in records}
    assert {quote for quote, _, _ in UNICODE_SPANS + TRICKY_SPANS} == quotes
    assert {note for _, _, note in UNICODE_SPANS + TRICKY_SPANS} == notes
    assert '=cmd|" /C calc"!A0 \\ report' in {record["document_title"] for record in records}
    times = [datetime.datetime.fromisoformat(record["created"]) for record in records]
    assert datetime.datetime(2025, 3, 1, 9, 30, 5, 120000, tzinfo=datetime.UTC) in times


def test_csv_flattens_the_normalised_values(export, tricky_annotations):
    rows = {row["quote"]: row for row in csv.DictReader(io.StringIO(export("csv").decode(), newline=""))}

    quantity, place, actor = rows["'=SUM(A1:A9)"], rows["stop"], rows['"stop" \\ then\ttabbed, "twice"']
    assert [quantity[f"quantity_{key}"] for key in ("low", "best", "high", "conservative", "qualifier", "unit")] == [
        "20", "25.5", "", "20", "range", "",
    ]  # fmt: skip
    assert quantity["quantity_counted"] == '\'-fighters, "IS"'
    assert (place["place_name"], place["latitude"], place["longitude"]) == ('\'=Baghuz, "east"', "-34.46", "-40.94")
    assert (place["country_code"], place["geo_precision"], place["place_id"] != "") == ("SY", "2", True)
    assert (actor["entity_name"], actor["entity_type"], actor["entity_id"] != "") == (
        '\'+SDF, the "forces"',
        "rebel_groups",
        True,
    )
    assert all(place[column] == "" for column in ("quantity_best", "entity_id", "entity_name"))


def test_w3c_describes_the_normalised_value(export, tricky_annotations):
    items = json.loads(export("w3c"))["items"]

    described = [
        json.loads(body["value"]) for item in items for body in item["body"] if body["purpose"] == "describing"
    ]
    assert sorted(value["kind"] for value in described) == ["actor", "place", "quantity"]


def test_csv_equals_the_python_implementation_with_formulas_neutralised(export, tricky_annotations):
    body = export("csv").decode()

    assert body == reference.csv_text(tricky_annotations)


def test_w3c_equals_the_python_implementation(export, tricky_annotations):
    body = export("w3c").decode()

    assert body == reference.w3c(tricky_annotations, lambda document_id: f"http://testserver/documents/{document_id}/")
    assert json.loads(body)["items"]


def test_csv_neutralises_formulas_and_jsonl_keeps_the_exact_text(export, tricky_annotations):
    rows = list(csv.DictReader(io.StringIO(export("csv").decode(), newline="")))
    records = [json.loads(line) for line in export("jsonl").decode().split("\n")[:-1]]

    by_quote = {row["quote"]: row for row in rows}
    assert by_quote["'=SUM(A1:A9)"]["note"] == "'+1"
    assert by_quote["'+1"]["note"] == "'-2"
    assert by_quote["'-2"]["note"] == "'@SUM(1)"
    assert by_quote["'@home"]["note"] == "'\tstarts with a tab"
    assert by_quote["stop"]["note"] == '\'=HYPERLINK("http://example.com")'
    assert by_quote["stop"]["document_title"] == '\'=cmd|" /C calc"!A0 \\ report'
    assert by_quote["stop"]["annotator"] == "'@mallory"
    controls = next(row for row in rows if row["quote"].startswith("Controls"))
    assert controls["note"] == "'\rstarts with a carriage return"
    # Cells starting with anything else are untouched; JSON Lines keeps every text exactly.
    assert by_quote["大马士革"]["note"] == ""
    assert {r["quote"] for r in records} >= {"=SUM(A1:A9)", "+1", "-2", "@home"}
    assert {r["annotator"] for r in records} == {"@mallory", tricky_annotations[0].annotator.username}


# --- bad query values -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/export/?format=jsonl&", "/api/annotations/?"])
@pytest.mark.parametrize("query", ["tag=%00&tag=0", "tag=0&tag=%00", "tag=%00", "tag=actor&tag=lo%00cation"])
def test_a_nul_in_any_tag_value_is_a_400_naming_the_field(owner_client, unicode_annotations, url, query):
    response = owner_client.get(url + query)

    assert response.status_code == 400
    assert response.json() == {"tag": ["Null characters are not allowed."]}


def test_empty_tag_values_are_ignored(export, unicode_annotations):
    records = [json.loads(line) for line in export("jsonl", tag=["", "quantity"]).splitlines()]

    assert [record["tag"] for record in records] == ["quantity"]


# --- one snapshot per export, streamed in chunks ----------------------------------------------------------------------


def add_many(project, documents, count, note=""):
    tag = project.tags.get(slug="actor")
    Annotation.objects.bulk_create(
        Annotation(
            document=document,
            start=0,
            end=6,
            quote=document.text[:6],
            tag=tag,
            note=note,
            annotator=project.created_by,
        )
        for document in documents
        for _ in range(count)
    )


def delete_in_another_connection(document):
    """Delete the document (and its annotations) through the service, committed by another thread's connection."""

    def run():
        try:
            document_delete(document=document, user=document.project.created_by)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


@pytest.mark.django_db(transaction=True)
def test_a_document_deleted_mid_stream_stays_in_the_jsonl_export(owner_client, project):
    first, second = DocumentFactory(project=project), DocumentFactory(project=project)
    count = 2000  # each document's lines fill several chunks
    add_many(project, [first, second], count)

    second_id = second.id
    chunks = iter(owner_client.get("/api/export/", {"format": "jsonl"}).streaming_content)
    head = next(chunks)
    delete_in_another_connection(second)
    body = head + b"".join(chunks)

    assert not Annotation.objects.filter(document_id=second_id).exists()
    documents = [json.loads(line)["document"] for line in body.splitlines()]
    assert documents == [first.id] * count + [second_id] * count
    # Streamed a chunk of whole lines at a time, never the whole export at once.
    assert CHUNK_BYTES <= len(head) < CHUNK_BYTES + 1000
    assert head.endswith(b"\n")


@pytest.mark.django_db(transaction=True)
def test_a_document_deleted_mid_stream_stays_in_the_brat_zip(owner_client, project):
    first, second = DocumentFactory(project=project), DocumentFactory(project=project)
    annotate(first, "Report")
    annotate(second, "Report")

    second_id, second_text = second.id, second.text
    chunks = iter(owner_client.get("/api/export/", {"format": "brat"}).streaming_content)
    head = next(chunks)  # the first document's .txt
    delete_in_another_connection(second)
    archive = zipfile.ZipFile(io.BytesIO(head + b"".join(chunks)))

    assert archive.testzip() is None
    assert archive.namelist() == [f"{first.id}.txt", f"{first.id}.ann", f"{second_id}.txt", f"{second_id}.ann"] + [
        "annotation.conf"
    ]
    assert archive.read(f"{second_id}.txt").decode() == second_text


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", ["jsonl", "csv", "brat"])
def test_a_stream_abandoned_midway_ends_its_transaction(owner_client, project, name):
    # Lines of about 4 KB, three times the bytes a COPY may run ahead, so it still runs when the client goes away.
    documents = [DocumentFactory(project=project) for _ in range(2)]
    add_many(project, documents, 3 * CHUNKS_AHEAD * CHUNK_BYTES // 2 // 4000, note="n" * 4000)

    response = owner_client.get("/api/export/", {"format": name})
    chunks = iter(response.streaming_content)
    next(chunks), next(chunks)  # CSV's first chunk is its header
    response.close()  # what the server does when the client goes away

    assert not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('transaction_isolation'), current_setting('transaction_read_only')")
        assert cursor.fetchone() == ("read committed", "off")
