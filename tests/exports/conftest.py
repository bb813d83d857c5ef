import pytest

from tests.factories import AnnotationFactory, DocumentFactory

# Emoji ZWJ sequence, combining mark, flag, skin tone, Arabic with harakat, CJK; two blank lines (three paragraphs).
UNICODE_TEXT = (
    "Forces of the SDF 👩‍👩‍👧 met e\u0301lite units near Baghuz 🇸🇾, said a reporter.\n\n"
    "قَالَت قوات سوريا الديمقراطية إن 300 مقاتل استسلموا في الباغوز.\n\n"
    "大马士革东部的人群 cheered 👍🏽 and left."
)

# (quote, tag, note): nested, crossing and cross-paragraph spans, one at each end of the text.
UNICODE_SPANS = [
    ("Forces of the SDF", "actor", ""),
    ("SDF", "location", "Syrian Democratic Forces"),
    ("👩‍👩‍👧", "actor", ""),
    ("e\u0301lite units near Baghuz 🇸🇾", "location", ""),
    ("units near Baghuz 🇸🇾, said a reporter.\n\nقَالَت قوات سوريا الديمقراطية", "actor", ""),
    ("قوات سوريا الديمقراطية", "actor", "Arabic name"),
    ("300 مقاتل", "quantity", ""),
    ("大马士革", "location", ""),
    ("👍🏽 and left.", "actor", "two\nlines\tand a tab"),
]


def annotate(document, quote, tag="actor", *, note="", annotator=None, occurrence=0):
    """An annotation over the `occurrence`-th appearance of `quote` in the document's text."""
    start = -1
    for _ in range(occurrence + 1):
        start = document.text.index(quote, start + 1)
    return AnnotationFactory(
        document=document,
        start=start,
        end=start + len(quote),
        tag=document.project.tags.get(slug=tag),
        note=note,
        annotator=annotator or document.project.created_by,
    )


@pytest.fixture
def unicode_document(project):
    return DocumentFactory(project=project, title="Baghuz 🇸🇾 report", text=UNICODE_TEXT)


@pytest.fixture
def unicode_annotations(unicode_document):
    return [annotate(unicode_document, quote, tag, note=note) for quote, tag, note in UNICODE_SPANS]


@pytest.fixture
def export(owner_client):
    """GET the export `name` with extra query parameters; the streamed body, read to the end."""

    def get(name, client=None, **params):
        response = (client or owner_client).get("/api/export/", {"format": name, **params})
        assert response.status_code == 200, response.content
        assert response.streaming
        return b"".join(response.streaming_content)

    return get
