"""Tagging never drops a key: a shortcut pressed in the same task as the selection's mouseup, before the menu is
drawn, still tags; a rapid run of selections and keys loses none; keys typed in a text field never tag. And the
blocks' content-visibility keeps ?focus scrolling to its paragraph."""

import pytest
from playwright.sync_api import expect

from apps.annotations.models import Annotation
from apps.documents.models import Document
from apps.documents.services import content_hash
from apps.projects.services import project_create
from tests.e2e.conftest import tag_marks
from tests.e2e.test_annotate import TEXT, text_box

pytestmark = pytest.mark.e2e

PARAGRAPHS = 60
LONG_TEXT = "\n\n".join(
    f"Paragraph {n}: the SDF said {n * 10} fighters surrendered near Baghuz while coalition aircraft struck "
    f"positions east of the river, and about {n * 100} people left the enclave on foot." * 3
    for n in range(PARAGRAPHS)
)

# Select the first word of the index-th paragraph, release the mouse, and press `key` within the same task.
SELECT_AND_PRESS = """([index, key]) => {
    const block = document.querySelectorAll('#document-text .block')[index];
    block.scrollIntoView({block: 'center'});
    const node = block.firstChild.nodeType === Node.TEXT_NODE ? block.firstChild : block.firstChild.firstChild;
    const range = document.createRange();
    range.setStart(node, 0);
    range.setEnd(node, node.data.indexOf(' '));
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
    if (key) document.dispatchEvent(new KeyboardEvent('keydown', {key, bubbles: true, cancelable: true}));
    return document.getElementById('tag-menu').hidden;
}"""


@pytest.fixture
def analyst(transactional_db, django_user_model):
    return django_user_model.objects.create_user("analyst", password="pw-analyst-123")


def make_document(user, text):
    project = project_create(name="Syria 2019", owner=user)
    return Document.objects.create(project=project, title="Baghuz", text=text, content_hash=content_hash(text))


def test_a_key_pressed_in_the_same_task_as_the_mouseup_tags_the_selection(analyst, new_page):
    document = make_document(analyst, TEXT)
    page = new_page(analyst)
    page.goto(f"/documents/{document.pk}/")
    menu_was_hidden = page.evaluate(SELECT_AND_PRESS, [0, "q"])
    assert menu_was_hidden  # the key came before the menu could be drawn
    expect(tag_marks(page, "quantity")).to_have_text("About")
    assert list(Annotation.objects.values_list("quote", "tag__slug")) == [("About", "quantity")]


def test_a_key_right_after_a_real_mouse_selection_tags_it(analyst, new_page):
    document = make_document(analyst, TEXT)
    page = new_page(analyst)
    page.goto(f"/documents/{document.pk}/")
    box = text_box(page, "Baghuz")
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=3)
    page.mouse.up()
    page.keyboard.press("l")  # without waiting for the menu
    expect(tag_marks(page, "location")).to_have_text("Baghuz")
    expect(page.locator("#tag-menu")).to_be_hidden()


def test_twenty_rapid_selections_and_keys_lose_none(analyst, new_page):
    document = make_document(analyst, LONG_TEXT)
    page = new_page(analyst)
    page.goto(f"/documents/{document.pk}/")
    keys = "alq" * 7
    for index in range(20):
        page.evaluate(SELECT_AND_PRESS, [index * 2, None])
        page.keyboard.press(keys[index])  # a real key press, not waiting for the previous answer
    expect(page.locator("#document-text mark")).to_have_count(20)
    created = Annotation.objects.order_by("start").values_list("quote", "tag__slug")
    assert list(created) == [("Paragraph", {"a": "actor", "l": "location", "q": "quantity"}[k]) for k in keys[:20]]


def test_keys_typed_in_the_note_box_never_tag(analyst, new_page):
    document = make_document(analyst, TEXT)
    page = new_page(analyst)
    page.goto(f"/documents/{document.pk}/")
    page.evaluate(SELECT_AND_PRESS, [1, "a"])
    mark = tag_marks(page, "actor")
    expect(mark).to_have_text("The")
    with page.expect_response(lambda response: "/annotations/details/" in response.url):
        mark.click()
    note = page.locator("#annotation-details").get_by_label("Note")
    page.evaluate(SELECT_AND_PRESS, [2, None])  # "Bali" selected, and the menu drawn for it
    expect(page.locator("#tag-menu")).to_be_visible()
    note.focus()
    expect(page.locator("#tag-menu")).to_be_visible()  # its shortcuts would tag "Bali"
    page.keyboard.type("a lq")
    expect(note).to_have_value("a lq")
    page.locator("#annotation-details").get_by_role("button", name="Save").click()
    expect(page.locator("#annotation-details")).to_contain_text("Saved.")
    assert list(Annotation.objects.values_list("quote", "note")) == [("The", "a lq")]


def test_focus_scrolls_to_its_paragraph_through_content_visibility(analyst, new_page):
    document = make_document(analyst, LONG_TEXT)
    target = LONG_TEXT.index("Paragraph 50:")
    page = new_page(analyst)
    page.goto(f"/documents/{document.pk}/?focus={target + 5}")
    block = page.locator(f'#document-text .block[data-offset="{target}"]')
    expect(block).to_have_class("block flash")
    expect(block).to_be_in_viewport()
    assert page.evaluate("getComputedStyle(document.querySelector('.chunk')).contentVisibility") == "auto"


def test_find_in_page_reaches_text_in_chunks_not_drawn_yet(analyst, new_page):
    document = make_document(analyst, LONG_TEXT)
    page = new_page(analyst)
    page.goto(f"/documents/{document.pk}/")
    target = page.locator(f'#document-text .block[data-offset="{LONG_TEXT.index("Paragraph 57:")}"]')
    expect(target).not_to_be_in_viewport()
    assert page.evaluate("() => window.find('Paragraph 57:')")  # the browser's find, as Ctrl+F
    expect(target).to_be_in_viewport()
