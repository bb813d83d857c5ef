import pytest

from apps.actors.models import Entity
from apps.annotations.models import Annotation, Origin
from apps.places.models import Place
from apps.suggestions.models import Rejection, Status, Suggestion
from tests.api_helpers import token_client
from tests.factories import AnnotationFactory, DocumentFactory

FIRST = "The SDF took Baghuz. Kino Gabriel said 38 IS fighters died."
SECOND = "SDF officials and the Syrian Democratic Forces entered Baghuz Fawqani. The SDF said 20 IS fighters fled."


@pytest.fixture
def tagged(project, owner):
    """A first report whose "SDF" is tagged as an actor, and a second one to suggest on."""
    first = DocumentFactory(project=project, text=FIRST)
    AnnotationFactory(document=first, start=4, end=7, annotator=owner)
    return DocumentFactory(project=project, text=SECOND)


def suggested(client, document):
    response = client.get("/api/suggestions/", {"document": document.pk})
    assert response.status_code == 200, response.content
    return response.json()


def test_memory_suggests_every_occurrence_with_stable_ids(tagged, owner):
    client = token_client(owner)
    found = suggested(client, tagged)
    memory = [s for s in found if s["source"] == "memory"]
    assert [(s["start"], s["end"], s["quote"], s["tag"]) for s in memory] == [
        (0, 3, "SDF", "actor"),
        (75, 78, "SDF", "actor"),
    ]
    assert set(found[0]) == {"id", "start", "end", "quote", "tag", "source", "score"}
    assert 0 < memory[0]["score"] <= 1
    assert [s["id"] for s in suggested(client, tagged)] == [s["id"] for s in found]


def test_entities_places_and_quantities_are_sources(tagged, project, owner):
    project.focus_countries = ["SY"]
    project.save()
    Entity.objects.create(project=project, name="Syrian Democratic Forces", aliases=["SDF"])
    Place.objects.create(project=project, source="project", name="Baghuz Fawqani", aliases=["Baghuz"],
                         latitude=34.46, longitude=40.94, country_code="SY")  # fmt: skip
    Place.objects.create(source="geonames", geonames_id=1, name="Hajin", latitude=34.7, longitude=40.8,
                         country_code="SY")  # fmt: skip
    Place.objects.create(source="geonames", geonames_id=2, name="Entered", latitude=1, longitude=1, country_code="TR")
    found = {(s["quote"], s["tag"], s["source"]) for s in suggested(token_client(owner), tagged)}
    assert ("Syrian Democratic Forces", "actor", "entity") in found
    assert ("Baghuz Fawqani", "location", "gazetteer") in found
    assert ("SDF", "actor", "entity") in found  # the register's 0.9 beats a string tagged once (2/3)
    assert not any(quote == "entered" or quote == "Entered" for quote, _, _ in found)  # not a focus country
    assert any(source == "quantity" and tag == "quantity" and "20" in quote for quote, tag, source in found)
    assert not any(quote == "Baghuz" for quote, _, _ in found)  # inside the longer name


def test_vocabulary_change_is_seen_at_once(tagged, project, owner):
    client = token_client(owner)
    assert not any(s["source"] == "entity" for s in suggested(client, tagged))
    Entity.objects.create(project=project, name="Syrian Democratic Forces")
    assert any(s["source"] == "entity" for s in suggested(client, tagged))


def test_accept_creates_an_annotation_with_origin_suggestion(tagged, annotator):
    client = token_client(annotator)
    first = suggested(client, tagged)[0]
    response = client.post(f"/api/suggestions/{first['id']}/accept/", {}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["start"], body["end"], body["tag"], body["origin"]) == (0, 3, "actor", "suggestion")
    assert Suggestion.objects.get(pk=first["id"]).status == Status.ACCEPTED
    assert first["id"] not in [s["id"] for s in suggested(client, tagged)]
    again = client.post(f"/api/suggestions/{first['id']}/accept/", {}, format="json")
    assert again.status_code == 400
    assert "id" in again.json()


def test_accept_under_another_tag(tagged, owner):
    client = token_client(owner)
    first = suggested(client, tagged)[0]
    response = client.post(f"/api/suggestions/{first['id']}/accept/", {"tag": "location"}, format="json")
    assert response.status_code == 201
    assert response.json()["tag"] == "location"
    bad = client.post(f"/api/suggestions/{suggested(client, tagged)[0]['id']}/accept/", {"tag": "nope"}, format="json")
    assert bad.status_code == 400
    assert "tag" in bad.json()


def test_accept_same_tags_every_occurrence(tagged, owner):
    client = token_client(owner)
    first = suggested(client, tagged)[0]
    response = client.post(f"/api/suggestions/{first['id']}/accept-same/", format="json")
    assert response.status_code == 201
    assert [(a["start"], a["quote"]) for a in response.json()] == [(0, "SDF"), (75, "SDF")]
    assert set(Annotation.objects.filter(document=tagged).values_list("origin", flat=True)) == {Origin.SUGGESTION}


