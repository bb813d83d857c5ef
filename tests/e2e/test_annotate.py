"""An analyst tags spans in the reading view with real mouse selections and key presses."""

import re

import pytest
from playwright.sync_api import expect

from apps.annotations.models import Annotation
from apps.documents.models import Document
from apps.documents.services import content_hash
from apps.projects.models import Role
from apps.projects.services import membership_set, project_create
from tests.e2e.conftest import tag_class, tag_marks

pytestmark = pytest.mark.e2e

TEXT = (
    "About 3,000 people poured out of Baghuz on Tuesday.\n\n"
    "The SDF said hundreds of Islamic State fighters surrendered in Baghuz.\n\n"
    "Bali said 20 coalition airstrikes hit Baghuz."
)


@pytest.fixture
def analyst(transactional_db, django_user_model):
    return django_user_model.objects.create_user("analyst", password="pw-analyst-123")


@pytest.fixture
def doc(analyst):
    project = project_create(name="Syria 2019", owner=analyst)
    return Document.objects.create(project=project, title="Baghuz", text=TEXT, content_hash=content_hash(TEXT))


def text_box(page, needle, occurrence=0):
    """Where the first (or nth) occurrence of `needle` is drawn: start and end points, in page coordinates."""
    box = page.evaluate(
        """([needle, occurrence]) => {
            const root = document.getElementById('document-text');
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            let seen = 0, node;
            while ((node = walker.nextNode())) {
                let at = node.data.indexOf(needle);
                while (at !== -1) {
                    if (seen++ === occurrence) {
                        const range = document.createRange();
                        range.setStart(node, at);
                        range.setEnd(node, at + needle.length);
                        const rects = range.getClientRects();
                        const first = rects[0], last = rects[rects.length - 1];
                        return {x1: first.left + 1, y1: first.top + first.height / 2,
                                x2: last.right - 1, y2: last.top + last.height / 2};
                    }
                    at = node.data.indexOf(needle, at + 1);
                }
            }
            return null;
        }""",
        [needle, occurrence],
    )
    assert box, f"{needle!r} not found on the page"
    return box


def select_text(page, needle, occurrence=0):
    """Drag the mouse across the first (or nth) occurrence of `needle` in the rendered text, like a reader would."""
    box = text_box(page, needle, occurrence)
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=5)
    page.mouse.up()
    expect(page.locator("#tag-menu")).to_be_visible()


def highlight(page, quote):
    return page.locator("#document-text mark", has_text=quote).first


def test_tag_by_button_and_by_shortcut(analyst, doc, new_page):
    page = new_page(analyst)
    page.goto(f"/documents/{doc.pk}/")

    select_text(page, "3,000 people")
    menu = page.get_by_role("dialog", name="Tag the selection")
    expect(menu).to_be_visible()
    expect(menu.get_by_role("button", name="Quantity", exact=True)).to_be_visible()
    menu.get_by_role("button", name="Quantity", exact=True).click()
    expect(tag_marks(page, "quantity")).to_have_text("3,000 people")
    expect(menu).to_be_hidden()

    select_text(page, "Baghuz")
    expect(menu).to_be_visible()
    page.keyboard.press("l")
    expect(tag_marks(page, "location")).to_have_text("Baghuz")
    # The paragraph was re-rendered with the highlight it already had.
    expect(tag_marks(page, "quantity")).to_have_text("3,000 people")

    def background(tag):
        return tag_marks(page, tag).evaluate("el => getComputedStyle(el).backgroundColor")

    # Each highlight is drawn in its tag's colour.
    assert len({background("quantity"), background("location"), "rgba(0, 0, 0, 0)"}) == 3

    created = list(Annotation.objects.order_by("id").values_list("tag__slug", "start", "end", "quote"))
    start = TEXT.index("3,000 people")
    assert created == [
        ("quantity", start, start + len("3,000 people"), "3,000 people"),
        ("location", TEXT.index("Baghuz"), TEXT.index("Baghuz") + 6, "Baghuz"),
    ]
    expect(page.locator("#annotation-list")).to_contain_text("3,000 people")


