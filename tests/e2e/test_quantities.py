"""An analyst tags a quantity with its key, reads its numbers in the details panel, corrects them, and a script sees
the correction through the API."""

import pytest
from playwright.sync_api import expect

from apps.annotations.models import Annotation
from tests.api_helpers import token_client
from tests.e2e.conftest import tag_marks
from tests.e2e.test_reader_keys import make_document

pytestmark = pytest.mark.e2e

TEXT = "The SDF said hundreds of fighters surrendered in Baghuz on Tuesday."
PHRASE = "hundreds of fighters"

# Select `phrase` in the first paragraph, release the mouse, press `key`.
SELECT_AND_PRESS = """([phrase, key]) => {
    const block = document.querySelector('#document-text .block');
    const node = block.firstChild.nodeType === Node.TEXT_NODE ? block.firstChild : block.firstChild.firstChild;
    const range = document.createRange();
    range.setStart(node, node.data.indexOf(phrase));
    range.setEnd(node, node.data.indexOf(phrase) + phrase.length);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
    document.dispatchEvent(new KeyboardEvent('keydown', {key, bubbles: true, cancelable: true}));
}"""


@pytest.fixture
def analyst(transactional_db, django_user_model):
    return django_user_model.objects.create_user("analyst", password="pw-analyst-123")


def field(page, name):
    return page.locator(f"#annotation-details .quantity-reading dd[data-field='{name}']")


def test_an_analyst_tags_reads_and_corrects_a_quantity(analyst, new_page):
    document = make_document(analyst, TEXT)
    page = new_page(analyst)
    page.goto(f"/documents/{document.pk}/")
    page.evaluate(SELECT_AND_PRESS, [PHRASE, "q"])
    expect(tag_marks(page, "quantity")).to_have_text(PHRASE)

    reading = {"best": "100", "conservative": "100", "low": "100", "high": "999", "counted": "fighters"}
    for name, value in reading.items():
        expect(field(page, name)).to_have_text(value)
    expect(page.locator("#annotation-details .quantity-reading")).to_contain_text("Read automatically.")

    page.locator("#annotation-details .quantity-correct summary").click()
    form = page.locator("#annotation-details .quantity-correct form")
    form.get_by_label("Low").fill("300")
    form.get_by_label("Best").fill("400")
    form.get_by_label("High").fill("500")
    form.get_by_label("Conservative").fill("300")
    form.get_by_label("Qualifier").select_option("range")
    form.get_by_role("button", name="Save reading").click()
    expect(field(page, "best")).to_have_text("400")
    expect(field(page, "qualifier")).to_have_text("range")
    expect(page.locator("#annotation-details .quantity-reading")).to_contain_text("Corrected by hand.")

    annotation = Annotation.objects.get()
    body = token_client(analyst).get(f"/api/annotations/{annotation.pk}/").json()
    assert body["normalized_by_hand"] is True
    assert body["normalized"] == {
        "kind": "quantity", "low": 300, "best": 400, "high": 500, "qualifier": "range", "unit": None,
        "counted": "fighters", "conservative": 300,
    }  # fmt: skip

    page.locator("#annotation-details .quantity-correct summary").click()
    page.get_by_role("button", name="Back to automatic").click()
    expect(field(page, "best")).to_have_text("100")
    expect(page.locator("#annotation-details .quantity-reading")).to_contain_text("Read automatically.")
