import pytest
from django.core.management import CommandError, call_command

from apps.annotations.models import Annotation
from apps.documents.models import Document, ImportBatch
from apps.projects.models import Project
from tests.workers import run_queued_tasks


def test_import_documents_waits_for_the_worker_and_reports_bad_files(tmp_path, project, import_worker, capsys):
    (tmp_path / "one.txt").write_text("Fighters surrendered in Baghuz.", encoding="utf-8")
    (tmp_path / "two.md").write_text("# Raqqa\n\nReconstruction continues.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00")
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    with pytest.raises(SystemExit) as raised:
        call_command("import_documents", "--project", str(project.pk), str(tmp_path))
    output = capsys.readouterr().out
    assert raised.value.code == 1
    assert "2 imported, 0 duplicates, 1 failed." in output
    assert "failed: " + str(tmp_path / "bad.txt") + ": is UTF-16 text; save it as UTF-8" in output
    assert sorted(Document.objects.values_list("title", flat=True)) == ["Raqqa", "one"]

    with pytest.raises(SystemExit):
        call_command("import_documents", "--project", str(project.pk), str(tmp_path))
    output = capsys.readouterr().out
    assert "0 imported, 2 duplicates, 1 failed." in output
    assert f"duplicate: {tmp_path / 'one.txt'} (already imported as document " in output


def test_import_documents_splits_files_into_batches_under_the_batch_limit(tmp_path, project, settings, capsys):
    settings.LECTOR_IMPORT_MAX_BATCH_BYTES = 100
    for n in range(3):
        (tmp_path / f"{n}.txt").write_text(f"Report {n}. " + "x" * 40, encoding="utf-8")
    call_command("import_documents", "--project", str(project.pk), "--detach", str(tmp_path))
    assert capsys.readouterr().out.count("queued import batch") == 2
    assert sorted(ImportBatch.objects.values_list("files_total", flat=True)) == [1, 2]
    run_queued_tasks()
    assert Document.objects.count() == 3


def test_import_documents_refuses_a_user_who_may_not_import(tmp_path, project, viewer):
    (tmp_path / "one.txt").write_text("Text.", encoding="utf-8")
    with pytest.raises(CommandError, match="cannot do this"):
        call_command("import_documents", "--project", str(project.pk), "--user", viewer.username, str(tmp_path))


def test_import_documents_names_a_missing_project(db):
    with pytest.raises(CommandError, match="No project with id 999"):
        call_command("import_documents", "--project", "999", "x.txt")


def test_seed_demo_is_idempotent_and_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    call_command("seed_demo", force=True)
    call_command("seed_demo", force=True)
    project = Project.objects.get(name="Syria 2019")
    assert project.documents.count() == 1
    assert list(project.tags.values_list("slug", "shortcut")) == [("actor", "a"), ("location", "l"), ("quantity", "q")]
    assert project.memberships.get(role="owner").user.check_password("demo")
    assert project.focus_countries == ["SY", "IQ"]
    assert project.guidelines
    # Two colleagues tagged the first document once, so agreement and curation have layers to compare.
    annotators = project.memberships.filter(role="annotator").values_list("user__username", flat=True)
    assert sorted(annotators) == ["ana", "ben"]
    spans = Annotation.objects.filter(document__project=project)
    assert spans.filter(annotator__username="ana").count() == 5
    assert spans.filter(annotator__username="ben").count() == 5
    assert spans.get(annotator__username="ben", quote="Baghuz").tag.slug == "actor"
