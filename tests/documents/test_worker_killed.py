"""A worker killed with SIGKILL in the middle of an import leaves whole chunks and counts that match them; the
batch shows as stalled and a resumed run imports the rest, nothing twice."""

import signal

from django.db.models import Count

from apps.documents import import_batches
from apps.documents.import_batches import Upload
from apps.documents.models import Document, ImportBatch, ImportFile
from tests.workers import run_queued_tasks, start_worker, stop_worker, wait_until

DOCUMENTS, CHUNK = 4000, 10


def test_a_worker_killed_mid_batch_leaves_nothing_half_written(transactional_db, project, owner, settings):
    lines = b"".join(b'{"title": "T%d", "text": "Report %d from Deir ez-Zor."}\n' % (n, n) for n in range(DOCUMENTS))
    upload = Upload("reports.jsonl", len(lines), lambda: lines)
    batch = import_batches.import_batch_create(project=project, user=owner, uploads=[upload])
    file = batch.files.get()

    worker = start_worker(LECTOR_IMPORT_CHUNK_DOCUMENTS=str(CHUNK))
    try:
        wait_until(lambda: ImportFile.objects.get(pk=file.pk).documents_done >= 5 * CHUNK, what="a few chunks")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        stop_worker(worker)

    file.refresh_from_db()
    batch.refresh_from_db()
    stored = Document.objects.filter(project=project).count()
    assert 0 < stored < DOCUMENTS, "killed in the middle"
    assert stored == file.documents_done == file.imported == batch.documents_imported
    assert stored % CHUNK == 0, "whole chunks only"
    assert (batch.state, file.state) == (ImportBatch.State.RUNNING, ImportFile.State.PENDING)
    assert file.data is not None, "the upload is kept until the file is done"

    settings.LECTOR_IMPORT_STALLED_SECONDS = 0
    import_batches.import_batch_resume(batch=batch, user=owner)
    run_queued_tasks()
    batch.refresh_from_db()
    assert (batch.state, batch.documents_imported, batch.documents_duplicate) == ("finished", DOCUMENTS, 0)
    assert Document.objects.filter(project=project).count() == DOCUMENTS
    assert not Document.objects.values("content_hash").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert ImportFile.objects.get(pk=file.pk).data is None