def test_escape_closes_the_menu_and_whitespace_is_trimmed(analyst, doc, new_page):
    page = new_page(analyst)
    page.goto(f"/documents/{doc.pk}/")
    select_text(page, "Tuesday.")
    menu = page.get_by_role("dialog", name="Tag the selection")
    expect(menu).to_be_visible()
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    page.keyboard.press("a")
    assert Annotation.objects.count() == 0

    select_text(page, " hundreds of ")
    page.keyboard.press("q")
    expect(tag_marks(page, "quantity")).to_have_text("hundreds of")
    assert Annotation.objects.get().quote == "hundreds of"


def test_overlapping_and_nested_highlights_stay_visible_and_clickable(analyst, doc, new_page):
    page = new_page(analyst)
    page.goto(f"/documents/{doc.pk}/")
    select_text(page, "hundreds of Islamic State fighters")
    page.keyboard.press("q")
    expect(tag_marks(page, "quantity")).to_have_count(1)
    select_text(page, "Islamic State fighters")
    page.keyboard.press("a")
    nested = tag_marks(page, "quantity", "actor")
    expect(nested).to_have_text("Islamic State fighters")
    expect(nested).to_have_class(re.compile(r"\bd2\b"))  # the outer tag underlines the inner one
    expect(tag_marks(page, "quantity")).to_have_text("hundreds of ")
    ids = nested.get_attribute("data-ids").split()
    assert len(ids) == 2

    nested.click()
    details = page.locator("#annotation-details")
    expect(details.locator("article")).to_have_count(2)
    expect(details).to_contain_text("hundreds of Islamic State fighters")


def test_cross_paragraph_selection_is_one_annotation(analyst, doc, new_page):
    page = new_page(analyst)
    page.goto(f"/documents/{doc.pk}/")
    start = page.evaluate("""() => {
        const blocks = document.querySelectorAll('#document-text .block');
        const sel = window.getSelection();
        const range = document.createRange();
        range.setStart(blocks[0].firstChild, blocks[0].textContent.indexOf('Tuesday'));
        range.setEnd(blocks[1].firstChild, 7);
        sel.removeAllRanges();
        sel.addRange(range);
        document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
        return true;
    }""")
    assert start
    expect(page.get_by_role("dialog", name="Tag the selection")).to_be_visible()
    page.keyboard.press("a")
    expect(page.locator("#document-text mark")).to_have_count(2)
    annotation = Annotation.objects.get()
    assert annotation.quote == TEXT[TEXT.index("Tuesday") : TEXT.index("The SDF") + 7]
    assert "\n\n" in annotation.quote


def test_retag_note_delete_and_undo(analyst, doc, new_page):
    page = new_page(analyst)
    page.goto(f"/documents/{doc.pk}/")
    select_text(page, "The SDF")
    page.keyboard.press("l")
    mark = page.locator("#document-text mark", has_text="The SDF")
    expect(mark).to_have_class(re.compile(rf"\b{tag_class(page, 'location')}\b"))

    with page.expect_response(lambda response: "/annotations/details/" in response.url):
        mark.click()
    details = page.locator("#annotation-details")
    details.get_by_label("Tag").select_option("actor")
    details.get_by_label("Note").fill("Syrian Democratic Forces")
    details.get_by_role("button", name="Save").click()
    expect(details).to_contain_text("Saved.")
    expect(mark).to_have_class(re.compile(rf"\b{tag_class(page, 'actor')}\b"))
    panel = page.locator("#annotation-list")
    expect(panel.locator('details[data-tag="actor"] .count')).to_have_text("1")
    expect(panel.locator('details[data-tag="location"] .count')).to_have_text("0")
    annotation = Annotation.objects.get()
    assert (annotation.tag.slug, annotation.note, annotation.version) == ("actor", "Syrian Democratic Forces", 2)

    details.get_by_role("button", name="Delete").click()
    expect(page.locator("#document-text mark")).to_have_count(0)
    expect(panel.locator('details[data-tag="actor"] .count')).to_have_text("0")
    assert not Annotation.objects.exists()
    details.get_by_role("button", name="Undo").click()
    expect(tag_marks(page, "actor")).to_have_text("The SDF")
    restored = Annotation.objects.get()
    assert (restored.quote, restored.note) == ("The SDF", "Syrian Democratic Forces")


