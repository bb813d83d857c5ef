import pytest

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
