import pytest

from apps.events.models import Event, EventChange, EventSlot
from tests.api_helpers import token_client
from tests.events.conftest import span
from tests.factories import DocumentFactory

URL = "/api/events/"


@pytest.fixture
def annotator_api(annotator):
    return token_client(annotator)


def test_an_annotator_codes_an_event_from_spans(annotator_api, clash, spans, report):
    response = annotator_api.post(URL, clash, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["actor1"]["quote"] == "SDF"
    assert body["actor2"]["quote"] == "IS fighters"
    assert body["location"]["normalized"]["place"]["name"] == "Baghuz"
    assert body["fatalities"]["id"] == spans["killed"].pk
    assert body["fatalities_number"] == 38  # the span's conservative figure, proposed
    assert body["date"] == "2019-03-12"  # the document's published date
    assert body["time_precision"] == 1
    assert body["disorder_type"] == "Political violence"
    assert body["created_by"] == spans["sdf"].annotator.username
    assert [change.pgh_label for change in EventChange.objects.filter(pgh_obj_id=body["id"])] == ["create"]


def test_the_fatalities_number_may_be_given(annotator_api, clash):
    response = annotator_api.post(URL, {**clash, "fatalities_number": 40, "date": "2019-03-11"}, format="json")
    assert response.status_code == 201
    assert (response.json()["fatalities_number"], response.json()["date"]) == (40, "2019-03-11")


def test_associated_actors_are_lists_of_spans(annotator_api, clash, report, annotator):
    coalition = span(report, "coalition", "actor", annotator)
    response = annotator_api.post(URL, {**clash, "assoc_actor_1": [coalition.pk]}, format="json")
    assert response.status_code == 201
    assert [a["quote"] for a in response.json()["assoc_actor_1"]] == ["coalition"]


def _bad(api, body, field):
    response = api.post(URL, body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not Event.objects.exists()
    return response.json()[field]


def test_a_span_of_another_document_is_refused_naming_its_slot(annotator_api, clash, project, annotator):
    other = DocumentFactory(project=project, text="The SDF said so.")
    elsewhere = span(other, "SDF", "actor", annotator)
    assert "not a span of document" in str(_bad(annotator_api, {**clash, "actor2": elsewhere.pk}, "actor2"))


def test_a_span_whose_kind_does_not_fit_the_slot_is_refused(annotator_api, clash, spans):
    assert "kind actor" in str(_bad(annotator_api, {**clash, "actor1": spans["killed"].pk}, "actor1"))
    assert "kind place" in str(_bad(annotator_api, {**clash, "location": spans["sdf"].pk}, "location"))
    assert "kind quantity" in str(_bad(annotator_api, {**clash, "fatalities": spans["baghuz"].pk}, "fatalities"))
    _bad(annotator_api, {**clash, "assoc_actor_2": [spans["baghuz"].pk]}, "assoc_actor_2")


def test_unknown_annotation_ids_are_refused(annotator_api, clash):
    _bad(annotator_api, {**clash, "actor2": 10**12}, "actor2")
    _bad(annotator_api, {**clash, "actor2": "SDF"}, "actor2")
    _bad(annotator_api, {**clash, "assoc_actor_1": [10**17]}, "assoc_actor_1")


def test_an_unknown_type_or_a_sub_type_of_another_type_is_refused(annotator_api, clash):
    _bad(annotator_api, {**clash, "event_type": "Skirmish"}, "event_type")
    _bad(annotator_api, {**clash, "sub_event_type": "Air/drone strike"}, "sub_event_type")


def test_an_impossible_date_is_refused(annotator_api, clash):
    _bad(annotator_api, {**clash, "date": "2019-02-30"}, "date")
    _bad(annotator_api, {**clash, "date": "12/03/2019"}, "date")


def test_a_missing_actor1_is_refused(annotator_api, clash):
    body = dict(clash)
    del body["actor1"]
    _bad(annotator_api, body, "actor1")
    _bad(annotator_api, {**clash, "actor1": None}, "actor1")


def test_other_bad_fields_are_named(annotator_api, clash, report):
    _bad(annotator_api, {**clash, "time_precision": 4}, "time_precision")
    _bad(annotator_api, {**clash, "fatalities_number": -1}, "fatalities_number")
    _bad(annotator_api, {**clash, "document": 10**12}, "document")
    _bad(annotator_api, {**clash, "notes": "a\x00b"}, "notes")
    report.published = None
    report.save()
    _bad(annotator_api, clash, "date")


def test_viewers_read_but_cannot_code(viewer, clash, annotator_api):
    assert token_client(viewer).post(URL, clash, format="json").status_code == 403
    created = annotator_api.post(URL, clash, format="json").json()
    viewer_api = token_client(viewer)
    assert viewer_api.get(f"{URL}{created['id']}/").status_code == 200
    assert viewer_api.patch(f"{URL}{created['id']}/", {"version": 1, "notes": "x"}, format="json").status_code == 403
    assert viewer_api.delete(f"{URL}{created['id']}/").status_code == 403


def test_annotators_change_their_own_events_owners_any(project, clash, annotator_api, api):
    from tests.conftest import _member

    created = annotator_api.post(URL, clash, format="json").json()
    colleague = token_client(_member(project, "annotator"))
    assert colleague.patch(f"{URL}{created['id']}/", {"version": 1, "notes": "x"}, format="json").status_code == 403
    response = api.patch(f"{URL}{created['id']}/", {"version": 1, "notes": "checked"}, format="json")
    assert response.status_code == 200
    assert (response.json()["notes"], response.json()["version"]) == ("checked", 2)


def test_outsiders_see_nothing(outsider, clash, annotator_api):
    created = annotator_api.post(URL, clash, format="json").json()
    stranger = token_client(outsider)
    assert stranger.get(URL).json()["count"] == 0
    assert stranger.get(f"{URL}{created['id']}/").status_code == 404
    assert stranger.post(URL, clash, format="json").status_code == 400  # a document they cannot see


def test_a_stale_patch_is_refused_with_409(annotator_api, clash):
    created = annotator_api.post(URL, clash, format="json").json()
    url = f"{URL}{created['id']}/"
    assert annotator_api.patch(url, {"version": 1, "time_precision": 2}, format="json").status_code == 200
    response = annotator_api.patch(url, {"version": 1, "notes": "late"}, format="json")
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    assert Event.objects.get().notes == "SDF advance on Baghuz."


def test_patch_swaps_actors_and_checks_slots(annotator_api, clash, spans):
    created = annotator_api.post(URL, clash, format="json").json()
    url = f"{URL}{created['id']}/"
    swapped = annotator_api.patch(
        url, {"version": 1, "actor1": spans["is"].pk, "actor2": spans["sdf"].pk}, format="json"
    ).json()
    assert (swapped["actor1"]["quote"], swapped["actor2"]["quote"]) == ("IS fighters", "SDF")
    response = annotator_api.patch(url, {"version": 2, "location": spans["killed"].pk}, format="json")
    assert response.status_code == 400
    assert "location" in response.json()
    assert annotator_api.patch(url, {"version": 2, "actor1": None}, format="json").status_code == 400
    response = annotator_api.patch(url, {"version": 2, "sub_event_type": "Grenade"}, format="json")
    assert "sub_event_type" in response.json()


def test_delete_keeps_the_spans(annotator_api, clash, spans):
    created = annotator_api.post(URL, clash, format="json").json()
    assert annotator_api.delete(f"{URL}{created['id']}/?version=1").status_code == 204
    assert not Event.objects.exists()
    assert spans["sdf"].__class__.objects.filter(pk=spans["sdf"].pk).exists()


def test_filters(annotator_api, clash, spans, report, annotator):
    first = annotator_api.post(URL, clash, format="json").json()
    strikes = {
        **clash,
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "actor1": span(report, "coalition", "actor", annotator).pk,
        "actor2": spans["is"].pk,
        "fatalities": spans["strikes"].pk,
        "date": "2019-03-13",
    }
    second = annotator_api.post(URL, strikes, format="json").json()

    def ids(**query):
        return [event["id"] for event in annotator_api.get(URL, query).json()["results"]]

    assert ids(project=report.project_id) == [first["id"], second["id"]]
    assert ids(document=report.pk, event_type="Battles") == [first["id"]]
    assert ids(actor=spans["entities"]["sdf"].pk) == [first["id"]]
    assert ids(actor=spans["entities"]["is"].pk) == [first["id"], second["id"]]
    assert ids(date_after="2019-03-13") == [second["id"]]
    assert ids(date_before="2019-03-12") == [first["id"]]
    assert annotator_api.get(URL, {"date_after": "2019-02-30"}).status_code == 400


def test_the_list_reads_in_a_bounded_number_of_queries(annotator_api, clash, django_assert_max_num_queries):
    for _ in range(5):
        annotator_api.post(URL, clash, format="json")
    with django_assert_max_num_queries(6):
        response = annotator_api.get(URL)
    assert response.json()["count"] == 5


def test_events_of_different_documents_link_as_one_incident(annotator_api, clash, project, annotator):
    first = annotator_api.post(URL, clash, format="json").json()
    other = DocumentFactory(project=project, text="The SDF took Baghuz.")
    second = annotator_api.post(
        URL,
        {"document": other.pk, "event_type": "Battles", "sub_event_type": "Armed clash", "date": "2019-03-12",
         "actor1": span(other, "SDF", "actor", annotator).pk, "same_as": first["id"]},
        format="json",
    ).json()  # fmt: skip
    assert second["incident"] is not None
    assert annotator_api.get(f"{URL}{first['id']}/").json()["incident"] == second["incident"]
    same_document = annotator_api.post(URL, {**clash, "same_as": first["id"]}, format="json")
    assert same_document.status_code == 400
    assert "same_as" in same_document.json()


def test_the_typology_is_acled_by_default_and_owners_replace_it(api, annotator_api, project, clash):
    url = f"/api/projects/{project.pk}/event-types/"
    types = annotator_api.get(url).json()["types"]
    assert [entry["name"] for entry in types][:2] == ["Battles", "Explosions/Remote violence"]
    mine = [{"name": "Clash", "disorder_type": "Political violence", "sub_types": ["Armed clash"]}]
    assert annotator_api.put(url, {"types": mine}, format="json").status_code == 403
    assert api.put(url, {"types": mine}, format="json").status_code == 200
    assert _bad(annotator_api, clash, "event_type")
    assert annotator_api.post(URL, {**clash, "event_type": "Clash"}, format="json").status_code == 201
    refused = api.put(url, {"types": [{"name": "Other", "sub_types": ["Other"]}]}, format="json")
    assert refused.status_code == 400
    assert "Clash / Armed clash" in str(refused.json()["types"])
    assert api.put(url, {"types": "no"}, format="json").status_code == 400


def test_slots_are_recorded_in_the_history(annotator_api, clash, spans):
    from apps.events.models import EventSlotChange

    created = annotator_api.post(URL, clash, format="json").json()
    assert EventSlot.objects.filter(event_id=created["id"]).count() == 4
    assert EventSlotChange.objects.filter(pgh_label="create", event_id=created["id"]).count() == 4


def test_deleting_a_document_or_a_project_takes_its_events_along(annotator_api, clash, report, project, owner):
    from apps.documents.services import document_delete
    from apps.projects.services import project_delete

    annotator_api.post(URL, clash, format="json")
    document_delete(document=report, user=owner)
    assert not Event.objects.exists()
    assert not EventSlot.objects.exists()
    other = DocumentFactory(project=project, text="The SDF took Baghuz.")
    annotator_api.post(
        URL,
        {"document": other.pk, "event_type": "Battles", "sub_event_type": "Armed clash", "date": "2019-03-12",
         "actor1": span(other, "SDF", "actor").pk},
        format="json",
    )  # fmt: skip
    project_delete(project=project, user=owner, confirm_name=project.name)
    assert not Event.objects.exists()
