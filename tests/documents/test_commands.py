import pytest
from django.core.management import CommandError, call_command

from apps.documents.models import Document
from apps.projects.models import Project


def test_import_documents_imports_a_directory_and_reports_bad_files(tmp_path, project, capsys):
    (tmp_path / "one.txt").write_text("Fighters surrendered in Baghuz.", encoding="utf-8")
    (tmp_path / "two.md").write_text("# Raqqa\n\nReconstruction continues.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00")
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    with pytest.raises(SystemExit) as raised:
        call_command("import_documents", "--project", str(project.pk), str(tmp_path))
    output = capsys.readouterr().out
    assert raised.value.code == 1
    assert "2 imported, 0 duplicates, 1 failed." in output
    assert "bad.txt" in output
    assert sorted(Document.objects.values_list("title", flat=True)) == ["Raqqa", "one"]

    with pytest.raises(SystemExit):
        call_command("import_documents", "--project", str(project.pk), str(tmp_path))
    assert "0 imported, 2 duplicates, 1 failed." in capsys.readouterr().out


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
    assert project.memberships.get().user.check_password("demo")
