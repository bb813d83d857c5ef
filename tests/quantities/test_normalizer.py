"""The quantity kind at work: readings on create, readings by hand through the API and the details panel, the
project's vague magnitudes, and POST /api/normalize/quantity/."""

import pytest
from django.urls import reverse

from apps.annotations import services
from apps.quantities.models import VagueMagnitude
from apps.quantities.normalizer import QuantityNormalizer
from tests.api_helpers import token_client

HX = {"HX-Request": "true"}
PHRASE = "hundreds of Islamic State fighters"


@pytest.fixture
def quantity(document, owner):
    start = document.text.index(PHRASE)
    return services.annotation_create(
        document=document,
        user=owner,
        start=start,
        end=start + len(PHRASE),
        tag=document.project.tags.get(slug="quantity"),
    )


def test_a_quantity_tag_is_read_on_create(quantity):
    assert quantity.normalized == {
        "kind": "quantity",
        "low": 100,
        "best": 100,
        "high": 999,
        "qualifier": "vague",
        "unit": None,
        "counted": "fighters",
        "conservative": 100,
    }
    assert not quantity.normalized_by_hand


def test_a_text_without_figure_stays_unresolved(document, owner):
    annotation = services.annotation_create(
        document=document, user=owner, start=0, end=5, tag=document.project.tags.get(slug="quantity")
    )
    assert annotation.normalized is None


def test_the_project_table_is_used(document, owner):
    VagueMagnitude.objects.create(project=document.project, words="hundreds", low=200, conservative=200, high=999)
    start = document.text.index(PHRASE)
    annotation = services.annotation_create(
        document=document, user=owner, start=start, end=start + 8, tag=document.project.tags.get(slug="quantity")
    )
    assert (annotation.normalized["low"], annotation.normalized["conservative"]) == (200, 200)


def test_read_many_takes_one_query(project, django_assert_num_queries):
    with django_assert_num_queries(1):
        readings = QuantityNormalizer().read_many(project.pk, ["dozens of rockets", "38 IS fighters", "the SDF"])
    assert [r.normalized and r.normalized["best"] for r in readings] == [12, 38, None]


def test_patch_sets_the_reading_by_hand(quantity, owner):
    client = token_client(owner)
    url = f"/api/annotations/{quantity.pk}/"
    given = {"low": 150, "best": 200, "high": 300, "qualifier": "range", "counted": "fighters", "conservative": 150}
    response = client.patch(url, {"version": quantity.version, "normalized": given}, format="json")
    assert response.status_code == 200, response.json()
    body = client.get(url).json()
    assert body["normalized_by_hand"] is True
    assert body["normalized"] == {"kind": "quantity", "unit": None, **given}


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"low": "many"}, "normalized.low"),
        ({"best": True}, "normalized.best"),
        ({"low": 30, "high": 20}, "normalized.low"),
        ({"low": 10, "best": 5}, "normalized.best"),
        ({"best": 5, "high": 4}, "normalized.best"),
        ({"low": 10, "conservative": 5}, "normalized.conservative"),
        ({"qualifier": "lots"}, "normalized.qualifier"),
        ({"qualifier": "exactly", "low": 38, "best": 40, "high": 45}, "normalized.qualifier"),
        ({"unit": 5}, "normalized.unit"),
        ({"colour": "red"}, "normalized"),
        ({"kind": "place"}, "normalized.kind"),
        ({"high": "1e400"}, "normalized.high"),
    ],
)
def test_patch_names_the_bad_field(quantity, owner, given, field):
    response = token_client(owner).patch(
        f"/api/annotations/{quantity.pk}/", {"version": quantity.version, "normalized": given}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    quantity.refresh_from_db()
    assert not quantity.normalized_by_hand


def test_normalize_api(api, project):
    response = api.post("/api/normalize/quantity/", {"text": "between 20 and 30 rockets"}, format="json")
    assert response.status_code == 200
    assert response.json() == {
        "kind": "quantity",
        "low": 20,
        "best": 25,
        "high": 30,
        "qualifier": "range",
        "unit": None,
        "counted": "rockets",
        "conservative": 20,
    }
    VagueMagnitude.objects.create(project=project, words="dozens", low=24, conservative=24, high=99)
    with_project = api.post("/api/normalize/quantity/", {"text": "dozens", "project": project.pk}, format="json")
    assert with_project.json()["conservative"] == 24
    assert api.post("/api/normalize/quantity/", {"text": "dozens"}, format="json").json()["conservative"] == 12


@pytest.mark.parametrize("body", [{}, {"text": ""}, {"text": ["a"]}, {"text": "x" * 1001}])
def test_normalize_api_names_text(api, body):
    response = api.post("/api/normalize/quantity/", body, format="json")
    assert response.status_code == 400
    assert "text" in response.json()


def test_normalize_api_is_for_members_and_logged_in_users(outsider, project, client):
    response = token_client(outsider).post(
        "/api/normalize/quantity/", {"text": "dozens", "project": project.pk}, format="json"
    )
    assert response.status_code == 404
    assert client.post("/api/normalize/quantity/", {"text": "dozens"}).status_code in (401, 403)


def test_details_panel_shows_and_corrects_the_reading(quantity, owner_client):
    details = owner_client.get(
        reverse("annotations:details", args=[quantity.document_id]), {"ids": quantity.pk}, headers=HX
    )
    assert b'data-field="high">999<' in details.content
    url = reverse("quantities:correct", args=[quantity.pk])
    form = {"version": quantity.version, "low": "150", "best": "200", "high": "300", "conservative": "150"}
    response = owner_client.post(url, {**form, "qualifier": "range", "counted": "fighters"}, headers=HX)
    assert response.status_code == 200
    assert b'data-field="best">200<' in response.content
    assert b"Back to automatic" in response.content
    quantity.refresh_from_db()
    assert (quantity.normalized["best"], quantity.normalized_by_hand, quantity.version) == (200, True, 2)

    stale = owner_client.post(url, {**form, "best": "250"}, headers=HX)
    assert "changed" in stale.content.decode().lower()
    quantity.refresh_from_db()
    assert quantity.normalized["best"] == 200

    back = owner_client.post(url, {"version": quantity.version, "automatic": "1"}, headers=HX)
    assert back.status_code == 200
    quantity.refresh_from_db()
    assert (quantity.normalized["best"], quantity.normalized_by_hand) == (100, False)


def test_a_bad_correction_is_shown_and_nothing_saved(quantity, owner_client):
    url = reverse("quantities:correct", args=[quantity.pk])
    response = owner_client.post(url, {"version": quantity.version, "low": "300", "high": "20"}, headers=HX)
    assert b"normalized.low" in response.content
    quantity.refresh_from_db()
    assert not quantity.normalized_by_hand


def test_owner_sets_and_drops_a_vague_magnitude(owner_client, project):
    url = reverse("quantities:vague-table", args=[project.pk])
    assert b"dozens" in owner_client.get(url).content
    bad = owner_client.post(url, {"words": "Dozens", "low": 24, "conservative": 12, "high": 99})
    assert bad.status_code == 400
    response = owner_client.post(url, {"words": " Dozens ", "low": 24, "conservative": 24, "high": 99})
    assert response.status_code == 302
    row = VagueMagnitude.objects.get(project=project)
    assert (row.words, row.conservative) == ("dozens", 24)
    owner_client.post(reverse("quantities:vague-magnitude-delete", args=[project.pk, row.pk]))
    assert not VagueMagnitude.objects.filter(project=project).exists()
