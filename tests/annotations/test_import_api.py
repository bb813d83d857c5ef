import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.annotations.importers import PARSERS, Utf16Offsets
from apps.annotations.models import Annotation
from apps.documents.models import Document
from tests.api_helpers import token_client

TEXT = "👩🏽‍🚒 The SDF said 3,000 people left Baghuz."


def upload(api, project, fmt, content: bytes, **extra):
    return api.post(
        "/api/import/annotations/",
        {"project": project.pk, "format": fmt, "file": SimpleUploadedFile("export", content), **extra},
        format="multipart",
    )


def test_doccano_jsonl_creates_documents_and_spans(api, project):
    sdf = TEXT.index("SDF")
    rows = [
        {"text": TEXT, "label": [[sdf, sdf + 3, "actor"], [TEXT.index("Baghuz"), TEXT.index("Baghuz") + 6, "LOCATION"]]}
    ]
    response = upload(api, project, "doccano", "\n".join(json.dumps(r) for r in rows).encode())
    assert response.status_code == 201, response.json()
    assert response.json() == {"created": 2, "documents_created": 1, "errors": [], "unknown_tags": [], "dry_run": False}
    document = Document.objects.get(project=project)
    assert sorted(Annotation.objects.values_list("quote", "tag__slug")) == [("Baghuz", "location"), ("SDF", "actor")]
    assert document.text == TEXT

    again = upload(api, project, "doccano", json.dumps(rows[0]).encode())
    assert again.json()["documents_created"] == 0  # the same text is the same document


def test_label_studio_json_with_utf16_offsets(api, project):
    units = len(TEXT[: TEXT.index("SDF")].encode("utf-16-le")) // 2  # the browser's count
    tasks = [
        {
            "data": {"text": TEXT},
            "annotations": [
                {
                    "result": [
                        {
                            "type": "labels",
                            "value": {"start": units, "end": units + 3, "text": "SDF", "labels": ["Actor"]},
                        }
                    ]
                }
            ],
        }
    ]
    response = upload(api, project, "labelstudio", json.dumps(tasks).encode())
    assert response.status_code == 201, response.json()
    annotation = Annotation.objects.get()
    assert (annotation.start, annotation.quote, annotation.tag.slug) == (TEXT.index("SDF"), "SDF", "actor")
    assert Utf16Offsets(TEXT).code_points(units) == TEXT.index("SDF")


def utf16_reference(text: str, offset: int) -> int:
    """The first code point at or after UTF-16 offset `offset` (inside a surrogate pair: the next one)."""
    for index in range(len(text) + 1):
        if len(text[:index].encode("utf-16-le")) // 2 >= offset:
            return index
    return len(text)


@settings(max_examples=60, derandomize=True, deadline=None)
@given(text=st.text(alphabet=["a", " ", "\n", "é", "\u0301", "李", "😀", "\U0001f3fd", "\u200d"], max_size=40))
def test_utf16_offsets_match_counting_units_one_by_one(text):
    offsets = Utf16Offsets(text)
    units = len(text.encode("utf-16-le")) // 2
    assert [offsets.code_points(u) for u in range(-1, units + 3)] == [
        utf16_reference(text, u) for u in range(-1, units + 3)
    ]


def test_label_studio_offsets_far_into_a_long_text():
    """Spans all along a 117,000-unit text with four astral characters a sentence."""
    text = "👩🏽‍🚒 The SDF said 3,000 people left Baghuz. " * 2500
    units_before = len(text[: text.index("SDF")].encode("utf-16-le")) // 2
    period = len(text) // 2500
    unit_period = len(text[:period].encode("utf-16-le")) // 2
    result = [
        {"value": {"start": units_before + k * unit_period, "end": units_before + k * unit_period + 3,
                   "text": "SDF", "labels": ["Actor"]}}
        for k in range(0, 2500, 1)
    ]  # fmt: skip
    tasks = [{"data": {"text": text}, "annotations": [{"result": result}]}]
    (record,) = PARSERS["labelstudio"](json.dumps(tasks).encode())
    assert len(record.spans) == 2500
    assert {text[span.start : span.end] for span in record.spans} == {"SDF"}


