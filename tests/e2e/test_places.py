"""An analyst adds a place the gazetteer lacks by clicking the map, tags it, sees it resolved and on the map, and
picks one of the candidates of an ambiguous name."""

import pytest
from playwright.sync_api import expect

from apps.documents.models import Document
from apps.documents.services import content_hash
from apps.places.models import Place
from tests.e2e.test_annotate import select_text

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo(django_user_model, transactional_db, gazetteer):
    from django.core.management import call_command

    call_command("seed_demo", force=True)
    return django_user_model.objects.get(username="demo")


def test_add_baghuz_on_the_map_tag_it_and_see_it_on_the_map(demo, new_page):
    document = Document.objects.get()
    project = document.project
    page = new_page(demo)
    refused = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))

    page.goto(f"/projects/{project.pk}/places/?name=Baghuz")
    map_element = page.locator("#place-map")
    expect(map_element).to_have_attribute("data-ready", "1")
    expect(page.locator("#place-map path.country").first).to_be_attached()
    map_element.click(position={"x": 300, "y": 200})
    expect(page.locator("#id_latitude")).not_to_have_value("")
    page.get_by_role("button", name="Add place").click()
    expect(page.get_by_role("heading", name="Baghuz")).to_be_visible()
    baghuz = Place.objects.get(project=project)
    assert -90 <= baghuz.latitude <= 90
    assert -180 <= baghuz.longitude <= 180

    page.goto(f"/documents/{document.pk}/")
    select_text(page, "Baghuz")
    page.keyboard.press("l")
    details = page.locator("#annotation-details")
    expect(details.locator(".place-reading")).to_contain_text("Place: Baghuz")
    expect(details.locator(".place-reading")).to_contain_text("precision 1")

    page.goto(f"/projects/{project.pk}/map/")
    expect(page.locator("#place-map")).to_have_attribute("data-ready", "1")
    expect(page.locator("#place-map path.place-marker")).to_have_count(1)
    # Two mentions: the demo's, and ana's (the demo's colleague), resolved when the place was added.
    expect(page.locator(f"tr[data-place-id='{baghuz.pk}'] td").last).to_have_text("2")
    page.locator("#place-map path.place-marker").click()
    page.locator(".leaflet-popup a", has_text="Baghuz").click()
    expect(page.get_by_role("heading", name="Baghuz")).to_be_visible()
    expect(page.locator(".mentions")).to_contain_text("Baghuz")
    assert refused == []


def test_an_ambiguous_name_shows_candidates_and_choosing_one_resolves_it(demo, new_page):
    project = Document.objects.get().project
    project.focus_countries = []  # no country to prefer: two towns called Hajin are as likely
    project.save()
    text = "Clashes went on near Hajin for a week."
    document = Document.objects.create(project=project, title="Hajin", text=text, content_hash=content_hash(text))
    page = new_page(demo)
    page.goto(f"/documents/{document.pk}/")
    select_text(page, "Hajin")
    page.keyboard.press("l")
    choice = page.locator("#annotation-details form.place-choice")
    expect(choice).to_contain_text("Saimbeyli")
    choice.get_by_role("button", name="(SY)").click()
    expect(page.locator("#annotation-details .place-reading")).to_contain_text("Place: Hajīn")
    expect(page.locator("#annotation-details .place-reading")).to_contain_text("set by hand")
    assert document.annotations.get().place.country_code == "SY"

    # The analyst thinks better of it: the other Hajin, from the resolved place's details.
    page.locator("#annotation-details .place-rechoose summary").click()
    rechoose = page.locator("#annotation-details .place-rechoose form.place-choice")
    expect(rechoose).to_contain_text("(TR)")
    expect(rechoose).not_to_contain_text("(SY)")
    rechoose.get_by_role("button", name="(TR)").click()
    expect(page.locator("#annotation-details .place-reading > p").first).to_contain_text("(TR)")
    expect(page.locator("#annotation-details .place-rechoose")).to_have_count(1)  # drawn again, closed
    assert document.annotations.get().place.country_code == "TR"
