import io
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from tests.exports.conftest import annotate
from tests.factories import AnnotationFactory, DocumentFactory

URL = "/api/export/"
FORMATS = {
    "jsonl": ("application/x-ndjson", "lector-annotations.jsonl"),
    "csv": ("text/csv; charset=utf-8", "lector-annotations.csv"),
    "w3c": ("application/ld+json", "lector-annotations.jsonld"),
    "brat": ("application/zip", "lector-annotations.zip"),
    "conll": ("text/plain; charset=utf-8", "lector-annotations.conll"),
}


@pytest.mark.parametrize(("name", "expected"), FORMATS.items())
def test_export_streams_an_attachment(owner_client, unicode_annotations, name, expected):
    response = owner_client.get(URL, {"format": name})

    assert response.status_code == 200
    assert response.streaming
    assert (response["Content-Type"], response["Content-Disposition"]) == (
        expected[0],
        f'attachment; filename="{expected[1]}"',
    )
    assert b"".join(response.streaming_content)


@pytest.mark.parametrize("params", [{}, {"format": ""}, {"format": "xml"}, {"format": "JSONL"}])
def test_missing_or_unknown_format_is_400(owner_client, params):
    response = owner_client.get(URL, params)

    assert response.status_code == 400
    assert response.json() == {"format": ["Choose one of: jsonl, csv, w3c, brat, conll, geojson."]}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"document": "abc"}, "document"),
        ({"project": "1.5x"}, "project"),
        ({"created_after": "yesterday"}, "created_after"),
        ({"created_before": "2025-13-45T00:00:00Z"}, "created_before"),
    ],
)
def test_bad_filter_value_is_400_naming_the_field(owner_client, params, field):
    response = owner_client.get(URL, {"format": "csv", **params})

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert response["Content-Type"] == "application/json"


def test_bad_format_and_filter_are_reported_together(owner_client):
    response = owner_client.get(URL, {"format": "pdf", "document": "x"})

    assert response.status_code == 400
    assert set(response.json()) == {"format", "document"}


def test_anonymous_is_refused(client, unicode_annotations):
    response = client.get(URL, {"format": "jsonl"})

    assert response.status_code in (401, 403)
    assert not response.streaming


def test_token_authentication(client, owner, unicode_annotations, export):
    token = Token.objects.create(user=owner)

    response = client.get(URL, {"format": "jsonl"}, headers={"Authorization": f"Token {token.key}"})

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == export("jsonl")


def test_viewer_may_export(client, viewer, unicode_annotations, export):
    client.force_login(viewer)

    assert len(export("jsonl", client=client).splitlines()) == len(unicode_annotations)


def test_outsider_export_is_empty(client, outsider, unicode_annotations, export):
    client.force_login(outsider)

    bodies = {name: export(name, client=client) for name in FORMATS}
    bodies_with_filters = {
        name: export(name, client=client, document=unicode_annotations[0].document_id) for name in FORMATS
    }

    assert bodies["jsonl"] == b""
    assert bodies["csv"].decode().splitlines() == [
        "document,document_title,start,end,quote,tag,note,annotator,created,modified,origin,normalized,"
        "quantity_low,quantity_best,quantity_high,quantity_conservative,quantity_qualifier,quantity_unit,"
        "quantity_counted,place_id,place_name,latitude,longitude,country_code,geo_precision,entity_id,entity_name,"
        "entity_type"
    ]
    assert json.loads(bodies["w3c"])["items"] == []
    assert zipfile.ZipFile(io.BytesIO(bodies["brat"])).namelist() == ["annotation.conf"]
    assert bodies["conll"] == b""
    assert bodies_with_filters == bodies


def test_outsider_sees_only_their_own_project(client, outsider, unicode_annotations, export):
    mine = annotate(DocumentFactory(project=outsider.projects.get()), "Report")
    client.force_login(outsider)

    records = [json.loads(line) for line in export("jsonl", client=client).splitlines()]

    assert [r["document"] for r in records] == [mine.document_id]


# --- filters --------------------------------------------------------------------------------------------------------


