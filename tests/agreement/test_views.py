import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.projects.models import Role
from tests.api_helpers import token_client
from tests.factories import AnnotationFactory, DocumentFactory, MembershipFactory

API = "/api/agreement/"


def page_url(project) -> str:
    return f"/projects/{project.pk}/agreement/"


def span(document, annotator, quote, tag="actor"):
    start = document.text.index(quote)
    return AnnotationFactory(
        document=document,
        annotator=annotator,
        start=start,
        end=start + len(quote),
        tag=document.project.tags.get(slug=tag),
    )


@pytest.fixture
def second(project):
    return MembershipFactory(project=project, role=Role.ANNOTATOR).user


@pytest.fixture
def annotated(document, owner, annotator):
    """Owner and annotator agree on "Baghuz"; only the owner tagged "SDF"; they disagree on the fighters' extent."""
    span(document, owner, "Baghuz", "location")
    span(document, annotator, "Baghuz", "location")
    span(document, owner, "SDF")
    span(document, owner, "Islamic State fighters")
    span(document, annotator, "Islamic State")
    return document


def test_api_reports_the_scores(api, annotated, owner, annotator):
    response = api.get(API, {"project": annotated.project_id, "annotators": [owner.username, annotator.username]})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["documents"] == [annotated.pk]
    assert body["annotators"] == [owner.username, annotator.username]
    assert body["pairs"] == [[owner.username, annotator.username]]
    # Owner (reference) has 3 spans, annotator 2; exact: Baghuz only → P 1/2, R 1/3, F1 2·1/5.
    assert body["overall"]["exact"] == pytest.approx({"precision": 1 / 2, "recall": 1 / 3, "f1": 2 / 5})
    # Overlap adds "Islamic State" ~ "Islamic State fighters" → P 2/2, R 2/3, F1 2·2/5.
    assert body["overall"]["overlap"] == pytest.approx({"precision": 1.0, "recall": 2 / 3, "f1": 4 / 5})
    assert body["per_tag"]["location"]["exact"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert body["per_tag"]["location"]["kappa"] == 1.0
    assert list(body["per_tag"]) == ["actor", "location"]  # the project's tag order
    assert -1 <= body["overall"]["kappa"] < 1
    assert {(d["quote"], d["annotator"], d["missing_from"]) for d in body["disagreements"]} == {
        ("SDF", owner.username, annotator.username),
        ("Islamic State fighters", owner.username, annotator.username),
        ("Islamic State", annotator.username, owner.username),
    }
    assert set(body["disagreements"][0]) == {"document", "start", "end", "quote", "tag", "annotator", "missing_from"}


def test_api_gives_null_when_nothing_is_shared(api, document, owner, annotator):
    span(document, owner, "Baghuz")
    other = DocumentFactory(project=document.project)
    AnnotationFactory(document=other, annotator=annotator)

    body = api.get(API, {"project": document.project_id, "annotators": [owner.username, annotator.username]}).json()

    assert body["documents"] == []
    assert body["overall"]["exact"] == {"precision": None, "recall": None, "f1": None}
    assert body["overall"]["kappa"] is None
    assert body["per_tag"] == {}


def test_api_document_filter(api, annotated, owner, annotator):
    other = DocumentFactory(project=annotated.project)
    AnnotationFactory(document=other, annotator=owner)
    AnnotationFactory(document=other, annotator=annotator)
    params = {"project": annotated.project_id, "annotators": [owner.username, annotator.username]}

    assert api.get(API, params).json()["documents"] == sorted([annotated.pk, other.pk])
    assert api.get(API, {**params, "document": other.pk}).json()["documents"] == [other.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"annotators": ["OWNER", "ANNOTATOR"]}, "project"),
        ({"project": "x", "annotators": ["OWNER", "ANNOTATOR"]}, "project"),
        ({"project": "PROJECT"}, "annotators"),
        ({"project": "PROJECT", "annotators": ["OWNER"]}, "annotators"),
        ({"project": "PROJECT", "annotators": ["OWNER", "OWNER"]}, "annotators"),
        ({"project": "PROJECT", "annotators": ["OWNER", "nobody-by-this-name"]}, "annotators"),
        ({"project": "PROJECT", "annotators": ["OWNER", "OUTSIDER"]}, "annotators"),
        ({"project": "PROJECT", "annotators": ["OWNER", "ANNOTATOR"], "document": "abc"}, "document"),
        ({"project": "PROJECT", "annotators": ["OWNER", "ANNOTATOR"], "document": "FOREIGN"}, "document"),
    ],
)
def test_api_bad_input_is_400_naming_the_field(api, annotated, owner, annotator, outsider, params, field):
    foreign = DocumentFactory()
    names = {"OWNER": owner.username, "ANNOTATOR": annotator.username, "OUTSIDER": outsider.username}
    values = {"PROJECT": annotated.project_id, "FOREIGN": foreign.pk}
    params = {
        key: [names.get(v, v) for v in value] if isinstance(value, list) else values.get(value, value)
        for key, value in params.items()
    }

    response = api.get(API, params)

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]


