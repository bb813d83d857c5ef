import json

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.annotations.importers import utf16_to_code_points
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
    assert utf16_to_code_points(TEXT, units) == TEXT.index("SDF")


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


def test_viewers_cannot_import(viewer, project):
    response = upload(token_client(viewer), project, "doccano", json.dumps({"text": TEXT, "label": []}).encode())
    assert response.status_code == 403
