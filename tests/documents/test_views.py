import pytest
from django.urls import reverse

from apps.documents.models import Document, ImportBatch
from tests.factories import AnnotationFactory, DocumentFactory
from tests.workers import run_queued_tasks


def test_pages_require_login(client, document):
    for url in [
        reverse("projects:list"),
        reverse("documents:list", args=[document.project_id]),
        reverse("documents:read", args=[document.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_an_outsider_gets_404_for_another_projects_documents(client, outsider, document):
    client.force_login(outsider)
    assert client.get(reverse("documents:list", args=[document.project_id])).status_code == 404
    assert client.get(reverse("documents:read", args=[document.pk])).status_code == 404
    assert client.get(reverse("documents:edit", args=[document.pk])).status_code == 404
    assert client.get(reverse("documents:import", args=[document.project_id])).status_code == 404
    assert document.project.name not in client.get(reverse("projects:list")).content.decode()


def test_a_viewer_reads_but_cannot_import_or_edit(client, viewer, document):
    client.force_login(viewer)
    assert client.get(reverse("documents:read", args=[document.pk])).status_code == 200
    assert client.get(reverse("documents:import", args=[document.project_id])).status_code == 403
    assert client.post(reverse("documents:edit", args=[document.pk]), {"title": "x"}).status_code == 403


def test_project_list_shows_my_projects_with_counts(owner_client, document):
    page = owner_client.get(reverse("projects:list")).content.decode()
    assert "Syria 2019" in page
    assert "1 document" in page


def test_document_list_searches_sorts_and_counts_annotations(owner_client, project, django_assert_max_num_queries):
    baghuz = DocumentFactory(project=project, title="Baghuz falls", text="Fighters surrendered in Baghuz.")
    DocumentFactory(project=project, title="Raqqa", text="Reconstruction in Raqqa continues.")
    for _ in range(3):
        AnnotationFactory(document=baghuz)
    for n in range(30):
        DocumentFactory(project=project, title=f"Filler {n:02}", text=f"Unrelated filler text {n}.")
    url = reverse("documents:list", args=[project.pk])

    with django_assert_max_num_queries(8):
        page = owner_client.get(url, {"q": "surrendered"}).content.decode()
    assert "Baghuz falls" in page
    assert "Raqqa" not in page
    assert '<td class="num">3</td>' in page

    titles = owner_client.get(url, {"sort": "title"}).context["page"].object_list
    assert [d.title for d in titles][:2] == ["Baghuz falls", "Filler 00"]
    assert owner_client.get(url, {"sort": "title", "page": 2}).context["page"].number == 2

    fragment = owner_client.get(url, {"q": "raqqa"}, headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<div id="document-list">')
    assert "HX-Request" in fragment.get("Vary", "")


def test_query_count_does_not_grow_with_documents(owner_client, project, django_assert_max_num_queries):
    for n in range(60):
        AnnotationFactory(document=DocumentFactory(project=project, text=f"Document {n} text."))
    # session, user, project with membership (one gate), count, page
    with django_assert_max_num_queries(5):
        owner_client.get(reverse("documents:list", args=[project.pk]))


def test_upload_queues_a_batch_whose_page_polls_until_the_report_is_complete(owner_client, project):
    from django.core.files.uploadedfile import SimpleUploadedFile

    files = [
        SimpleUploadedFile("good.txt", b"Three Yazidi women were rescued."),
        SimpleUploadedFile("bad.txt", b"\x00\xff\xfe binary"),
    ]
    response = owner_client.post(reverse("documents:import", args=[project.pk]), {"files": files, "upload": ""})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:import-batch", args=[batch.pk])
    url = response["Location"]
    page = owner_client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert "Waiting for the worker" in page

    run_queued_tasks()
    fragment = owner_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<section class="report" id="import-batch"')
    assert "hx-trigger" not in fragment, "polling stops once the batch is over"
    assert "<strong>bad.txt</strong>" in fragment
    assert "looks like a binary file" in fragment
    assert Document.objects.filter(project=project, title="good").exists()
    assert f'href="{url}"' in owner_client.get(reverse("documents:import", args=[project.pk])).content.decode()


def test_an_upload_over_the_request_limit_is_refused_before_it_is_read(owner_client, project, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.LECTOR_MAX_REQUEST_BYTES = 1000
    response = owner_client.post(
        reverse("documents:import", args=[project.pk]), {"files": [SimpleUploadedFile("a.txt", b"x" * 2000)]}
    )
    assert response.status_code == 413
    assert "the limit is 1000" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_paste_imports_and_opens_the_reader(owner_client, project):
    response = owner_client.post(
        reverse("documents:import", args=[project.pk]),
        {"paste": "", "title": "Pasted", "text": "Line one.\r\n\r\nLine two.", "published": "2019-03-12"},
    )
    document = Document.objects.get(title="Pasted")
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:read", args=[document.pk])
    assert document.text == "Line one.\n\nLine two."


def test_paste_with_bad_fields_names_them_and_saves_nothing(owner_client, project):
    response = owner_client.post(
        reverse("documents:import", args=[project.pk]),
        {"paste": "", "title": "", "text": "x", "published": "yesterday", "source_url": "not a url"},
    )
    assert response.status_code == 400
    errors = response.context["paste_form"].errors
    assert set(errors) == {"title", "published", "source_url"}
    assert not Document.objects.exists()


def test_the_pager_keeps_the_search_and_the_sort(owner_client, project):
    for n in range(30):
        DocumentFactory(project=project, title=f"Filler {n:02}", text=f"Filler text {n}.")
    url = reverse("documents:list", args=[project.pk])
    page = owner_client.get(url, {"q": "filler", "sort": "title"}).content.decode()
    assert '<a href="?q=filler&amp;sort=title&amp;page=2">Next ›</a>' in page
    page = owner_client.get(url, {"q": "filler", "sort": "title", "page": 2}).content.decode()
    assert '<a href="?q=filler&amp;sort=title&amp;page=1">‹ Previous</a>' in page


def test_the_edit_page_asks_for_the_document_and_the_role_once(client, annotator, document, django_assert_num_queries):
    client.force_login(annotator)
    # session, user, document with project, importer and membership (one gate)
    with django_assert_num_queries(3):
        response = client.get(reverse("documents:edit", args=[document.pk]))
    assert response.status_code == 200


def test_the_edit_form_draws_each_field_as_a_group(owner_client, document):
    url = reverse("documents:edit", args=[document.pk])
    page = owner_client.get(url).content.decode()
    assert '<label for="id_title">Title</label>' in page
    assert '<label for="id_author">Author <span class="muted">(optional)</span></label>' in page
    data = {"title": "Baghuz", "author": "", "source_url": "", "published": "not a date"}
    page = owner_client.post(url, data).content.decode()
    assert 'id="id_published"' in page.split('class="errorlist')[0]  # the field, then its error


@pytest.mark.parametrize("field", ["title", "author"])
def test_edit_metadata(owner_client, document, field):
    data = {"title": "Baghuz", "author": "", "source_url": "", "published": ""} | {field: "Changed"}
    response = owner_client.post(reverse("documents:edit", args=[document.pk]), data)
    assert response.status_code == 302
    document.refresh_from_db()
    assert getattr(document, field) == "Changed"
