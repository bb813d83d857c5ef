"""An analyst tags actors in the sample report, builds the register from the details panel, and merges entities."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from apps.actors.models import Entity
from apps.actors.services import entity_create
from apps.annotations.models import Annotation
from apps.documents.importers import normalize_text
from apps.documents.models import Document
from apps.documents.services import content_hash
from apps.projects.services import project_create
from tests.e2e.test_annotate import select_text

pytestmark = pytest.mark.e2e

SAMPLE = normalize_text((Path(settings.BASE_DIR) / "fixtures/documents/baghuz-2019-03-12.txt").read_text())


@pytest.fixture
def analyst(transactional_db, django_user_model):
    return django_user_model.objects.create_user("analyst", password="pw-analyst-123")


@pytest.fixture
def report(analyst):
    project = project_create(name="Syria 2019", owner=analyst)
    return Document.objects.create(project=project, title="Baghuz", text=SAMPLE, content_hash=content_hash(SAMPLE))


def tag_actor(page, quote):
    select_text(page, quote)
    page.keyboard.press("a")
    details = page.locator("#annotation-details")
    expect(details.locator("blockquote")).to_have_text(quote)
    return details


def test_one_entity_for_sdf_and_syrian_democratic_forces_then_a_merge(analyst, report, new_page):
    page = new_page(analyst)
    page.goto(f"/documents/{report.pk}/")

    details = tag_actor(page, "SDF")
    expect(details).to_contain_text("Not linked to an actor of the register.")
    details.get_by_label("Type").select_option("rebel_groups")
    details.get_by_role("button", name="New entity from this text").click()
    expect(details.locator(".entity-link")).to_have_text("SDF")
    sdf = Entity.objects.get(project=report.project)
    assert (sdf.name, sdf.type) == ("SDF", "rebel_groups")

    details = tag_actor(page, "Syrian Democratic Forces")
    details.get_by_role("button", name="Add “Syrian Democratic Forces” as alias").click()
    expect(details.locator(".entity-link")).to_have_text("SDF")
    assert Entity.objects.get(pk=sdf.pk).aliases == ["Syrian Democratic Forces"]

    details.locator(".entity-link").click()
    expect(page.locator("h1")).to_have_text("SDF")
    mentions = page.locator("ol.mentions li")
    expect(mentions).to_have_count(2)
    expect(mentions.locator("mark")).to_have_text(["Syrian Democratic Forces", "SDF"])
    expect(mentions.first).to_contain_text("Kurdish officials said hundreds")

    # A second entity, added in the register, links the span tagged next; merging it moves its mention.
    page.goto(f"/projects/{report.project_id}/actors/")
    page.get_by_label("Name", exact=True).fill("U.S.-backed forces")
    page.get_by_role("button", name="Add actor").click()
    expect(page.locator("table.actors")).to_contain_text("U.S.-backed forces")
    page.goto(f"/documents/{report.pk}/")
    details = tag_actor(page, "U.S.-backed forces")
    expect(details.locator(".entity-link")).to_have_text("U.S.-backed forces")
    details.locator(".entity-link").click()
    page.get_by_label("Merge “U.S.-backed forces” into").select_option(label="SDF")
    page.get_by_role("button", name="Merge").click()
    expect(page.locator("h1")).to_have_text("SDF")
    expect(page.locator("ol.mentions li")).to_have_count(3)
    assert set(Annotation.objects.values_list("entity_id", flat=True)) == {sdf.pk}
    assert Entity.objects.get().aliases == ["Syrian Democratic Forces", "U.S.-backed forces"]

    # Each mention links into the reading view at its paragraph (the first, in text order: "U.S.-backed forces").
    expect(page.locator("ol.mentions li mark").first).to_have_text("U.S.-backed forces")
    page.locator("ol.mentions li a").first.click()
    expect(page.locator("#document-text .block.flash")).to_contain_text("About 3,000 people")


def test_a_span_linked_to_the_wrong_actor_is_linked_to_another(analyst, report, new_page):
    register = {"project": report.project, "user": analyst}
    sdf = entity_create(**register, name="Syrian Democratic Forces", aliases=["SDF"])
    isis = entity_create(**register, name="Islamic State")
    page = new_page(analyst)
    page.goto(f"/documents/{report.pk}/")
    details = tag_actor(page, "SDF")
    expect(details.locator(".entity-link")).to_have_text("Syrian Democratic Forces")  # by its alias

    details.locator(".actor-rechoose summary").click()
    others = details.locator(".actor-rechoose .entity-candidates")
    expect(others).to_contain_text("Islamic State")
    expect(others).not_to_contain_text("Syrian Democratic Forces")
    others.get_by_role("button", name="Link").click()
    expect(details.locator(".entity-link")).to_have_text("Islamic State")
    expect(details).to_contain_text("linked by hand")
    assert Annotation.objects.get().entity_id == isis.pk != sdf.pk
