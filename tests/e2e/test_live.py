"""Two colleagues read the same document in two browsers: one tags, changes and deletes, the other sees it happen
within a second, without a reload, keeping their scroll position and their selection; each sees who else reads.
The streams come from the live server (tests/live/conftest.py), on its own port, as `make run` serves them."""

import copy
import time

import pytest
from playwright.sync_api import expect

from apps.annotations import services
from apps.annotations.models import Annotation
from apps.documents.models import Document
from apps.documents.services import content_hash
from apps.events import services as event_services
from apps.projects.models import Role
from apps.projects.services import membership_set, project_create
from tests.e2e.conftest import tag_marks
from tests.e2e.test_annotate import select_text, text_box

pytestmark = pytest.mark.e2e

PARAGRAPHS = [f"Paragraph {n}: the SDF said {n * 10} people left Baghuz on day {n}." for n in range(60)]
TEXT = "\n\n".join(PARAGRAPHS)
WITHIN_A_SECOND = 1_000  # ms


@pytest.fixture
def live_pages(transactional_db, django_user_model, live_stream_server, settings, new_page):
    settings.LECTOR_LIVE_ENABLED = True
    settings.LECTOR_LIVE_URL = live_stream_server.url
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["connect-src"].append(live_stream_server.url)
    settings.CONTENT_SECURITY_POLICY = policy
    ana = django_user_model.objects.create_user("ana", password="pw-ana-12345")
    ben = django_user_model.objects.create_user("ben", password="pw-ben-12345")
    project = project_create(name="Syria 2019", owner=ana)
    membership_set(project=project, user=ben, role=Role.ANNOTATOR)
    document = Document.objects.create(project=project, title="Baghuz", text=TEXT, content_hash=content_hash(TEXT))
    return {"ana": ana, "ben": ben, "document": document, "open": lambda user: open_reading(new_page, user, document)}


def open_reading(new_page, user, document):
    page = new_page(user)
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.goto(f"/documents/{document.pk}/")
    page.problems = problems
    return page


def test_a_colleagues_tag_appears_within_a_second_keeping_scroll_and_selection(live_pages):
    ana_page = live_pages["open"](live_pages["ana"])
    ben_page = live_pages["open"](live_pages["ben"])
    expect(ben_page.locator("#presence")).to_have_text("Also reading now: ana")
    expect(ana_page.locator("#presence")).to_have_text("Also reading now: ben")

    # Ben reads far down and selects words of the paragraph Ana is about to tag.
    paragraph = "#b" + str(TEXT.index("Paragraph 40:"))
    ben_page.locator(paragraph).scroll_into_view_if_needed()
    ben_page.mouse.wheel(0, 120)
    time.sleep(0.3)
    box = text_box(ben_page, "people left Baghuz on day 40")
    ben_page.mouse.move(box["x1"], box["y1"])
    ben_page.mouse.down()
    ben_page.mouse.move(box["x2"], box["y2"], steps=5)
    ben_page.mouse.up()
    scroll_before = ben_page.evaluate("window.scrollY")
    assert ben_page.evaluate("window.getSelection().toString()") == "people left Baghuz on day 40"

    ana_page.locator(paragraph).scroll_into_view_if_needed()
    select_text(ana_page, "400 people")
    ana_page.keyboard.press("q")
    expect(tag_marks(ana_page, "quantity")).to_have_text("400 people")
    expect(tag_marks(ben_page, "quantity")).to_have_text("400 people", timeout=WITHIN_A_SECOND)
    assert ben_page.evaluate("window.scrollY") == scroll_before
    assert ben_page.evaluate("window.getSelection().toString()") == "people left Baghuz on day 40"
    expect(ben_page.locator("#tag-group-quantity .count")).to_have_text("1")

    # A change of tag and a delete reach Ben the same way (here through the services, as the API would).
    annotation = Annotation.objects.get()
    services.annotation_update(annotation=annotation, user=live_pages["ana"], version=annotation.version, tag="actor")
    expect(tag_marks(ben_page, "actor")).to_have_text("400 people", timeout=WITHIN_A_SECOND)
    services.annotation_delete(annotation=Annotation.objects.get(), user=live_pages["ana"])
    expect(ben_page.locator("#document-text mark")).to_have_count(0, timeout=WITHIN_A_SECOND)
    assert ben_page.evaluate("window.scrollY") == scroll_before
    assert ben_page.evaluate("window.getSelection().toString()") == "people left Baghuz on day 40"

    ana_page.close()
    expect(ben_page.locator("#presence")).to_be_empty()  # Ana left
    assert ben_page.problems == []
    assert ana_page.problems == []


def test_a_colleagues_event_appears_in_the_events_panel_keeping_an_open_event_form(live_pages):
    document, ana = live_pages["document"], live_pages["ana"]
    sdf = services.annotation_create(
        document=document, user=ana, start=TEXT.index("SDF"), end=TEXT.index("SDF") + 3, tag="actor"
    )
    live_pages["open"](ana)
    ben_page = live_pages["open"](live_pages["ben"])
    expect(ben_page.locator("#presence")).to_have_text("Also reading now: ana")  # Ben's stream is open
    expect(ben_page.locator("#events .count")).to_have_text("0")

    event = event_services.event_create(
        user=ana, document=document, event_type="Battles", sub_event_type="Armed clash", actor1=sdf.pk,
        date="2019-03-12", notes="The SDF advance.",
    )  # fmt: skip
    expect(ben_page.locator("#events .event-entry")).to_have_count(1, timeout=WITHIN_A_SECOND)
    expect(ben_page.locator("#events .count")).to_have_text("1")

    # Ben codes an event of his own: Ana's next change reaches the list, and Ben's form keeps what he chose.
    ben_page.locator(f'#document-text mark[data-ids~="{sdf.pk}"]').click(modifiers=["Shift"])
    ben_page.keyboard.press("e")
    expect(ben_page.locator("#event-form")).to_be_visible()
    ben_page.locator("#event-notes").fill("Ben's notes")
    event_services.event_delete(event=event, user=ana, version=event.version)
    expect(ben_page.locator("#events .event-entry")).to_have_count(0, timeout=WITHIN_A_SECOND)
    expect(ben_page.locator("#events .count")).to_have_text("0")
    expect(ben_page.locator("#event-notes")).to_have_value("Ben's notes")
    assert ben_page.problems == []
