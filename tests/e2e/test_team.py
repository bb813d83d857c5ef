"""A team lead sets up tags and roles; colleagues tag, see each other's layers, history and agreement."""

import re

import pytest
from playwright.sync_api import expect

from apps.annotations import services as annotation_services
from apps.annotations.models import Annotation
from apps.documents.models import Document
from apps.documents.services import content_hash
from apps.projects.models import Role
from apps.projects.services import membership_set, project_create
from tests.e2e.conftest import tag_class, tag_marks
from tests.e2e.test_annotate import select_text

pytestmark = pytest.mark.e2e

TEXT = "The SDF said 3,000 people left Baghuz.\n\nCoalition aircraft struck Baghuz with 20 airstrikes."


@pytest.fixture
def team(transactional_db, django_user_model):
    lead = django_user_model.objects.create_user("lead", password="pw-lead-12345")
    ana = django_user_model.objects.create_user("ana", password="pw-ana-12345")
    ben = django_user_model.objects.create_user("ben", password="pw-ben-12345")
    project = project_create(name="Syria 2019", owner=lead)
    document = Document.objects.create(project=project, title="Baghuz", text=TEXT, content_hash=content_hash(TEXT))
    return {"lead": lead, "ana": ana, "ben": ben, "project": project, "document": document}


def test_lead_adds_a_member_and_a_tag_that_the_member_uses_by_its_key(team, new_page):
    lead = new_page(team["lead"])
    lead.goto(f"/projects/{team['project'].pk}/members/")
    lead.get_by_label("Username").fill("ana")
    lead.get_by_label("Role", exact=True).select_option("annotator")
    lead.get_by_role("button", name="Add").click()
    expect(lead.locator("table.members")).to_contain_text("ana")

    lead.get_by_role("link", name="Tags").click()
    lead.get_by_label("Slug", exact=True).fill("weapon")
    lead.get_by_label("Label", exact=True).fill("Weapon")
    lead.get_by_label("Shortcut", exact=True).fill("w")
    lead.get_by_label("Description", exact=True).fill("Arms and munitions.")
    lead.get_by_role("button", name="Add tag").click()
    expect(lead.locator("table.tags")).to_contain_text("weapon")

    ana = new_page(team["ana"])
    ana.goto(f"/documents/{team['document'].pk}/")
    select_text(ana, "aircraft")
    weapon = ana.get_by_role("dialog", name="Tag the selection").get_by_role("button", name="Weapon")
    expect(weapon).to_have_attribute("title", "Arms and munitions.")
    ana.keyboard.press("w")
    expect(tag_marks(ana, "weapon")).to_have_text("aircraft")


def test_a_viewer_reads_but_gets_no_tag_menu_or_edit_form(team, new_page):
    membership_set(project=team["project"], user=team["ben"], role=Role.VIEWER)
    annotation_services.annotation_create(
        document=team["document"], user=team["lead"], start=4, end=7, tag="actor", quote="SDF"
    )
    page = new_page(team["ben"])
    page.goto(f"/documents/{team['document'].pk}/")
    assert page.locator("#tag-menu").count() == 0
    page.locator("#document-text mark").click()
    expect(page.locator("#annotation-details article")).to_have_count(1)
    expect(page.locator("#annotation-details").get_by_role("button", name="Save")).to_have_count(0)


def test_layers_history_and_agreement(team, new_page):
    project, document = team["project"], team["document"]
    membership_set(project=project, user=team["ana"], role=Role.ANNOTATOR)
    membership_set(project=project, user=team["ben"], role=Role.ANNOTATOR)
    for user, tag in ((team["ana"], "actor"), (team["ben"], "location")):
        annotation_services.annotation_create(document=document, user=user, start=4, end=7, tag=tag, quote="SDF")
    mine = Annotation.objects.get(annotator=team["ana"])
    annotation_services.annotation_update(annotation=mine, user=team["ana"], version=1, note="Syrian Democratic Forces")

    page = new_page(team["ana"])
    page.goto(f"/documents/{document.pk}/")
    location, actor = tag_class(page, "location"), tag_class(page, "actor")
    ana, ben = team["ana"].pk, team["ben"].pk
    expect(page.locator("#document-text mark")).to_have_class(re.compile(rf"\bu{ana} u{ben}\b"))
    page.get_by_label("Highlights", exact=True).select_option("ben")
    expect(page.locator("#document-text mark")).to_have_class(re.compile(rf"^{location} u{ben}$"))
    page.get_by_label("Highlights", exact=True).select_option("mine")
    mark = page.locator("#document-text mark")
    expect(mark).to_have_class(re.compile(rf"^{actor} u{ana}$"))

    mark.click()
    page.locator("#annotation-details summary", has_text="History").click()
    history = page.locator("#annotation-details .history")
    expect(history).to_contain_text("by ana")
    expect(history).to_contain_text("Syrian Democratic Forces")

    page.goto(f"/projects/{project.pk}/agreement/")
    page.get_by_label("Annotators").select_option(["ana", "ben"])
    page.get_by_role("button", name="Compare").click()
    results = page.locator("#agreement-results")
    expect(results).to_contain_text("Kappa")
    expect(page.locator("main")).to_contain_text("Cohen")
    link = page.locator("#disagreements").get_by_role("link").first
    expect(link).to_have_attribute("href", f"/documents/{document.pk}/?focus=4")
    link.click()
    expect(page.locator("#document-text .block.flash")).to_have_attribute("data-offset", "0")