def exported_ids(export, **params):
    """(document, start, end, tag) of each exported annotation."""
    return [
        (r["document"], r["start"], r["end"], r["tag"])
        for r in map(json.loads, export("jsonl", **params).decode().splitlines())
    ]


def key(annotation):
    return (annotation.document_id, annotation.start, annotation.end, annotation.tag.slug)


@pytest.fixture
def mixed(project, annotator, unicode_annotations):
    """The unicode document's annotations plus, in another document, one by the annotator."""
    other = DocumentFactory(project=project, text="Report from Hajin: 40 fighters.")
    return {
        "unicode": unicode_annotations,
        "hajin": annotate(other, "Hajin", "location", annotator=annotator, note="Deir ez-Zor"),
    }


def test_tag_filter_is_repeatable(export, mixed):
    expected = [key(a) for a in mixed["unicode"] if a.tag.slug in ("location", "quantity")] + [key(mixed["hajin"])]

    assert sorted(exported_ids(export, tag=["location", "quantity"])) == sorted(expected)
    assert {row[3] for row in exported_ids(export, tag="quantity")} == {"quantity"}


def test_document_filter(export, mixed):
    assert exported_ids(export, document=mixed["hajin"].document_id) == [key(mixed["hajin"])]


def test_annotator_filter(export, mixed, annotator):
    assert exported_ids(export, annotator=annotator.username) == [key(mixed["hajin"])]


def test_q_filter_searches_quote_and_note(export, mixed):
    assert exported_ids(export, q="deir EZ") == [key(mixed["hajin"])]
    assert exported_ids(export, q="الديمقراطية") == [key(a) for a in mixed["unicode"][4:6]]


@pytest.mark.parametrize("name", ["brat", "conll", "w3c", "csv"])
def test_filters_apply_to_every_format(export, mixed, name):
    body = export(name, document=mixed["hajin"].document_id, tag="location")
    if name == "brat":
        archive = zipfile.ZipFile(io.BytesIO(body))
        body = b"".join(archive.read(member) for member in archive.namelist())
    body = body.decode()

    assert "Hajin" in body
    assert "Baghuz" not in body


# --- streaming and queries ------------------------------------------------------------------------------------------


def add_annotations(project, count):
    for document in (DocumentFactory(project=project), DocumentFactory(project=project)):
        for number in range(count):
            AnnotationFactory(document=document, start=number % 10, end=number % 10 + 3, note=f"n{number}")


# Session and user, then the annotations; the formats that need the text read it once per document (two here).
QUERIES = {"jsonl": 3, "csv": 3, "w3c": 3 + 2, "brat": 3 + 2, "conll": 3 + 2}


@pytest.mark.parametrize("name", FORMATS)
@pytest.mark.parametrize("count", [2, 60])
def test_queries_do_not_depend_on_the_number_of_annotations(
    owner_client, project, django_assert_max_num_queries, name, count
):
    add_annotations(project, count)

    with django_assert_max_num_queries(QUERIES[name]):
        response = owner_client.get(URL, {"format": name})
        body = b"".join(response.streaming_content)

    assert body


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", ["brat", "conll"])
def test_document_formats_stream_in_autocommit(owner_client, project, name):
    """Outside a test transaction, as in production: the text queries run while the server-side cursor is open."""
    add_annotations(project, 3)

    body = b"".join(owner_client.get(URL, {"format": name}).streaming_content)

    if name == "brat":
        assert len(zipfile.ZipFile(io.BytesIO(body)).namelist()) == 2 * 2 + 1
    else:
        assert body.count(b"# document_id = ") == 2


@pytest.mark.parametrize(("name", "reads"), [("jsonl", 0), ("csv", 0), ("w3c", 1), ("brat", 1), ("conll", 1)])
def test_the_text_is_read_once_per_document_and_only_if_needed(owner_client, unicode_annotations, name, reads):
    with CaptureQueriesContext(connection) as queries:
        b"".join(owner_client.get(URL, {"format": name}).streaming_content)

    text_reads = [query["sql"] for query in queries.captured_queries if '"documents_document"."text"' in query["sql"]]
    assert len(text_reads) == reads
    assert not any("annotations_annotation" in sql for sql in text_reads)  # never joined to the annotation rows