def test_tag_all_occurrences_shows_the_count_first(analyst, doc, new_page):
    page = new_page(analyst)
    page.goto(f"/documents/{doc.pk}/")
    select_text(page, "Baghuz")
    page.keyboard.press("l")
    button = page.get_by_role("button", name="Tag all 2 other occurrences as Location")
    expect(button).to_be_visible()
    button.click()
    expect(tag_marks(page, "location")).to_have_count(3)
    assert Annotation.objects.filter(tag__slug="location").count() == 3


def test_side_panel_counts_flashes_hides_and_filters(analyst, doc, new_page, django_user_model):
    colleague = django_user_model.objects.create_user("colleague", password="pw-colleague-1")
    membership_set(project=doc.project, user=colleague, role=Role.ANNOTATOR)
    Annotation.objects.create(
        document=doc,
        tag=doc.project.tags.get(slug="actor"),
        start=4 + TEXT.index("The SDF"),
        end=TEXT.index("The SDF") + 7,
        quote="SDF",
        annotator=colleague,
    )
    page = new_page(analyst)
    page.goto(f"/documents/{doc.pk}/")
    select_text(page, "Bali")
    page.keyboard.press("a")
    panel = page.locator("#annotation-list")
    expect(panel.locator('details[data-tag="actor"] .count')).to_have_text("2")

    panel.get_by_role("button", name="SDF").click()
    expect(page.locator("#document-text mark.flash")).to_have_text("SDF")

    panel.get_by_label("Show Actor highlights").uncheck()
    expect(page.locator("#document-text")).to_have_class("document-text hide-actor")
    expect(tag_marks(page, "actor").first).to_have_css("background-color", "rgba(0, 0, 0, 0)")

    panel.get_by_label("Only mine").check()
    expect(panel.locator('details[data-tag="actor"] .count')).to_have_text("1")
    expect(panel).not_to_contain_text("SDF")

    # Tagging while the list shows only mine keeps it that way, and hidden tags stay hidden.
    select_text(page, "coalition airstrikes")
    page.keyboard.press("a")
    expect(panel.locator('details[data-tag="actor"] .count')).to_have_text("2")
    expect(panel).not_to_contain_text("SDF")
    expect(panel.get_by_label("Show Actor highlights")).not_to_be_checked()
    expect(page.locator("#document-text")).to_have_class("document-text hide-actor")


def test_two_analysts_editing_the_same_annotation(analyst, doc, new_page, django_user_model):
    Annotation.objects.create(
        document=doc,
        tag=doc.project.tags.get(slug="actor"),
        start=TEXT.index("Bali"),
        end=TEXT.index("Bali") + 4,
        quote="Bali",
        annotator=analyst,
    )
    first, second = new_page(analyst), new_page(analyst)
    for page in (first, second):
        page.goto(f"/documents/{doc.pk}/")
        with page.expect_response(lambda response: "/annotations/details/" in response.url):
            page.locator("#document-text mark", has_text="Bali").click()
        expect(page.locator("#annotation-details article")).to_have_count(1)

    first.locator("#annotation-details").get_by_label("Note").fill("SDF spokesman")
    first.locator("#annotation-details").get_by_role("button", name="Save").click()
    expect(first.locator("#annotation-details")).to_contain_text("Saved.")

    second.locator("#annotation-details").get_by_label("Note").fill("Someone else")
    second.locator("#annotation-details").get_by_role("button", name="Save").click()
    expect(second.locator("#annotation-details .conflict")).to_contain_text("changed this annotation first")
    assert Annotation.objects.get().note == "SDF spokesman"
    # The loser now sees the winner's note and can decide again.
    expect(second.locator("#annotation-details").get_by_label("Note")).to_have_value("SDF spokesman")

    select_text(first, "coalition airstrikes")
    first.keyboard.press("q")
    expect(tag_marks(first, "quantity")).to_have_text("coalition airstrikes")  # saved before the other refreshes
    second.get_by_role("button", name="Refresh").click()
    expect(tag_marks(second, "quantity")).to_have_text("coalition airstrikes")


