"""Every page works under the Content-Security-Policy: no console error in Chromium, the header on every response."""

import pytest
from playwright.sync_api import expect

from apps.annotations.models import Annotation
from apps.documents.models import Document
from tests.factories import AnnotationFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo(django_user_model, transactional_db):
    from django.core.management import call_command

    call_command("seed_demo", force=True)
    AnnotationFactory(document=Document.objects.get(), start=4, end=30)
    return django_user_model.objects.get(username="demo")


def pages(annotation):
    document = annotation.document
    project_id, tag_id = document.project_id, annotation.tag_id
    return [
        "/",
        "/projects/new/",
        f"/projects/{project_id}/settings/",
        f"/projects/{project_id}/guidelines/",
        f"/projects/{project_id}/members/",
        f"/projects/{project_id}/tags/",
        f"/projects/{project_id}/tags/{tag_id}/delete/",
        f"/projects/{project_id}/documents/",
        f"/projects/{project_id}/import/",
        f"/projects/{project_id}/agreement/",
        f"/documents/{document.pk}/",
        f"/documents/{document.pk}/edit/",
        f"/documents/{document.pk}/annotations/deleted/",
        "/api/docs/",
    ]


def test_every_page_works_under_the_policy(demo, new_page):
    annotation = Annotation.objects.select_related("document").first()
    page = new_page(demo)
    problems = []
    page.on("console", lambda message: message.type in ("error", "warning") and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    for path in pages(annotation):
        response = page.goto(path)
        assert response.status == 200, path
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy, path
        assert "'unsafe-inline'" not in policy, path
        assert "'unsafe-eval'" not in policy, path
        page.wait_for_load_state("networkidle")
        assert problems == [], f"{path}: {problems}"
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .information-container")).to_be_visible()  # its script ran


def test_the_reading_view_colours_and_htmx_work_under_the_policy(demo, new_page):
    annotation = Annotation.objects.select_related("document").first()
    page = new_page(demo)
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.goto(f"/documents/{annotation.document_id}/")
    mark = page.locator(f'mark[data-ids~="{annotation.pk}"]').first
    colour = mark.evaluate("el => getComputedStyle(el).getPropertyValue('--tag-color').trim()")
    assert colour.lower() == annotation.tag.color.lower()  # the nonce'd <style> was applied
    mark.click()
    expect(page.locator("#annotation-details")).to_contain_text(annotation.quote[:20])  # an htmx swap
    assert problems == []
