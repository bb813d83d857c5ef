from apps.annotations.models import Annotation, Origin
from apps.suggestions.models import Rejection, Status, Suggestion
from tests.api_helpers import token_client
from tests.factories import AnnotationFactory, DocumentFactory


def suggest(project, owner):
    first = DocumentFactory(project=project, text="The SDF took Baghuz.")
    AnnotationFactory(document=first, start=4, end=7, annotator=owner)
    second = DocumentFactory(project=project, text="Then the SDF left, and the SDF came back.")
    return second, token_client(owner).get("/api/suggestions/", {"document": second.pk}).json()


def test_quality_page_counts_and_clears_rejections(client, project, owner, annotator):
    document, found = suggest(project, owner)
    token_client(owner).post(f"/api/suggestions/{found[0]['id']}/reject/")
    client.force_login(annotator)
    page = client.get(f"/projects/{project.pk}/suggestions/")
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        '<tr data-source="memory"><th scope="row">Project memory</th><td class="num">0</td><td class="num">1</td>'
        in html
    )
    assert "“SDF” as" in html
    response = client.post(f"/projects/{project.pk}/suggestions/clear-rejections/")
    assert response.status_code == 302
    assert not Rejection.objects.exists()
    assert Suggestion.objects.get(pk=found[0]["id"]).status == Status.OPEN


def test_accept_from_the_reading_view_redraws_the_block(client, project, owner):
    document, found = suggest(project, owner)
    client.force_login(owner)
    response = client.post(
        f"/documents/{document.pk}/suggestions/{found[1]['id']}/accept/", {"tag": "actor"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    annotation = Annotation.objects.get(document=document)
    assert (annotation.start, annotation.origin) == (27, Origin.SUGGESTION)
    assert f'data-ids="{annotation.pk}"' in response.content.decode()
    again = client.post(f"/documents/{document.pk}/suggestions/{found[1]['id']}/accept/", HTTP_HX_REQUEST="true")
    assert again.status_code == 422
    elsewhere = DocumentFactory(project=project)
    assert client.post(f"/documents/{elsewhere.pk}/suggestions/{found[0]['id']}/accept/").status_code == 404
