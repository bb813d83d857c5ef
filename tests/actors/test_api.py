import pytest

from apps.actors import services
from apps.actors.models import Entity
from tests.api_helpers import token_client
from tests.factories import DocumentFactory, ProjectFactory

TEXT = "The SDF said the Syrian Democratic Forces held Baghuz; U.S.-backed forces advanced."


@pytest.fixture
def report(project):
    return DocumentFactory(project=project, text=TEXT)


def tag(api, report, quote):
    start = TEXT.index(quote)
    response = api.post(
        "/api/annotations/",
        {"document": report.pk, "start": start, "end": start + len(quote), "tag": "actor"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


def test_create_list_and_mentions(api, project, report):
    response = api.post(
        f"/api/entities/?project={project.pk}",
        {"project": project.pk, "name": "Syrian Democratic Forces", "type": "rebel_groups", "aliases": ["SDF"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    entity = response.json()
    assert entity == {
        "id": entity["id"], "project": project.pk, "name": "Syrian Democratic Forces", "type": "rebel_groups",
        "aliases": ["SDF"], "mentions": 0,
    }  # fmt: skip
    first, second = tag(api, report, "SDF"), tag(api, report, "Syrian Democratic Forces")
    assert first["normalized"] == {
        "kind": "actor",
        "entity": {"id": entity["id"], "name": "Syrian Democratic Forces", "type": "rebel_groups"},
    }
    other = ProjectFactory()
    services.entity_create(project=other, user=other.created_by, name="Hidden")
    (listed,) = api.get("/api/entities/", {"project": project.pk}).json()["results"]
    assert listed["mentions"] == 2
    assert [row["name"] for row in api.get("/api/entities/").json()["results"]] == ["Syrian Democratic Forces"]
    mentions = api.get("/api/annotations/", {"entity": entity["id"]}).json()["results"]
    assert {row["id"] for row in mentions} == {first["id"], second["id"]}


def test_patch_renames_and_links(api, project, report):
    entity = services.entity_create(project=project, user=project.created_by, name="SDF")
    linked, unlinked = tag(api, report, "SDF"), tag(api, report, "U.S.-backed forces")
    assert unlinked["normalized"] is None
    response = api.patch(
        f"/api/entities/{entity.pk}/",
        {"name": "Syrian Democratic Forces", "aliases": ["SDF", "US backed forces"]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["mentions"] == 2
    for annotation in (linked, unlinked):
        body = api.get(f"/api/annotations/{annotation['id']}/").json()
        assert body["normalized"]["entity"]["name"] == "Syrian Democratic Forces"


def test_merge_and_delete(api, project, report):
    kept = services.entity_create(project=project, user=project.created_by, name="Syrian Democratic Forces")
    merged = services.entity_create(project=project, user=project.created_by, name="SDF")
    tag(api, report, "SDF")
    response = api.post(f"/api/entities/{merged.pk}/merge/", {"into": kept.pk}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["aliases"], response.json()["mentions"]) == (["SDF"], 1)
    assert api.post(f"/api/entities/{kept.pk}/merge/", {"into": kept.pk}, format="json").json() == {
        "into": ["An entity cannot be merged into itself."]
    }
    assert api.post(f"/api/entities/{kept.pk}/merge/", {"into": "x"}, format="json").status_code == 400
    assert api.delete(f"/api/entities/{kept.pk}/").status_code == 204
    assert not Entity.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "SDF"}, "name"),  # already in the register
        ({"name": "s.d.f."}, "name"),
        ({"name": ""}, "name"),
        ({"name": "A\x00"}, "name"),
        ({"name": "Y" * 201}, "name"),
        ({"name": "YPG", "aliases": [""]}, "aliases"),
        ({"name": "YPG", "aliases": ["\x00"]}, "aliases"),
        ({"name": "YPG", "aliases": "YPG"}, "aliases"),
        ({"name": "YPG", "aliases": [{"a": 1}]}, "aliases"),
        ({"name": "YPG", "type": "army"}, "type"),
        ({"name": ["YPG"]}, "name"),
        ({"project": 10**30, "name": "YPG"}, "project"),
        ({"project": "x", "name": "YPG"}, "project"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api, project, data, field):
    services.entity_create(project=project, user=project.created_by, name="SDF")
    response = api.post("/api/entities/", {"project": project.pk, **data}, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_patch_bad_input(api, project):
    sdf = services.entity_create(project=project, user=project.created_by, name="SDF")
    ypg = services.entity_create(project=project, user=project.created_by, name="YPG")
    for data, field in [
        ({"name": "sdf"}, "name"),
        ({"aliases": ["S.D.F"]}, "aliases"),
        ({"aliases": ["ok", ""]}, "aliases"),
        ({"name": "x\x00"}, "name"),
        ({"type": "army"}, "type"),
    ]:
        response = api.patch(f"/api/entities/{ypg.pk}/", data, format="json")
        assert (response.status_code, field in response.json()) == (400, True), (data, response.json())
    assert Entity.objects.get(pk=sdf.pk).aliases == []


def test_hand_links_through_the_annotation_api(api, project, report):
    entity = services.entity_create(project=project, user=project.created_by, name="Syrian Democratic Forces")
    other = ProjectFactory()
    stranger = services.entity_create(project=other, user=other.created_by, name="SDF")
    annotation = tag(api, report, "U.S.-backed forces")
    url = f"/api/annotations/{annotation['id']}/"
    response = api.patch(url, {"version": 1, "normalized": {"entity": stranger.pk}}, format="json")
    assert (response.status_code, list(response.json())) == (400, ["entity"])
    response = api.patch(url, {"version": 1, "normalized": {"entity": entity.pk}}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["normalized"]["entity"]["id"], response.json()["normalized_by_hand"]) == (entity.pk, True)
    response = api.patch(url, {"version": 2, "normalized": {"entity": {"name": "US-led coalition"}}}, format="json")
    assert response.json()["normalized"]["entity"]["name"] == "US-led coalition"
    assert Entity.objects.filter(project=project, name="US-led coalition").exists()


def test_viewers_read_annotators_write_owners_merge(project, owner, annotator, viewer):
    entity = services.entity_create(project=project, user=owner, name="SDF")
    other = services.entity_create(project=project, user=owner, name="YPG")
    as_viewer, as_annotator = token_client(viewer), token_client(annotator)
    assert as_viewer.get(f"/api/entities/{entity.pk}/").status_code == 200
    assert as_viewer.patch(f"/api/entities/{entity.pk}/", {"type": "rebel_groups"}, format="json").status_code == 403
    assert as_annotator.patch(f"/api/entities/{entity.pk}/", {"type": "rebel_groups"}, format="json").status_code == 200
    assert as_annotator.post(f"/api/entities/{entity.pk}/merge/", {"into": other.pk}, format="json").status_code == 403
    assert as_annotator.delete(f"/api/entities/{entity.pk}/").status_code == 403


def test_list_queries_are_bounded(api, project, django_assert_max_num_queries):
    for number in range(30):
        services.entity_create(project=project, user=project.created_by, name=f"Group {number}", aliases=[f"G{number}"])
    with django_assert_max_num_queries(4):
        response = api.get("/api/entities/", {"project": project.pk})
    assert response.json()["count"] == 30
