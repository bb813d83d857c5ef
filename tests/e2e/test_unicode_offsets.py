"""reader.js turns the browser's UTF-16 selection into code-point offsets into the stored text."""

import pytest
from playwright.sync_api import expect

from apps.annotations.models import Annotation
from apps.documents.models import Document
from apps.documents.services import content_hash
from apps.projects.services import project_create
from tests.e2e.conftest import tag_marks
from tests.e2e.test_annotate import select_text, text_box

pytestmark = pytest.mark.e2e

TEXT = (
    "Report 👩🏽‍🚒 firefighter and 👨‍👩‍👧 family near Baghuz.\n\n"
    "The cafe\u0301 near e\u0301cole was hit.\n\n"
    "قال مصطفى بالي إن القوات تقدمت.\n\n"
    "北京 and 東京 reported 三千 people.\n\n"
    "<script>window.pwned = 1</script> and {{ template }} {% if x %} text."
)


@pytest.fixture
def unicode_doc(transactional_db, django_user_model):
    user = django_user_model.objects.create_user("uni", password="pw-uni-12345")
    project = project_create(name="Unicode", owner=user)
    document = Document.objects.create(project=project, title="Unicode", text=TEXT, content_hash=content_hash(TEXT))
    return user, document


@pytest.mark.parametrize(
    "needle",
    [
        "👩🏽‍🚒 firefighter",
        "👨‍👩‍👧 family",
        "Baghuz",
        "e\u0301cole",
        "cafe\u0301",
        "東京",
        "三千 people",
        "<script>window.pwned = 1</script>",
        "{{ template }}",
    ],
)
def test_mouse_selection_stores_code_point_offsets(unicode_doc, new_page, needle):
    user, document = unicode_doc
    page = new_page(user)
    page.goto(f"/documents/{document.pk}/")
    select_text(page, needle)
    page.keyboard.press("a")
    expect(tag_marks(page, "actor")).to_have_count(1)
    annotation = Annotation.objects.get()
    assert (annotation.start, annotation.end, annotation.quote) == (
        TEXT.index(needle),
        TEXT.index(needle) + len(needle),
        needle,
    )
    assert page.evaluate("window.pwned") is None


def test_double_click_on_an_arabic_word(unicode_doc, new_page):
    user, document = unicode_doc
    page = new_page(user)
    page.goto(f"/documents/{document.pk}/")
    box = text_box(page, "مصطفى")
    page.mouse.dblclick((box["x1"] + box["x2"]) / 2, box["y1"])
    expect(page.get_by_role("dialog", name="Tag the selection")).to_be_visible()
    page.keyboard.press("a")
    expect(page.locator("#document-text mark")).to_have_count(1)
    annotation = Annotation.objects.get()
    assert annotation.quote == "مصطفى"
    assert annotation.start == TEXT.index("مصطفى")


def test_every_dom_position_maps_to_its_code_point_offset(unicode_doc, new_page):
    user, document = unicode_doc
    page = new_page(user)
    page.goto(f"/documents/{document.pk}/")
    measured = page.evaluate(
        """() => {
            const root = document.getElementById('document-text');
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            const seen = [];
            let node, utf16 = 0;
            while ((node = walker.nextNode())) {
                for (let i = 0; i <= node.data.length; i++) {
                    const before = node.data.charCodeAt(i - 1);
                    const insidePair = i > 0 && before >= 0xd800 && before <= 0xdbff;
                    if (!insidePair) seen.push([utf16 + i, window.lectorReader.offsetOf(node, i)]);
                }
                utf16 += node.data.length;
            }
            return seen;
        }"""
    )
    expected = {len(TEXT[:i].encode("utf-16-le")) // 2: i for i in range(len(TEXT) + 1)}
    assert measured
    for utf16_offset, code_points in measured:
        assert expected[utf16_offset] == code_points
