"""Three annotators' layers merged into a curated layer by keyboard in the curation view, then exported."""

import json

import pytest
from playwright.sync_api import expect

from apps.projects.services import project_create
from tests.curation.scenario import build_scenario

pytestmark = pytest.mark.e2e


@pytest.fixture
def scenario(transactional_db, django_user_model):
    lead = django_user_model.objects.create_user("lead", password="pw-lead-12345")
    return build_scenario(project_create(name="Syria 2019", owner=lead))


def decide(page, key: str, place: int):
    page.keyboard.press(key)
    expect(page.locator(f"#place-{place}")).to_have_attribute("data-state", "curated")


def test_three_layers_curated_by_keyboard_then_exported(scenario, new_page):
    page = new_page(scenario.curator)
    page.goto(f"/documents/{scenario.document.pk}/curation/")
    rows = page.locator("#places .place-row")
    expect(rows).to_have_count(5)
    expect(page.locator("#curation-text mark.state-agree")).to_have_text("SDF")
    expect(page.locator("#curation-text mark.state-single")).to_have_text("ISIS")
    expect(page.locator("#curation-text mark.state-disagree")).to_have_count(3)

    page.keyboard.press("n")
    expect(page.locator("#place-0")).to_have_class("place-row state-agree current")
    decide(page, "Enter", 0)  # SDF: everyone's actor
    page.keyboard.press("n")
    decide(page, "2", 1)  # Baghuz: ben's actor, against ana's and cleo's location
    page.keyboard.press("n")
    page.keyboard.press("2")  # ben tagged nothing at ISIS: said, and nothing decided
    expect(page.locator("#curation-status")).to_have_text("ben has nothing here to take (key 2).")
    expect(page.locator("#place-2")).to_have_attribute("data-state", "single")
    decide(page, "0", 2)  # ISIS: rejected
    page.keyboard.press("n")
    expect(page.locator("#place-3")).to_contain_text("March")
    decide(page, "3", 3)  # March: cleo's quantity
    page.keyboard.press("p")
    expect(page.locator("#place-3")).to_have_class("place-row state-curated current")  # nothing open before it
    page.keyboard.press("n")
    decide(page, "1", 4)  # Hundreds: ana's one word, not ben's two
    expect(page.locator("#curation-summary")).to_contain_text("5 curated")
    expect(page.locator("#place-2")).to_contain_text("every version rejected")

    exported = page.request.get("/api/export/?format=jsonl&layer=curated")
    assert exported.ok
    lines = [json.loads(line) for line in exported.text().splitlines()]
    assert [(line["quote"], line["tag"]) for line in lines] == [
        ("SDF", "actor"),
        ("Baghuz", "actor"),
        ("March", "quantity"),
        ("Hundreds", "quantity"),
    ]


def test_keys_typed_ahead_of_the_answers_run_in_order(scenario, new_page):
    """An analyst who knows the text presses every key at once: each waits for the answer before it."""
    page = new_page(scenario.curator)
    page.goto(f"/documents/{scenario.document.pk}/curation/")
    expect(page.locator("#places .place-row")).to_have_count(5)
    for key in ["n", "Enter", "n", "2", "n", "0", "n", "3", "n", "1"]:
        page.keyboard.press(key)
    expect(page.locator("#curation-summary")).to_contain_text("5 curated")
    expect(page.locator("#place-4")).to_have_class("place-row state-curated current")
    exported = page.request.get("/api/export/?format=jsonl&layer=curated")
    assert [(line["quote"], line["tag"]) for line in map(json.loads, exported.text().splitlines())] == [
        ("SDF", "actor"),
        ("Baghuz", "actor"),
        ("March", "quantity"),
        ("Hundreds", "quantity"),
    ]


def test_the_mouse_chooses_a_place_and_a_version(scenario, new_page):
    page = new_page(scenario.curator)
    page.goto(f"/documents/{scenario.document.pk}/curation/")
    page.locator("#curation-text mark", has_text="ISIS").click()
    expect(page.locator("#place-2")).to_have_class("place-row state-single current")
    page.locator("#place-2").get_by_role("button", name="1 ana").click()
    expect(page.locator("#place-2")).to_have_attribute("data-state", "curated")
    expect(page.locator("#place-2 .curated-now")).to_contain_text("actor “ISIS”")
    page.get_by_label("Merge automatically where").select_option("majority")
    page.get_by_role("button", name="Merge").click()
    expect(page.locator("#curation-summary")).to_contain_text("3 curated")  # SDF and Baghuz merged, ISIS kept


def test_an_event_curated_by_key_is_exactly_what_the_curated_event_export_holds(scenario, new_page):
    page = new_page(scenario.curator)
    page.goto(f"/documents/{scenario.document.pk}/curation/")
    expect(page.locator("#event-places .place-row")).to_have_count(2)
    expect(page.locator("#event-place-0")).to_have_attribute("data-state", "disagree")
    expect(page.locator("#event-place-1")).to_have_attribute("data-state", "single")
    for _ in range(6):  # n passes the five span places, then comes to the event places
        page.keyboard.press("n")
    expect(page.locator("#event-place-0")).to_have_class("place-row event-row state-disagree current")
    page.keyboard.press("2")  # ben's air strike, against ana's and cleo's armed clash
    expect(page.locator("#event-place-0")).to_have_attribute("data-state", "curated")
    expect(page.locator("#event-place-0 .curated-now")).to_contain_text("Air/drone strike")
    page.keyboard.press("n")
    expect(page.locator("#event-place-1")).to_have_class("place-row event-row state-single current")
    page.keyboard.press("0")  # ana's lone attack: rejected
    expect(page.locator("#event-place-1")).to_have_attribute("data-state", "curated")
    expect(page.locator("#event-summary")).to_contain_text("2 curated")
    page.keyboard.press("p")  # back across the curated event places to the last span place still open
    expect(page.locator("#place-4")).to_have_class("place-row state-disagree current")

    exported = page.request.get("/api/export/events/?format=jsonl&layer=curated")
    assert exported.ok
    lines = [json.loads(line) for line in exported.text().splitlines()]
    assert [
        (line["event_type"], line["actor1"]["quote"], line["actor2"]["quote"], line["curated_from"]) for line in lines
    ] == [("Explosions/Remote violence", "SDF", "Baghuz", [scenario.events[("ben", "SDF")].pk])]
    assert lines[0]["actor2"]["tag"] == "actor"
