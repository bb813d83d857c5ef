"""A span an event uses is not moved, retagged or deleted behind its back: 409 naming the events, unless detach."""

import pytest

from apps.annotations.models import Annotation
from apps.events.models import Event, EventSlot
from tests.api_helpers import token_client


@pytest.fixture
def annotator_api(annotator):
    return token_client(annotator)


@pytest.fixture
def two_events(annotator_api, clash, spans):
    first = annotator_api.post("/api/events/", clash, format="json").json()
    second = annotator_api.post(
        "/api/events/", {**clash, "sub_event_type": "Government regains territory"}, format="json"
    ).json()
    return first["id"], second["id"]


def test_deleting_a_span_in_use_answers_409_with_the_events(annotator_api, spans, two_events):
    response = annotator_api.delete(f"/api/annotations/{spans['baghuz'].pk}/")
    assert response.status_code == 409
    assert response.json()["dependents"] == {"events": list(two_events)}
    assert Annotation.objects.filter(pk=spans["baghuz"].pk).exists()


def test_moving_or_retagging_a_span_in_use_answers_409(annotator_api, spans, two_events):
    url = f"/api/annotations/{spans['sdf'].pk}/"
    assert annotator_api.patch(url, {"version": 1, "tag": "location"}, format="json").status_code == 409
    moved = {"version": 1, "start": spans["sdf"].start - 4}  # "The SDF"
    assert annotator_api.patch(url, moved, format="json").status_code == 409
    same = {"version": 1, "end": spans["sdf"].end + 1}  # a trailing space, trimmed: the same span
    assert annotator_api.patch(url, same, format="json").status_code == 200
    noted = annotator_api.patch(url, {"version": 2, "note": "their spokesman"}, format="json")
    assert noted.status_code == 200  # a note changes nothing an event reads


def test_detach_takes_the_span_out_of_the_events(annotator_api, spans, two_events):
    response = annotator_api.delete(f"/api/annotations/{spans['baghuz'].pk}/?detach=true")
    assert response.status_code == 204
    assert not EventSlot.objects.filter(slot="location").exists()
    assert list(Event.objects.values_list("version", flat=True)) == [2, 2]  # a stale edit of them is refused
    event = annotator_api.get(f"/api/events/{two_events[0]}/").json()
    assert event["location"] is None
    assert event["actor1"]["quote"] == "SDF"


def test_detach_on_a_retag(annotator_api, spans, two_events):
    url = f"/api/annotations/{spans['is'].pk}/?detach=true"
    assert annotator_api.patch(url, {"version": 1, "tag": "quantity"}, format="json").status_code == 200
    assert annotator_api.get(f"/api/events/{two_events[0]}/").json()["actor2"] is None


def test_a_span_without_events_is_deleted_as_before(annotator_api, spans, two_events):
    assert annotator_api.delete(f"/api/annotations/{spans['strikes'].pk}/").status_code == 204


def test_a_viewer_is_refused_before_learning_of_the_events(viewer, spans, two_events):
    assert token_client(viewer).delete(f"/api/annotations/{spans['sdf'].pk}/").status_code == 403
