import pytest
from playwright.sync_api import expect

from apps.documents.models import Document
from apps.projects.services import project_create

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo(django_user_model, transactional_db):
    from django.core.management import call_command

    call_command("seed_demo", force=True)
    return django_user_model.objects.get(username="demo")


def test_new_user_logs_in_and_reads_the_sample_document(demo, new_page, live_server):
    page = new_page()
    page.goto("/")
    assert "/accounts/login/" in page.url  # every page but login requires it
    page.get_by_label("Username").fill("demo")
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="Syria 2019").click()
    page.get_by_role("link", name="Final Battle Against IS Caliphate as 'Good as Over'").click()
    page.get_by_role("heading", name="Final Battle Against IS Caliphate as 'Good as Over'").wait_for()

    document = Document.objects.get(title__startswith="Final Battle")
    blocks = page.eval_on_selector_all(
        "#document-text .block", "els => els.map(el => [Number(el.dataset.offset), el.textContent])"
    )
    assert len(blocks) > 10
    text = document.text
    for offset, content in blocks:
        # data-offset is a code-point offset, and the block's text is exactly that slice of the stored text
        assert text[offset : offset + len(content)] == content
    # Blocks come in order, never overlap, and only whitespace lies between them.
    for (offset, content), (next_offset, _) in zip(blocks, blocks[1:], strict=False):
        assert offset + len(content) <= next_offset
        assert text[offset + len(content) : next_offset].strip() == ""
    assert page.eval_on_selector("#document-text", "el => el.textContent") == text


def test_text_that_looks_like_markup_is_shown_as_text(transactional_db, new_page, django_user_model):
    user = django_user_model.objects.create_user("ana", password="pw-ana-12345")
    project = project_create(name="Markup", owner=user)
    hostile = "<script>window.pwned = 1</script> {{ request }} {% csrf_token %} <b>bold</b>\n\nمرحبا 👩🏽‍🚒 日本語"
    document = Document.objects.create(project=project, title="<i>t</i>", text=hostile, content_hash="x")
    page = new_page(user)
    page.goto(f"/documents/{document.pk}/")
    assert page.evaluate("window.pwned") is None
    assert page.locator("#document-text b").count() == 0
    assert page.eval_on_selector("#document-text", "el => el.textContent") == hostile
    assert page.get_by_role("heading", level=1).inner_text() == "<i>t</i>"


def test_uploading_a_mixed_batch_reports_bad_files_and_keeps_good_ones(
    transactional_db, new_page, tmp_path, django_user_model
):
    user = django_user_model.objects.create_user("importer", password="pw-importer-1")
    project = project_create(name="Imports", owner=user)
    (tmp_path / "good.txt").write_text("Three Yazidi women were rescued near Baghuz.", encoding="utf-8")
    (tmp_path / "lines.jsonl").write_text('{"title": "A", "text": "Alpha"}\n{"title": "B"}\n', encoding="utf-8")
    (tmp_path / "blob.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    page = new_page(user)
    page.goto(f"/projects/{project.pk}/documents/")
    page.get_by_role("link", name="Import documents").click()
    page.get_by_label("Files").set_input_files([tmp_path / "good.txt", tmp_path / "lines.jsonl", tmp_path / "blob.txt"])
    page.get_by_role("button", name="Upload").click()
    report = page.locator("#import-report")
    expect(report).to_contain_text("1 imported, 0 duplicates, 2 failed.")
    expect(report.locator(".errors")).to_contain_text("lines.jsonl: line 2: missing field 'text'")
    expect(report.locator(".errors")).to_contain_text("blob.txt")
    report.get_by_role("link", name="good").click()
    expect(page.locator("#document-text")).to_have_text("Three Yazidi women were rescued near Baghuz.")
