"""POST /api/documents/import/ queues a batch (202); GET /api/imports/{id}/ follows it."""

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.documents.models import Document, ImportBatch
from tests.api_helpers import token_client
from tests.workers import run_queued_tasks

IMPORT_URL = "/api/documents/import/"


def post_files(api, project_id, *files, **extra):
    data = {"project": project_id, "files": [SimpleUploadedFile(name, data) for name, data in files]}
    return api.post(IMPORT_URL, data | extra, format="multipart")


def test_import_answers_202_with_a_status_url_that_reports_each_bad_file(api, project, settings):
    settings.LECTOR_IMPORT_MAX_FILE_BYTES = 1024
    jsonl = b"".join(b'{"title": "R%d", "text": "Report %d."}\n' % (n, n) for n in range(5))
    response = post_files(
        api, project.pk, ("reports.jsonl", jsonl), ("binary.txt", b"\x00\x01"), ("big.txt", b"x" * 2000)
    )
    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["state"] == "queued"
    assert body["status_url"] == f"/api/imports/{body['id']}/"
    assert response["Location"] == body["status_url"]
    assert body["errors"] == [{"name": "big.txt", "reason": "is 2 KB; the limit is 1 KB a file"}]

    run_queued_tasks()
    status = api.get(body["status_url"]).json()
    assert status["state"] == "finished"
    assert (status["files_total"], status["files_done"], status["files_failed"]) == (3, 3, 2)
    assert (status["documents_imported"], status["documents_duplicate"], status["documents_failed"]) == (5, 0, 0)
    assert status["errors"] == [
        {"name": "binary.txt", "reason": "looks like a binary file"},
        {"name": "big.txt", "reason": "is 2 KB; the limit is 1 KB a file"},
    ]
    assert [f["state"] for f in status["files"]] == ["done", "failed", "failed"]
    assert status["finished"] is not None
    assert Document.objects.filter(project=project).count() == 5


def test_bad_requests_name_the_field(api, project):
    assert post_files(api, project.pk).json() == {"files": ["This field is required."]}
    response = post_files(api, "x", ("a.txt", b"text"))
    assert response.status_code == 400
    assert "project" in response.json()
    assert not ImportBatch.objects.exists()


def test_viewers_may_follow_but_not_start_imports_and_outsiders_see_nothing(api, project, viewer, outsider):
    assert post_files(token_client(viewer), project.pk, ("a.txt", b"text")).status_code == 403
    assert post_files(token_client(outsider), project.pk, ("a.txt", b"text")).status_code == 404
    batch_url = post_files(api, project.pk, ("a.txt", b"text")).json()["status_url"]
    assert token_client(viewer).get(batch_url).status_code == 200
    assert token_client(outsider).get(batch_url).status_code == 404
    assert token_client(outsider).get("/api/imports/").json()["count"] == 0


def test_a_request_over_the_limit_is_refused_with_413_before_parsing(api, project, settings):
    settings.LECTOR_MAX_REQUEST_BYTES = 1000
    response = post_files(api, project.pk, ("a.txt", b"x" * 5000))
    assert response.status_code == 413
    assert "the limit is 1000" in response.json()["non_field_errors"][0]
    assert not ImportBatch.objects.exists()


def test_only_a_failed_or_stalled_batch_can_be_resumed(api, project, settings):
    body = post_files(api, project.pk, ("a.txt", b"text")).json()
    resume_url = f"{body['status_url']}resume/"
    assert api.post(resume_url).json() == {
        "state": ["Only a failed or stalled import can be resumed; this one is queued."]
    }
    run_queued_tasks()
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.RUNNING)
    settings.LECTOR_IMPORT_STALLED_SECONDS = 0
    assert api.get(body["status_url"]).json()["stalled"] is True
    assert api.post(resume_url).status_code == 202
    run_queued_tasks()
    assert api.get(body["status_url"]).json()["state"] == "finished"
    assert Document.objects.count() == 1


def test_status_and_list_queries_do_not_grow_with_files_or_batches(api, project, django_assert_max_num_queries):
    for batch in range(3):
        post_files(api, project.pk, *[(f"{batch}-{n}.txt", b"Report %d %d." % (batch, n)) for n in range(10)])
    run_queued_tasks()
    batch = ImportBatch.objects.first()
    with django_assert_max_num_queries(4):
        assert len(api.get(f"/api/imports/{batch.pk}/").json()["files"]) == 10
    with django_assert_max_num_queries(4):
        assert api.get("/api/imports/", {"project": project.pk}).json()["count"] == 3