def test_reject_remembers_the_text_and_tag_until_cleared(tagged, project, owner):
    client = token_client(owner)
    first = suggested(client, tagged)[0]
    assert client.post(f"/api/suggestions/{first['id']}/reject/").status_code == 200
    assert Rejection.objects.filter(project=project, text="SDF").exists()
    assert not any(s["quote"] == "SDF" for s in suggested(client, tagged))
    other = DocumentFactory(project=project, text="Then the SDF left.")
    assert not any(s["quote"] == "SDF" for s in suggested(client, other))
    listed = client.get("/api/suggestions/rejections/", {"project": project.pk}).json()
    assert [(r["text"], r["tag"]) for r in listed] == [("SDF", "actor")]
    cleared = client.post("/api/suggestions/clear-rejections/", {"project": project.pk}, format="json")
    assert cleared.json() == {"cleared": 1}
    assert [s["id"] for s in suggested(client, tagged) if s["quote"] == "SDF"][0] == first["id"]


def test_quality_counts_per_source(tagged, project, owner):
    client = token_client(owner)
    found = suggested(client, tagged)
    memory = [s for s in found if s["source"] == "memory"]
    client.post(f"/api/suggestions/{memory[0]['id']}/accept/", {}, format="json")
    quantity = [s for s in found if s["source"] == "quantity"]
    client.post(f"/api/suggestions/{quantity[0]['id']}/reject/")
    body = client.get("/api/suggestions/quality/", {"project": project.pk}).json()
    rows = {row["source"]: row for row in body["sources"]}
    assert (rows["memory"]["accepted"], rows["memory"]["rejected"], rows["memory"]["ignored"]) == (1, 0, 1)
    assert rows["memory"]["precision"] == 1.0
    assert (rows["quantity"]["accepted"], rows["quantity"]["rejected"]) == (0, 1)
    assert rows["quantity"]["precision"] == 0.0
    assert rows["entity"]["precision"] is None


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        ("/api/suggestions/", {}, "document"),
        ("/api/suggestions/", {"document": "x"}, "document"),
        ("/api/suggestions/", {"document": "99999999999999999999999"}, "document"),
        ("/api/suggestions/quality/", {"project": "-1"}, "project"),
        ("/api/suggestions/rejections/", {}, "project"),
    ],
)
def test_bad_queries_name_the_field(owner, url, params, field):
    response = token_client(owner).get(url, params)
    assert response.status_code == 400
    assert field in response.json()


def test_unknown_or_foreign_suggestions_are_404(tagged, owner, outsider):
    found = suggested(token_client(owner), tagged)
    assert token_client(owner).post("/api/suggestions/abc/accept/").status_code == 404
    assert token_client(owner).post("/api/suggestions/999999999/reject/").status_code == 404
    assert token_client(outsider).post(f"/api/suggestions/{found[0]['id']}/accept/").status_code == 404
    assert token_client(outsider).get("/api/suggestions/", {"document": tagged.pk}).status_code == 404


def test_viewer_reads_but_cannot_accept_or_reject(tagged, viewer):
    client = token_client(viewer)
    found = suggested(client, tagged)
    assert client.post(f"/api/suggestions/{found[0]['id']}/accept/").status_code == 403
    assert client.post(f"/api/suggestions/{found[0]['id']}/reject/").status_code == 403


def test_suggesting_takes_a_bounded_number_of_queries(tagged, owner, django_assert_max_num_queries):
    client = token_client(owner)
    suggested(client, tagged)  # builds the vocabulary
    with django_assert_max_num_queries(8):
        suggested(client, tagged)
    Entity.objects.create(project=tagged.project, name="Syrian Democratic Forces")
    with django_assert_max_num_queries(16):  # the vocabulary rebuilt
        suggested(client, tagged)


def test_accept_takes_a_bounded_number_of_queries(tagged, owner, django_assert_max_num_queries):
    client = token_client(owner)
    found = suggested(client, tagged)
    with django_assert_max_num_queries(12):
        assert client.post(f"/api/suggestions/{found[0]['id']}/accept/").status_code == 201


def test_a_long_text_gives_its_first_suggestions_and_the_next_once_decided(project, owner, monkeypatch):
    from apps.suggestions import services

    monkeypatch.setattr(services, "MAX_SUGGESTIONS", 3)
    monkeypatch.setattr(services, "WINDOW", 10)
    first = DocumentFactory(project=project, text="The SDF left.")
    AnnotationFactory(document=first, start=4, end=7, annotator=owner)
    long = DocumentFactory(project=project, text="\n".join(f"Line {n}: the SDF moved." for n in range(8)))
    client = token_client(owner)
    found = suggested(client, long)
    assert [s["start"] for s in found] == [12, 35, 58]
    for suggestion in found:
        assert client.post(f"/api/suggestions/{suggestion['id']}/accept/").status_code == 201
    assert [s["start"] for s in suggested(client, long)] == [81, 104, 127]