def test_lector_jsonl_round_trip_into_existing_documents(api, project, document):
    rows = [
        {"document": document.pk, "start": 6, "end": 18, "tag": "quantity", "note": "approx.", "quote": "3,000 people"}
    ]
    response = upload(api, project, "lector", json.dumps(rows[0]).encode())
    assert response.status_code == 201, response.json()
    assert Annotation.objects.get().note == "approx."


def test_unknown_tags_are_reported_and_nothing_is_written(api, project):
    rows = [{"text": TEXT, "label": [[0, 7, "weapon"], [13, 16, "actor"]]}]
    response = upload(api, project, "doccano", json.dumps(rows[0]).encode())
    assert response.status_code == 400
    assert response.json()["unknown_tags"] == ["weapon"]
    assert not Annotation.objects.exists()
    assert not Document.objects.exists()


def test_dry_run_writes_nothing(api, project):
    response = upload(
        api, project, "doccano", json.dumps({"text": TEXT, "label": [[13, 16, "actor"]]}).encode(), dry_run=True
    )
    assert response.status_code == 200
    assert response.json()["created"] == 1
    assert not Annotation.objects.exists()


def test_bad_files_name_the_problem(api, project, outsider):
    assert "line 1" in upload(api, project, "doccano", b"{not json").json()["file"][0]
    assert "format" in upload(api, project, "brat", b"").json()
    response = upload(
        api, project, "lector", json.dumps({"document": 999999, "start": 0, "end": 1, "tag": "actor"}).encode()
    )
    assert response.status_code == 400
    assert "document 999999 is not in project" in response.json()["errors"][0]
    other = outsider.projects.get()
    assert upload(api, other, "doccano", b'{"text": "x", "label": []}').status_code == 404


@pytest.mark.parametrize(
    ("fmt", "content", "message"),
    [
        ("labelstudio", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        ("doccano", b'{"a": ' * 100_000 + b"1" + b"}" * 100_000, "line 1: nested too deeply"),
        ("labelstudio", b'[{"data": {"text": "x"}, "annotations": ["not an object"]}]', "task 1"),
        ("labelstudio", b'[{"data": {"text": "x"}, "annotations": [{"result": [1]}]}]', "task 1"),
        ("labelstudio", b'[{"data": {"text": "x"}, "annotations": {"result": []}}]', "'annotations' must be a list"),
        ("labelstudio", b'[{"data": "x"}]', "task 1: missing data.text"),
    ],
)
def test_malformed_files_are_a_400_naming_file(api, project, fmt, content, message):
    response = upload(api, project, fmt, content)
    assert response.status_code == 400, response.content
    assert message in response.json()["file"][0]


def test_a_file_over_the_limit_is_refused_before_it_is_read(api, project, settings):
    settings.ANNOTATION_IMPORT_MAX_BYTES = 100
    content = json.dumps({"text": TEXT * 3, "label": []}).encode()
    response = upload(api, project, "doccano", content)
    assert response.status_code == 413
    assert response.json() == {
        "file": [f"The file is {len(content):,} bytes; an annotation import takes at most 100 bytes."]
    }
    assert not Document.objects.exists()


def test_span_errors_name_their_line(api, project, document):
    rows = [
        {"document": document.pk, "start": 6, "end": 18, "tag": "quantity"},
        {"document": document.pk, "start": 6, "end": 18, "tag": "quantity", "quote": "3,000 persons"},
        {"document": document.pk, "start": 0, "end": 999, "tag": "actor"},
    ]
    response = upload(api, project, "lector", "\n".join(json.dumps(row) for row in rows).encode())
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [error.split(":")[0] for error in errors] == ["line 2", "line 3"]
    assert "does not match" in errors[0]
    assert "past the end" in errors[1]
    assert not Annotation.objects.exists()


def test_a_project_id_in_other_digits_is_a_400_naming_project(api):
    response = api.post(
        "/api/import/annotations/",
        {"project": "²", "format": "doccano", "file": SimpleUploadedFile("export", b"{}")},
        format="multipart",
    )
    assert response.status_code == 400
    assert "project" in response.json()


def test_viewers_cannot_import(viewer, project):
    response = upload(token_client(viewer), project, "doccano", json.dumps({"text": TEXT, "label": []}).encode())
    assert response.status_code == 403
