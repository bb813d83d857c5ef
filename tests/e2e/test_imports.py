"""An analyst uploads a mixed batch; the page follows the background worker (a real `manage.py db_worker`)."""

import pytest
from playwright.sync_api import expect

from apps.documents.models import Document, ImportBatch
from tests.workers import start_worker, stop_worker

pytestmark = pytest.mark.e2e


def test_a_mixed_batch_shows_progress_and_each_bad_file_with_its_reason(new_page, project, owner, settings):
    settings.LECTOR_IMPORT_MAX_FILE_BYTES = 1000
    jsonl = b"".join(b'{"title": "Report %d", "text": "Shelling near Idlib, report %d."}\n' % (n, n) for n in range(3))
    files = [
        {"name": "hama.txt", "mimeType": "text/plain", "buffer": b"Shelling in Hama killed four people."},
        {"name": "reports.jsonl", "mimeType": "application/jsonl", "buffer": jsonl},
        {"name": "photo.txt", "mimeType": "text/plain", "buffer": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
        {"name": "huge.txt", "mimeType": "text/plain", "buffer": b"x" * 5000},
        {
            "name": "lines.jsonl",
            "mimeType": "application/jsonl",
            "buffer": b'{"title": "A", "text": "Alpha"}\n{"title": "B"}\n',
        },
        {"name": "again.txt", "mimeType": "text/plain", "buffer": b"Shelling in Hama killed four people.\r\n"},
    ]
    page = new_page(owner)
    page.goto(f"/projects/{project.pk}/import/")
    page.locator("#id_files").set_input_files(files)
    page.get_by_role("button", name="Upload").click()

    report = page.locator("#import-batch")
    expect(report.get_by_role("heading")).to_have_text("Waiting for the worker…")
    expect(report.locator(".progress-files")).to_have_text("1 of 6 files")  # the oversized file, refused unread
    expect(report.locator("tr", has_text="huge.txt")).to_contain_text("is 4.9 KB; the limit is 1 KB a file")

    worker = start_worker()
    try:
        # The page is not reloaded: htmx polls the progress partial until the batch is over.
        expect(report.get_by_role("heading")).to_have_text("Finished", timeout=30_000)
    finally:
        stop_worker(worker)
    expect(report.locator(".progress-files")).to_have_text("6 of 6 files")
    expect(report.locator(".imported-count")).to_have_text("4")
    expect(report.locator(".failed-count")).to_have_text("3")
    expect(report.locator(".duplicate-count")).to_have_text("1")
    expect(report.locator("tr", has_text="photo.txt")).to_contain_text("looks like a binary file")
    expect(report.locator("tr", has_text="photo.txt").locator(".file-failed-count")).to_have_text("the file")
    expect(report.locator("tr", has_text="lines.jsonl")).to_contain_text("line 2: missing field 'text'")
    expect(report.locator("tr", has_text="reports.jsonl")).to_contain_text("done")
    expect(report).not_to_have_attribute("hx-trigger", "every 1s")
    assert ImportBatch.objects.get().state == ImportBatch.State.FINISHED
    assert sorted(Document.objects.values_list("title", flat=True)) == [
        "Report 0", "Report 1", "Report 2", "hama",
    ]  # fmt: skip
    report.locator("tr", has_text="again.txt").get_by_role("link", name="already imported as “hama”").click()
    expect(page.locator("#document-text")).to_have_text("Shelling in Hama killed four people.")
