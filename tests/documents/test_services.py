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


def test_a_bad_batch_reports_each_bad_file_and_keeps_the_good_ones(project, owner):
    files = [
        ("good.txt", b"Fighters left Baghuz."),
        ("binary.txt", b"\x00\x01\x02\xff"),
        ("latin1.txt", "caf\xe9".encode("latin-1")),
        ("empty.md", b"   \n"),
        ("notes.pdf", b"%PDF-1.4"),
        ("batch.jsonl", b'{"title": "J1", "text": "First"}\n{"title": "J2", "text": "Second"}\n'),
        ("broken.jsonl", b'{"title": "ok", "text": "fine"}\n{"title": "no text"}\n'),
        ("again.txt", b"Fighters left Baghuz.\r\n"),
    ]
    report = services.document_import_files(project=project, user=owner, files=files)
    assert sorted(d.title for d in report.imported) == ["J1", "J2", "good"]
    assert [name for name, _ in report.duplicates] == ["again.txt"]
    failed = {error.filename: error.reason for error in report.errors}
    assert set(failed) == {"binary.txt", "latin1.txt", "empty.md", "notes.pdf", "broken.jsonl"}
    assert "line 2" in failed["broken.jsonl"]
    assert "text" in failed["broken.jsonl"]
    assert Document.objects.filter(project=project).count() == 3


def test_html_import_keeps_the_article_and_drops_scripts(project, owner):
    html = (
        b"<html><head><title>Airstrikes near Baghuz</title><script>var tracking = 1;</script></head>"
        b"<body><nav>Home | World | Sport</nav><article><h1>Airstrikes near Baghuz</h1>"
        b"<p>Coalition aircraft carried out 20 airstrikes on positions near Baghuz on Tuesday, officials said.</p>"
        b"<p>About 3,000 people left the enclave during the day, according to the Syrian Democratic Forces.</p>"
        b"</article><footer>Copyright</footer></body></html>"
    )
    report = services.document_import_files(project=project, user=owner, files=[("page.html", html)])
    assert not report.errors
    (document,) = report.imported
    assert "20 airstrikes" in document.text
    assert "tracking" not in document.text
    assert "Sport" not in document.text


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
