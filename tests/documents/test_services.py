import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

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


def test_metadata_edit_leaves_the_text_alone(document, owner):
    services.document_update_metadata(
        document=document,
        user=owner,
        title="New title",
        source_url="https://example.org/a",
        author="VOA",
        published=datetime.date(2019, 3, 12),
    )
    document.refresh_from_db()
    assert (document.title, document.author, document.published) == ("New title", "VOA", datetime.date(2019, 3, 12))
    assert document.text.startswith("About 3,000 people")


def test_a_viewer_cannot_create_a_document(project, viewer):
    with pytest.raises(PermissionDenied):
        services.document_create(project=project, user=viewer, title="A", text="Text")
    assert not Document.objects.exists()


def test_an_outsider_creating_a_document_gets_404(project, outsider):
    with pytest.raises(Http404):
        services.document_create(project=project, user=outsider, title="A", text="Text")
    assert not Document.objects.exists()


@pytest.mark.parametrize(("user", "raised"), [("viewer", PermissionDenied), ("outsider", Http404)])
def test_only_annotators_and_owners_edit_metadata(request, document, user, raised):
    with pytest.raises(raised):
        services.document_update_metadata(
            document=document, user=request.getfixturevalue(user), title="New", source_url="", author="", published=None
        )
    document.refresh_from_db()
    assert document.title != "New"


def test_an_annotator_edits_metadata(document, annotator):
    services.document_update_metadata(
        document=document, user=annotator, title="New", source_url="", author="", published=None
    )
    document.refresh_from_db()
    assert document.title == "New"
