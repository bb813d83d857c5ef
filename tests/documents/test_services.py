import datetime

import pytest
from django.core.exceptions import ValidationError

from apps.documents import services
from apps.documents.models import Document


def test_create_normalises_line_endings_and_hashes_the_text(project, owner):
    document = services.document_create(project=project, user=owner, title=" Report ", text="One\r\n\r\nTwo\r")
    assert document.text == "One\n\nTwo"
    assert document.title == "Report"
    assert document.content_hash == services.content_hash("One\n\nTwo")
    assert document.imported_by == owner


def test_reimporting_the_same_text_is_a_duplicate_not_a_second_row(project, owner):
    first = services.document_create(project=project, user=owner, title="A", text="Same text")
    with pytest.raises(services.DuplicateDocument) as raised:
        services.document_create(project=project, user=owner, title="B", text="Same text\r\n")
    assert raised.value.existing == first
    assert Document.objects.filter(project=project).count() == 1


def test_the_same_text_may_live_in_two_projects(project, owner, outsider):
    other = outsider.projects.get()
    services.document_create(project=project, user=owner, title="A", text="Shared")
    services.document_create(project=other, user=outsider, title="A", text="Shared")
    assert Document.objects.filter(content_hash=services.content_hash("Shared")).count() == 2


@pytest.mark.parametrize(("title", "text", "field"), [("", "text", "title"), ("T", "  \n\n ", "text")])
def test_create_names_the_bad_field(project, owner, title, text, field):
    with pytest.raises(ValidationError) as raised:
        services.document_create(project=project, user=owner, title=title, text=text)
    assert field in raised.value.message_dict
    assert not Document.objects.exists()


def test_metadata_edit_leaves_the_text_alone(document):
    services.document_update_metadata(
        document=document,
        title="New title",
        source_url="https://example.org/a",
        author="VOA",
        published=datetime.date(2019, 3, 12),
    )
    document.refresh_from_db()
    assert (document.title, document.author, document.published) == ("New title", "VOA", datetime.date(2019, 3, 12))
    assert document.text.startswith("About 3,000 people")
