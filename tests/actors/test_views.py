import pytest
from django.urls import reverse

from apps.actors import services
from apps.actors.models import Entity
from apps.annotations import services as annotation_services
from apps.annotations.models import Annotation
from tests.factories import DocumentFactory

TEXT = (
    "On Tuesday the SDF said that hundreds of fighters had surrendered near the camp. Later that day the Syrian "
    "Democratic Forces announced a pause <b>in</b> the offensive on Baghuz."
)


@pytest.fixture
def report(project):
    return DocumentFactory(project=project, title="Baghuz report", text=TEXT)


def tag(report, quote, user=None):
    start = TEXT.index(quote)
    return annotation_services.annotation_create(
        document=report, user=user or report.project.created_by, start=start, end=start + len(quote), tag="actor"
    )


def test_register_search_and_add(owner_client, project):
    services.entity_create(project=project, user=project.created_by, name="Syrian Democratic Forces", aliases=["SDF"])
    services.entity_create(project=project, user=project.created_by, name="Islamic State")
    url = reverse("actors:register", args=[project.pk])
    page = owner_client.get(url, {"q": "sdf"}).content.decode()
    assert "Syrian Democratic Forces" in page
    assert "Islamic State" not in page
    response = owner_client.post(url, {"name": "YPG", "type": "rebel_groups", "aliases": "People's Protection Units\n"})
    assert response.status_code == 302
    assert Entity.objects.get(name="YPG").aliases == ["People's Protection Units"]
    response = owner_client.post(url, {"name": "sdf", "type": "", "aliases": ""})
    assert response.status_code == 400
    assert "already names" in response.content.decode()


def test_entity_page_lists_mentions_with_context_escaped(owner_client, project, report, django_assert_max_num_queries):
    entity = services.entity_create(
        project=project, user=project.created_by, name="Syrian Democratic Forces", aliases=["SDF"]
    )
    first, second = tag(report, "SDF"), tag(report, "Syrian Democratic Forces")
    other = DocumentFactory(project=project, text="The SDF again.")
    third = annotation_services.annotation_create(document=other, user=project.created_by, start=4, end=7, tag="actor")
    with django_assert_max_num_queries(8):
        response = owner_client.get(reverse("actors:entity", args=[entity.pk]))
    page = response.content.decode()
    assert page.count("<mark>") == 3
    assert f"/documents/{report.pk}/?focus={second.start}" in page
    assert f"/documents/{report.pk}/?focus={first.start}" in page
    assert f"?focus={third.start}" in page
    assert "On Tuesday the <mark>SDF</mark> said that hundreds of fighters had surrendered near the" in page
    assert "announced a pause &lt;b&gt;in&lt;/b&gt;" in page


def test_merge_page(owner_client, project, report):
    kept = services.entity_create(project=project, user=project.created_by, name="Syrian Democratic Forces")
    merged = services.entity_create(project=project, user=project.created_by, name="SDF")
    mention = tag(report, "SDF")
    response = owner_client.post(reverse("actors:merge", args=[merged.pk]), {"into": kept.pk})
    assert response["Location"] == reverse("actors:entity", args=[kept.pk])
    mention.refresh_from_db()
    assert mention.entity_id == kept.pk
    page = owner_client.get(response["Location"]).content.decode()
    assert "<mark>SDF</mark>" in page


def test_panel_offers_the_closest_entities_and_a_new_one(owner_client, project, report, django_assert_max_num_queries):
    services.entity_create(project=project, user=project.created_by, name="Syrian Democratic Forces")
    services.entity_create(project=project, user=project.created_by, name="Islamic State")
    span = tag(report, "Democratic Forces")
    url = reverse("annotations:details", args=[report.pk])
    with django_assert_max_num_queries(8):
        page = owner_client.get(url, {"ids": span.pk}).content.decode()
    assert page.index("Syrian Democratic Forces") < page.index("Islamic State")  # the closest first
    assert "New entity from this text" in page


def test_panel_forms_link_alias_and_create(owner_client, project, report):
    entity = services.entity_create(project=project, user=project.created_by, name="SDF")
    span = tag(report, "Syrian Democratic Forces")
    response = owner_client.post(
        reverse("actors:annotation-alias", args=[span.pk]), {"entity": entity.pk}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    span.refresh_from_db()
    assert (span.entity_id, span.normalized_by_hand) == (entity.pk, False)
    assert Entity.objects.get(pk=entity.pk).aliases == ["Syrian Democratic Forces"]
    assert 'class="entity-link"' in response.content.decode()

    other = tag(report, "hundreds of fighters")
    url = reverse("actors:annotation-entity", args=[other.pk])
    stale = owner_client.post(url, {"version": 7, "entity": entity.pk})
    assert stale.status_code == 409
    response = owner_client.post(url, {"version": 1, "name": "hundreds of fighters", "type": "political_militias"})
    assert response.status_code == 200
    created = Entity.objects.get(name="hundreds of fighters")
    assert (created.type, Annotation.objects.get(pk=other.pk).entity_id) == ("political_militias", created.pk)
    linked = owner_client.post(url, {"version": 2, "entity": entity.pk})
    assert Annotation.objects.get(pk=other.pk).entity_id == entity.pk
    assert "linked by hand" in linked.content.decode()
    refused = owner_client.post(url, {"version": 3, "entity": "999999999"})
    assert "entity: Entity 999999999 is not in this project" in refused.content.decode()


def test_new_entity_from_a_span_links_the_other_unlinked_ones(owner_client, project, report):
    first = tag(report, "SDF")
    second = annotation_services.annotation_create(
        document=DocumentFactory(project=project, text="sdf"), user=project.created_by, start=0, end=3, tag="actor"
    )
    owner_client.post(reverse("actors:annotation-entity", args=[first.pk]), {"version": 1, "name": "SDF"})
    entity = Entity.objects.get(name="SDF")
    assert Annotation.objects.get(pk=second.pk).entity_id == entity.pk


def test_entity_page_pages_its_mentions(owner_client, project, report, monkeypatch):
    monkeypatch.setattr("apps.actors.selectors.MENTIONS_PER_PAGE", 2)
    entity = services.entity_create(
        project=project, user=project.created_by, name="Syrian Democratic Forces", aliases=["SDF"]
    )
    tag(report, "SDF"), tag(report, "Syrian Democratic Forces")
    annotation_services.annotation_create(
        document=DocumentFactory(project=project, title="Later", text="The SDF again."),
        user=project.created_by, start=4, end=7, tag="actor",
    )  # fmt: skip
    url = reverse("actors:entity", args=[entity.pk])
    first, second = owner_client.get(url).content.decode(), owner_client.get(url, {"page": 2}).content.decode()
    assert "Mentions (3)" in first
    assert (first.count("<mark>"), second.count("<mark>")) == (2, 1)
    assert "Page 2 of 2" in second