def test_api_non_member_project_is_404(annotated, owner, annotator, outsider):
    response = token_client(outsider).get(
        API, {"project": annotated.project_id, "annotators": [owner.username, annotator.username]}
    )

    assert response.status_code == 404


def test_api_needs_authentication(client, annotated, owner, annotator):
    response = client.get(API, {"project": annotated.project_id, "annotators": [owner.username, annotator.username]})

    assert response.status_code == 401


def test_page_renders_the_table_and_escapes_quotes(client, project, owner, annotator, viewer):
    document = DocumentFactory(project=project, text='He wrote <script>alert("x")</script> & left.')
    span(document, owner, '<script>alert("x")</script>')
    span(document, annotator, "left")
    client.force_login(viewer)

    response = client.get(page_url(project), {"annotators": [owner.username, annotator.username]})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="agreement-results"' in html
    assert '<th scope="row"><strong>Overall</strong></th>' in html
    assert "How these are computed" in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert f'href="/documents/{document.pk}/?focus=9"' in html


def test_page_without_a_choice_shows_the_form(client, annotated, viewer, owner, annotator):
    client.force_login(viewer)

    response = client.get(page_url(annotated.project))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<option value="{owner.username}">' in html
    assert f'<option value="{annotator.username}">' in html
    assert f'<option value="{viewer.username}">' not in html  # members who never annotated are not offered
    assert 'id="agreement-results"' not in html


def test_page_with_one_annotator_is_400(client, annotated, owner):
    client.force_login(owner)

    response = client.get(page_url(annotated.project), {"annotators": [owner.username]})

    assert response.status_code == 400
    assert "Choose at least two annotators." in response.content.decode()


def test_page_is_404_for_outsiders(client, annotated, outsider):
    client.force_login(outsider)

    assert client.get(page_url(annotated.project)).status_code == 404


def _add_documents(project, users, count):
    for _ in range(count):
        document = DocumentFactory(project=project)
        for index, user in enumerate(users):
            AnnotationFactory(document=document, annotator=user, start=0, end=6 + index)
            AnnotationFactory(document=document, annotator=user, start=7, end=13)


def test_query_count_does_not_grow_with_the_data(client, project, owner, annotator, second):
    users = [owner, annotator, second]
    params = {"annotators": [u.username for u in users]}
    api_params = {"project": project.pk, **params}
    api = token_client(owner)
    client.force_login(owner)
    counts = []
    for extra in (1, 6):
        _add_documents(project, users, extra)
        with CaptureQueriesContext(connection) as page_queries:
            assert client.get(page_url(project), params).status_code == 200
        with CaptureQueriesContext(connection) as api_queries:
            assert api.get(API, api_params).status_code == 200
        counts.append((len(page_queries), len(api_queries)))

    assert counts[0] == counts[1]
    assert counts[0][0] <= 10
    assert counts[0][1] <= 10
