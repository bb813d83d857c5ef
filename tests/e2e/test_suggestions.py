"""Suggestions in the reading view, on a project whose memory holds the sample report's tags: every key (Tab,
Shift+Tab, Enter, x, Shift+Enter, a retag key) in real Chromium."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from apps.annotations.models import Annotation, Origin
from apps.annotations.services import NewAnnotation, annotations_create_many
from apps.documents.models import Document
from apps.documents.services import content_hash
from apps.projects.services import project_create
from apps.suggestions.models import Rejection
from tests.e2e.conftest import tag_marks

pytestmark = pytest.mark.e2e

SAMPLE = Path(settings.BASE_DIR) / "fixtures" / "documents" / "baghuz-2019-03-12.txt"
SAMPLE_GOLD = Path(settings.BASE_DIR) / "bench" / "data" / "baghuz-2019-03-12.gold.json"
SECOND = "The SDF entered Baghuz. Fighters left Baghuz as the SDF advanced. Kino Gabriel said two rockets hit."


def make_document(project, title, text):
    return Document.objects.create(project=project, title=title, text=text, content_hash=content_hash(text))


@pytest.fixture
def second_report(transactional_db, django_user_model):
    """The sample report tagged (the first occurrence of each of its gold quotes), and a second report to read."""
    analyst = django_user_model.objects.create_user("analyst", password="pw-analyst-123")
    project = project_create(name="Syria 2019", owner=analyst)
    sample = make_document(project, "Sample", SAMPLE.read_text(encoding="utf-8"))
    items = []
    for quote, tag in json.loads(SAMPLE_GOLD.read_text())["spans"]:
        match = re.search(r"(?<!\w)" + re.escape(quote) + r"(?!\w)", sample.text)
        items.append(NewAnnotation(document=sample.pk, start=match.start(), end=match.end(), tag=tag))
    annotations_create_many(user=analyst, items=items)
    return analyst, make_document(project, "Second", SECOND)


def open_reader(new_page, analyst, document):
    page = new_page(analyst)
    page.goto(f"/documents/{document.pk}/")
    expect(page.locator("#suggestion-count")).to_contain_text("suggestions left")
    page.wait_for_load_state("networkidle")  # the panels' htmx requests have settled: keys go to the text
    return page


def focused(page) -> dict | None:
    return page.evaluate("() => window.lectorSuggestions.focused()")


def quotes(page) -> list[tuple[str, str]]:
    return [(s["quote"], s["tag"]) for s in page.evaluate("() => window.lectorSuggestions.list()")]


def test_suggestions_are_listed_in_reading_order(second_report, new_page):
    page = open_reader(new_page, *second_report)
    assert quotes(page)[:6] == [
        ("SDF", "actor"),
        ("Baghuz", "location"),
        ("Baghuz", "location"),
        ("SDF", "actor"),
        ("Kino Gabriel", "actor"),
        ("two rockets", "quantity"),
    ]
    assert focused(page) is None  # nothing is accepted by a key before Tab
    assert page.evaluate("() => CSS.highlights.has('suggestion-actor')")


def test_tab_and_shift_tab_move_and_enter_accepts(second_report, new_page):
    analyst, document = second_report
    page = open_reader(new_page, analyst, document)
    page.keyboard.press("Tab")
    assert (focused(page)["quote"], focused(page)["start"]) == ("SDF", 4)
    page.keyboard.press("Tab")
    assert (focused(page)["quote"], focused(page)["start"]) == ("Baghuz", 16)
    page.keyboard.press("Shift+Tab")
    assert focused(page)["start"] == 4
    assert page.evaluate("() => CSS.highlights.get('suggestion-focus').size") == 1
    count = len(quotes(page))
    page.keyboard.press("Enter")
    expect(tag_marks(page, "actor")).to_have_text("SDF")
    assert list(Annotation.objects.filter(document=document).values_list("quote", "origin")) == [
        ("SDF", Origin.SUGGESTION)
    ]
    assert len(quotes(page)) == count - 1
    assert focused(page)["quote"] == "Baghuz"  # the next one, without another Tab
    expect(page.locator("#suggestion-count")).to_contain_text(f"{count - 1} suggestions left")


def test_x_rejects_the_text_and_tag_everywhere(second_report, new_page):
    analyst, document = second_report
    page = open_reader(new_page, analyst, document)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("x")
    assert ("Baghuz", "location") not in quotes(page)
    assert focused(page)["quote"] == "SDF"
    expect(page.locator("#suggestion-count")).to_contain_text(f"{len(quotes(page))} suggestions left")
    for _ in range(50):
        if Rejection.objects.filter(text="Baghuz").exists():
            break
        page.wait_for_timeout(100)
    assert list(Rejection.objects.values_list("text", "tag__slug")) == [("Baghuz", "location")]
    assert not Annotation.objects.filter(document=document).exists()
    page.reload()
    expect(page.locator("#suggestion-count")).to_contain_text("suggestions left")
    assert ("Baghuz", "location") not in quotes(page)


def test_shift_enter_accepts_every_one_of_the_same_text_and_tag(second_report, new_page):
    analyst, document = second_report
    page = open_reader(new_page, analyst, document)
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Enter")
    expect(tag_marks(page, "actor")).to_have_count(2)
    assert sorted(Annotation.objects.filter(document=document).values_list("start", "quote", "origin")) == [
        (4, "SDF", Origin.SUGGESTION),
        (52, "SDF", Origin.SUGGESTION),
    ]
    assert ("SDF", "actor") not in quotes(page)
    assert focused(page)["quote"] == "Baghuz"


def test_a_tag_key_accepts_under_that_tag(second_report, new_page):
    analyst, document = second_report
    page = open_reader(new_page, analyst, document)
    page.keyboard.press("Tab")
    page.keyboard.press("l")  # Location's key, on a suggested actor
    expect(tag_marks(page, "location")).to_have_text("SDF")
    assert list(Annotation.objects.filter(document=document).values_list("quote", "tag__slug", "origin")) == [
        ("SDF", "location", Origin.SUGGESTION)
    ]


# The suggestions' ranges in the highlights, as (block offset, text): where the reader sees the dashed lines.
HIGHLIGHTED = """() => {
    const shown = [];
    for (const [name, highlight] of CSS.highlights) {
        if (!name.startsWith('suggestion-') || name === 'suggestion-focus') continue;
        for (const staticRange of highlight) {
            const range = document.createRange();
            range.setStart(staticRange.startContainer, staticRange.startOffset);
            range.setEnd(staticRange.endContainer, staticRange.endOffset);
            const block = staticRange.startContainer.parentElement.closest('.block');
            const offset = staticRange.startContainer.isConnected ? Number(block.dataset.offset) : null;
            shown.push([offset, range.toString()]);
        }
    }
    return shown;
}"""


def highlighted(page) -> list[tuple[int | None, str]]:
    return [tuple(shown) for shown in page.evaluate(HIGHLIGHTED)]


def test_a_swapped_paragraph_keeps_its_other_suggestions_drawn(second_report, new_page):
    analyst, document = second_report
    page = open_reader(new_page, analyst, document)
    assert sorted(text for _, text in highlighted(page)) == sorted(quote for quote, _ in quotes(page))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the paragraph comes back from the server with the new highlight: new nodes
    expect(tag_marks(page, "actor")).to_have_text("SDF")
    shown = highlighted(page)
    assert sorted(text for _, text in shown) == sorted(quote for quote, _ in quotes(page))
    assert {block for block, _ in shown} == {0}  # on the paragraph in the page now, not on the one swapped out


def test_only_the_paragraphs_near_the_screen_have_their_suggestions_drawn(second_report, new_page):
    analyst, second = second_report
    paragraphs = [f"{index}. The SDF entered Baghuz." for index in range(300)]
    document = make_document(second.project, "Long", "\n\n".join(paragraphs))
    page = open_reader(new_page, analyst, document)
    assert len(quotes(page)) == 600
    last_block = len(document.text) - len(paragraphs[-1])
    shown = highlighted(page)
    assert 0 < len(shown) < 200
    assert {text for _, text in shown} == {"SDF", "Baghuz"}
    assert max(block for block, _ in shown) < last_block // 2
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    for _ in range(50):
        shown = highlighted(page)
        if (last_block, "SDF") in shown:
            break
        page.wait_for_timeout(100)
    assert {(last_block, "SDF"), (last_block, "Baghuz")} <= set(shown)
    assert min(block for block, _ in shown) > last_block // 2