def test_keyboard_selection_with_shift_and_arrows(analyst, doc, new_page):
    page = new_page(analyst)
    page.goto(f"/documents/{doc.pk}/")
    box = text_box(page, "Bali")
    page.mouse.click(box["x1"] - 1, box["y1"])  # put the caret just before "Bali"
    page.keyboard.down("Shift")
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    page.keyboard.up("Shift")
    expect(page.get_by_role("dialog", name="Tag the selection")).to_be_visible()
    page.keyboard.press("a")
    expect(tag_marks(page, "actor")).to_have_text("Bali")
    assert Annotation.objects.get().quote == "Bali"

    box = text_box(page, "coalition")
    page.mouse.click(box["x1"] - 1, box["y1"])
    page.keyboard.press("Shift+Control+ArrowRight")
    page.keyboard.press("Shift+Control+ArrowRight")
    expect(page.get_by_role("dialog", name="Tag the selection")).to_be_visible()
    page.keyboard.press("q")
    expect(tag_marks(page, "quantity")).to_have_text("coalition airstrikes")


def test_undo_after_a_delete_restores_the_original(analyst, doc, new_page, django_user_model):
    from apps.annotations.history_selectors import annotation_history

    colleague = django_user_model.objects.create_user("colleague", password="pw-colleague-1")
    membership_set(project=doc.project, user=colleague, role=Role.ANNOTATOR)
    start = TEXT.index("The SDF")
    original = Annotation.objects.create(
        document=doc, tag=doc.project.tags.get(slug="actor"), start=start, end=start + 7, quote="The SDF",
        note="Syrian Democratic Forces", annotator=colleague,
    )  # fmt: skip
    page = new_page(analyst)  # the project's owner
    page.goto(f"/documents/{doc.pk}/")
    with page.expect_response(lambda response: "/annotations/details/" in response.url):
        tag_marks(page, "actor").first.click()
    details = page.locator("#annotation-details")
    details.get_by_role("button", name="Delete").click()
    expect(page.locator("#document-text mark")).to_have_count(0)
    assert not Annotation.objects.exists()

    details.get_by_role("button", name="Undo").click()
    expect(details).to_contain_text("Restored.")
    expect(tag_marks(page, "actor")).to_have_text("The SDF")
    restored = Annotation.objects.get()
    assert (restored.pk, restored.annotator, restored.note) == (original.pk, colleague, "Syrian Democratic Forces")
    assert [(entry["action"], entry["who"]) for entry in annotation_history(original.pk)][-2:] == [
        ("deleted", analyst.username),
        ("restored", analyst.username),
    ]


def test_a_long_list_counts_a_new_span_after_its_first_entries(analyst, new_page):
    words = " ".join(f"w{index:03d}" for index in range(300))
    project = project_create(name="Long", owner=analyst)
    document = Document.objects.create(project=project, title="Words", text=words, content_hash=content_hash(words))
    actor = project.tags.get(slug="actor")
    Annotation.objects.bulk_create(
        Annotation(
            document=document, tag=actor, start=5 * i, end=5 * i + 4, quote=words[5 * i : 5 * i + 4], annotator=analyst
        )
        for i in range(1, 102)
    )
    page = new_page(analyst)
    page.goto(f"/documents/{document.pk}/")
    group = page.locator('#annotation-list details[data-tag="actor"]')
    expect(group.locator(".count")).to_have_text("101")
    select_text(page, "w200")
    page.keyboard.press("a")
    expect(tag_marks(page, "actor").filter(has_text="w200")).to_have_count(1)
    expect(group.locator(".count")).to_have_text("102")
    expect(group.locator("li.muted")).to_have_text("The first 100 of 102.")
    expect(group.locator("li .entry")).to_have_count(100)
