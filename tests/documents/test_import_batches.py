"""Batch imports: the service stores the uploads, the worker (django-tasks-db's own run_task) imports them."""

import pytest
from django.core.exceptions import PermissionDenied
from django_tasks_db.models import DBTaskResult

from apps.documents import import_batches
from apps.documents.import_batches import Upload
from apps.documents.models import Document, ImportBatch, ImportFile
from tests.workers import run_queued_tasks


def uploads(*files: tuple[str, bytes]) -> list[Upload]:
    return [Upload(name, len(data), lambda data=data: data) for name, data in files]


def unreadable(name: str, size: int) -> Upload:
    def read():
        raise AssertionError(f"{name} was read although its size was known to be over a limit")

    return Upload(name, size, read)


def imported_batch(project, user, *files) -> ImportBatch:
    batch = import_batches.import_batch_create(project=project, user=user, uploads=uploads(*files))
    run_queued_tasks()
    batch.refresh_from_db()
    return batch


def test_a_bad_batch_reports_each_bad_file_and_keeps_the_good_ones(project, owner):
    batch = imported_batch(
        project,
        owner,
        ("good.txt", b"Fighters left Baghuz."),
        ("binary.txt", b"\x00\x01\x02\xff"),
        ("latin1.txt", "caf\xe9".encode("latin-1")),
        ("empty.md", b"   \n"),
        ("notes.pdf", b"%PDF-1.4"),
        ("batch.jsonl", b'{"title": "J1", "text": "First"}\n{"title": "J2", "text": "Second"}\n'),
        ("broken.jsonl", b'{"title": "ok", "text": "fine"}\n{"title": "no text"}\n'),
        ("again.txt", b"Fighters left Baghuz.\r\n"),
        ("bad-url.jsonl", b'{"title": "U", "text": "Unique text", "source_url": "not a url"}\n'),
    )
    assert (batch.state, batch.files_total, batch.files_done, batch.files_failed) == ("finished", 9, 9, 5)
    assert (batch.documents_imported, batch.documents_duplicate, batch.documents_failed) == (3, 1, 1)
    assert sorted(Document.objects.filter(project=project).values_list("title", flat=True)) == ["J1", "J2", "good"]
    files = {file.name: file for file in batch.files.all()}
    failed = {name: file.reason for name, file in files.items() if file.state == ImportFile.State.FAILED}
    assert set(failed) == {"binary.txt", "latin1.txt", "empty.md", "notes.pdf", "broken.jsonl"}
    assert failed["binary.txt"] == "looks like a binary file"
    assert "line 2" in failed["broken.jsonl"]
    good = Document.objects.get(title="good")
    assert files["again.txt"].problems == [
        {"name": "again.txt", "outcome": "duplicate", "reason": "already imported as “good”", "document": good.pk}
    ]
    (bad_url,) = files["bad-url.jsonl"].problems
    assert bad_url["outcome"] == "failed"
    assert bad_url["reason"].startswith("source_url:")
    assert all(file.data is None for file in ImportFile.objects.all()), "uploads are deleted once processed"


def test_duplicates_within_one_file_and_chunk_are_stored_once(project, owner, settings):
    settings.LECTOR_IMPORT_CHUNK_DOCUMENTS = 2
    lines = b"".join(b'{"title": "T%d", "text": "Text %d"}\n' % (n, n % 3) for n in range(7))
    batch = imported_batch(project, owner, ("repeats.jsonl", lines))
    assert (batch.documents_imported, batch.documents_duplicate) == (3, 4)
    assert sorted(Document.objects.values_list("title", flat=True)) == ["T0", "T1", "T2"]
    problems = batch.files.get().problems
    assert [p["name"] for p in problems] == [f"repeats.jsonl #{n}" for n in (4, 5, 6, 7)]
    assert {p["document"] for p in problems} == set(Document.objects.values_list("pk", flat=True))


