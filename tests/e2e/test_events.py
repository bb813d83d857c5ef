"""Coding an event from the sample report by keyboard: select a stretch covering the highlights, press `e`, check
the slots the form proposes, swap the actors and back, write a note, save; the event's spans are outlined together
and a slot flashes its span. Shift+click chooses highlights one by one."""

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from apps.actors.models import ActorType, Entity
from apps.annotations.models import Annotation
from apps.documents.importers import normalize_text
from apps.documents.models import Document
from apps.documents.services import content_hash
from apps.events.models import Event
from apps.places.models import Place, PlaceSource
from apps.projects.services import project_create

pytestmark = pytest.mark.e2e

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "documents" / "baghuz-2019-03-12.txt"
SENTENCE = "the U.S.-backed forces had advanced against IS in Baghuz on multiple axis, killing 38 IS fighters"


@pytest.fixture
def analyst(transactional_db, django_user_model):
    return django_user_model.objects.create_user("analyst", password="pw-analyst-123")


@pytest.fixture
def sample(analyst):
    """The sample report with its spans of the SDF advance tagged and resolved (as issue 11's normalizers do)."""
    project = project_create(name="Syria 2019", owner=analyst)
    text = normalize_text(SAMPLE.read_text(encoding="utf-8"))
    document = Document.objects.create(
        project=project, title="Final Battle Against IS Caliphate", text=text, content_hash=content_hash(text),
        published=datetime.date(2019, 3, 12), author="Jeff Seldin",
    )  # fmt: skip
    sentence = text.index(SENTENCE)
    sdf = Entity.objects.create(project=project, name="Syrian Democratic Forces", type=ActorType.REBEL_GROUPS)
    isis = Entity.objects.create(project=project, name="Islamic State", type=ActorType.REBEL_GROUPS)
    baghuz = Place.objects.create(
        project=project, source=PlaceSource.PROJECT, name="Baghuz", latitude=34.46, longitude=40.94, country_code="SY"
    )
    spans = {}
    for name, quote, slug, extra in (
        ("sdf", "U.S.-backed forces", "actor", {"entity": sdf}),
        ("is", "IS", "actor", {"entity": isis}),
        ("baghuz", "Baghuz", "location", {"place": baghuz}),
        ("killed", "38 IS fighters", "quantity", {"normalized": {"kind": "quantity", "conservative": 38, "best": 38}}),
    ):
        start = text.index(quote, sentence)
        spans[name] = Annotation.objects.create(
            document=document, tag=project.tags.get(slug=slug), start=start, end=start + len(quote), quote=quote,
            annotator=analyst, **extra,
        )  # fmt: skip
    return document, spans


PLACE_CARET = """(id) => {
    const mark = document.querySelector(`#document-text mark[data-ids~="${id}"]`);
    mark.scrollIntoView({block: 'center'});
    const range = document.createRange();
    range.setStart(mark.firstChild, 0);
    range.collapse(true);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
}"""


def selected(page, slot: str) -> str:
    return page.locator(f"#event-{slot} option:checked").inner_text()


def test_an_analyst_codes_the_sdf_advance_on_baghuz_by_keyboard(analyst, sample, new_page):
    document, spans = sample
    page = new_page(analyst)
    page.goto(f"/documents/{document.pk}/")
    expect(page.locator("#events h2")).to_contain_text("Events")
    page.evaluate(PLACE_CARET, spans["sdf"].pk)
    for _ in range(spans["killed"].end - spans["sdf"].start):
        page.keyboard.press("Shift+ArrowRight")
    assert page.evaluate("() => window.getSelection().toString()").endswith("killing 38 IS fighters")
    page.keyboard.press("e")

    expect(page.locator("#event-form")).to_be_visible()
    expect(page.locator("#event-actor1")).to_be_focused()
    assert selected(page, "actor1").startswith("U.S.-backed forces")
    assert selected(page, "actor2").startswith("IS (")
    assert selected(page, "location").startswith("Baghuz")
    assert selected(page, "fatalities").startswith("38 IS fighters")
    expect(page.locator("#event-fatalities-number")).to_have_value("38")
    expect(page.locator("#event-date")).to_have_value("2019-03-12")
    assert selected(page, "type") == "Battles"
    assert selected(page, "sub-type") == "Armed clash"

    page.keyboard.press("Tab")  # the swap button
    page.keyboard.press("Enter")
    assert selected(page, "actor1").startswith("IS (")
    page.keyboard.press("Enter")  # and back
    assert selected(page, "actor1").startswith("U.S.-backed forces")
    focused = []
    while not focused or focused[-1] != "event-notes":  # through the other fields to the notes
        assert len(focused) < 20, focused
        page.keyboard.press("Tab")
        focused.append(page.evaluate("() => document.activeElement.id"))
    assert focused[:2] == ["event-actor2", "event-assoc1"]
    page.keyboard.type("SDF advance on Baghuz; 38 IS fighters killed.")
    page.keyboard.press("Tab")
    expect(page.locator("#event-save")).to_be_focused()
    page.keyboard.press("Enter")

    entry = page.locator("#events .event-entry")
    expect(entry).to_have_count(1)
    expect(page.locator("#event-form")).to_have_count(0)
    for name in ("sdf", "is", "baghuz", "killed"):
        expect(page.locator(f'#document-text mark.event-outline[data-ids~="{spans[name].pk}"]').first).to_be_visible()
    page.locator(f'#events .slot-flash[data-annotation-id="{spans["baghuz"].pk}"]').click()
    expect(page.locator(f'#document-text mark.flash[data-ids~="{spans["baghuz"].pk}"]')).to_have_count(1)

    event = Event.objects.get()
    slots = {slot.slot: slot.annotation_id for slot in event.slots.all()}
    assert slots == {
        "actor1": spans["sdf"].pk, "actor2": spans["is"].pk, "location": spans["baghuz"].pk,
        "fatalities": spans["killed"].pk,
    }  # fmt: skip
    assert (event.event_type, event.sub_event_type, event.fatalities) == ("Battles", "Armed clash", 38)
    assert (event.date, event.notes) == (datetime.date(2019, 3, 12), "SDF advance on Baghuz; 38 IS fighters killed.")


def test_shift_click_chooses_highlights_for_an_event(analyst, sample, new_page):
    document, spans = sample
    page = new_page(analyst)
    page.goto(f"/documents/{document.pk}/")
    expect(page.locator("#events h2")).to_contain_text("Events")
    for name in ("is", "baghuz"):
        page.locator(f'#document-text mark[data-ids~="{spans[name].pk}"]').first.click(modifiers=["Shift"])
    expect(page.locator("#document-text mark.event-chosen")).to_have_count(2)
    page.keyboard.press("e")
    expect(page.locator("#event-form")).to_be_visible()
    assert selected(page, "actor1").startswith("IS (")
    assert selected(page, "actor2") == "—"
    assert selected(page, "location").startswith("Baghuz")
    page.keyboard.press("Escape")  # cancels the form and the choice
    expect(page.locator("#event-form")).to_have_count(0)
    expect(page.locator("#document-text mark.event-chosen")).to_have_count(0)