def test_sizes_are_checked_before_reading_and_name_the_file(project, owner, settings):
    settings.LECTOR_IMPORT_MAX_FILE_BYTES = 1000
    settings.LECTOR_IMPORT_MAX_BATCH_BYTES = 1500
    files = [
        Upload("small.txt", 800, lambda: b"a" * 800),
        unreadable("huge.txt", 1001),
        unreadable("second.txt", 800),  # 800 + 800 > 1500
        Upload("third.txt", 700, lambda: b"b" * 700),
    ]
    batch = import_batches.import_batch_create(project=project, user=owner, uploads=files)
    reasons = dict(batch.files.values_list("name", "reason"))
    assert reasons["huge.txt"] == "is 1,001 bytes; the limit is 1,000 bytes a file"
    assert reasons["second.txt"] == "would take the batch past its limit of 1.5 KB; import it in another batch"
    assert reasons["small.txt"] == reasons["third.txt"] == ""
    run_queued_tasks()
    batch.refresh_from_db()
    assert (batch.state, batch.documents_imported, batch.files_failed) == ("finished", 2, 2)


def test_a_batch_of_only_bad_files_is_finished_at_once_without_a_task(project, owner):
    batch = import_batches.import_batch_create(project=project, user=owner, uploads=uploads(("a.pdf", b"%PDF")))
    assert batch.state == ImportBatch.State.FINISHED
    assert not DBTaskResult.objects.exists()


def test_a_viewer_cannot_start_an_import(project, viewer):
    with pytest.raises(PermissionDenied):
        import_batches.import_batch_create(project=project, user=viewer, uploads=uploads(("a.txt", b"text")))
    assert not ImportBatch.objects.exists()


def test_html_import_keeps_the_article_and_drops_scripts(project, owner):
    html = (
        b"<html><head><title>Airstrikes near Baghuz</title><script>var tracking = 1;</script></head>"
        b"<body><nav>Home | World | Sport</nav><article><h1>Airstrikes near Baghuz</h1>"
        b"<p>Coalition aircraft carried out 20 airstrikes on positions near Baghuz on Tuesday, officials said.</p>"
        b"<p>About 3,000 people left the enclave during the day, according to the Syrian Democratic Forces.</p>"
        b"</article><footer>Copyright</footer></body></html>"
    )
    imported_batch(project, owner, ("page.html", html))
    document = Document.objects.get()
    assert "20 airstrikes" in document.text
    assert "tracking" not in document.text
    assert "Sport" not in document.text


def test_queries_are_bounded_per_chunk_not_per_document(project, owner, settings, django_assert_max_num_queries):
    settings.LECTOR_IMPORT_CHUNK_DOCUMENTS = 50
    lines = b"".join(b'{"title": "T%d", "text": "Report number %d."}\n' % (n, n) for n in range(200))
    import_batches.import_batch_create(project=project, user=owner, uploads=uploads(("many.jsonl", lines)))
    (task,) = DBTaskResult.objects.all()
    # a chunk: its savepoint (a transaction outside tests), lock the file, look up duplicates, insert, two updates
    per_chunk, fixed = 7, 12
    with django_assert_max_num_queries(fixed + per_chunk * 4):
        run_queued_tasks()
    assert Document.objects.count() == 200


def test_a_run_resumes_after_the_last_stored_chunk(project, owner, settings):
    """What a worker killed after its first chunk leaves: that chunk and its counts, the rest still pending."""
    settings.LECTOR_IMPORT_CHUNK_DOCUMENTS = 3
    lines = b"".join(b'{"title": "T%d", "text": "Text %d"}\n' % (n, n) for n in range(8))
    batch = import_batches.import_batch_create(project=project, user=owner, uploads=uploads(("a.jsonl", lines)))
    documents = import_batches.parse_file("a.jsonl", lines)
    file = batch.files.get()
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.RUNNING)
    assert import_batches._import_next_chunk(batch, file.pk, documents, [f"#{n}" for n in range(8)])
    file.refresh_from_db()
    assert (file.documents_done, file.imported, Document.objects.count()) == (3, 3, 3)

    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportBatch.State.FAILED)
    batch.refresh_from_db()
    import_batches.import_batch_resume(batch=batch, user=owner)
    run_queued_tasks()
    batch.refresh_from_db()
    assert (batch.state, batch.documents_imported, batch.documents_duplicate) == ("finished", 8, 0)
    assert sorted(Document.objects.values_list("title", flat=True)) == sorted(f"T{n}" for n in range(8))


def test_a_nul_in_a_file_name_never_reaches_postgresql(project, owner):
    batch = imported_batch(project, owner, ("bad\x00name.txt", b"Text of a file with an odd name."))
    assert batch.files.get().name == "badname.txt"
    assert batch.documents_imported == 1
