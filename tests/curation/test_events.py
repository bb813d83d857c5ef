"""Curation of events: event places (one date, overlapping actor1 spans), their states, the merge and a curator's
decision, and the curated layer of events in the event list and exports."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError

from apps.annotations.models import Annotation
from apps.curation.models import EventDecision
from apps.curation.selectors import document_curation
from apps.curation.services import curation_decide, curation_decide_event, curation_merge
from apps.events.models import Event
from apps.events.selectors import events_of_document
from apps.events.services import event_create
from tests.api_helpers import token_client
from tests.curation.scenario import EVENT_DATE, curated_events, tag

DECIDE_EVENT = "/api/curation/decide-event/"
CLASH = ("Battles", "Armed clash", [("actor1", "SDF", True), ("location", "Baghuz", True)])


def decide_event(scenario, quote, take):
    start, end = scenario.at(quote)
    return curation_decide_event(
        document=scenario.document, user=scenario.curator, date=EVENT_DATE, start=start, end=end, take=take
    )


def test_events_are_grouped_into_places_by_date_and_actor1(scenario):
    event_places = document_curation(scenario.document).event_places
    assert [(item.place.start, item.place.end, item.state) for item in event_places] == [
        (*scenario.at("SDF"), "disagree"),
        (*scenario.at("ISIS"), "single"),
    ]
    clash = event_places[0]
    assert clash.agreed_by == ["ana", "cleo"]
    assert clash.agreed_take == scenario.events[("ana", "SDF")].pk
    assert [name for _, name, events in clash.versions if events] == ["ana", "ben", "cleo"]
    assert "Explosions/Remote violence / Air/drone strike, 2019-03-12: actor1 “SDF”, actor2 “Baghuz”" in [
        event.label for event in clash.versions[1][2]
    ]


def test_another_date_is_another_place(scenario):
    ben = scenario.events[("ben", "SDF")]
    Event.objects.filter(pk=ben.pk).update(date="2019-03-13")
    event_places = document_curation(scenario.document).event_places
    assert [(item.date.isoformat(), item.state) for item in event_places] == [
        ("2019-03-12", "disagree"),  # ana and cleo agree, and ben has nothing on that day
        ("2019-03-13", "single"),
        ("2019-03-12", "single"),
    ]


def test_majority_merges_the_clash_two_of_three_coded_onto_curated_spans(scenario):
    result = curation_merge(document=scenario.document, user=scenario.curator, strategy="majority")
    assert result.events.as_dict() == {"merged": 1, "left": 1, "kept": 0}
    assert curated_events(scenario.document) == [CLASH]
    copy = Event.objects.get(document=scenario.document, curated=True)
    assert copy.curated_from == sorted([scenario.events[("ana", "SDF")].pk, scenario.events[("cleo", "SDF")].pk])
    assert copy.created_by == scenario.curator
    # The span merge made the curated SDF and Baghuz (location): the event reuses them rather than copying again.
    assert Annotation.objects.filter(document=scenario.document, curated=True).count() == 2


def test_all_leaves_both_event_places_and_min_one_takes_both(scenario):
    result = curation_merge(document=scenario.document, user=scenario.curator, strategy="all")
    assert result.events.as_dict() == {"merged": 0, "left": 2, "kept": 0}
    assert curated_events(scenario.document) == []
    result = curation_merge(document=scenario.document, user=scenario.curator, strategy="min", minimum=1)
    assert result.events.as_dict() == {"merged": 2, "left": 0, "kept": 0}
    attack = ("Violence against civilians", "Attack", [("actor1", "ISIS", True)])
    assert curated_events(scenario.document) == [CLASH, attack]


def test_taking_an_event_copies_the_spans_its_slots_need(scenario):
    ben = scenario.events[("ben", "SDF")]
    decision = decide_event(scenario, "SDF", ben.pk)
    assert decision.taken_from == scenario.annotators["ben"]
    assert (decision.date, decision.start, decision.end) == (EVENT_DATE, *scenario.at("SDF"))
    strike = ("Explosions/Remote violence", "Air/drone strike", [("actor1", "SDF", True), ("actor2", "Baghuz", True)])
    assert curated_events(scenario.document) == [strike]
    baghuz = Annotation.objects.get(document=scenario.document, curated=True, quote="Baghuz")
    assert baghuz.tag.slug == "actor"
    assert baghuz.curated_from == [scenario.spans[("ben", "Baghuz")].pk]  # the one span of that shape
    sdf = Annotation.objects.get(document=scenario.document, curated=True, quote="SDF")
    assert sdf.curated_from == sorted(scenario.spans[(name, "SDF")].pk for name in ("ana", "ben", "cleo"))


def test_a_new_decision_replaces_the_last_and_null_rejects(scenario):
    decide_event(scenario, "SDF", scenario.events[("ben", "SDF")].pk)
    decide_event(scenario, "SDF", scenario.events[("cleo", "SDF")].pk)
    assert curated_events(scenario.document) == [CLASH]
    assert Event.objects.get(curated=True).curated_from == sorted(
        [scenario.events[("ana", "SDF")].pk, scenario.events[("cleo", "SDF")].pk]
    )
    rejected = decide_event(scenario, "SDF", None)
    assert rejected.taken_from is None
    assert curated_events(scenario.document) == []
    assert EventDecision.objects.filter(document=scenario.document).count() == 1
    assert document_curation(scenario.document).event_places[0].state == "curated"


def test_a_re_merge_keeps_decided_event_places_unless_told_to_overwrite(scenario):
    decide_event(scenario, "SDF", scenario.events[("ben", "SDF")].pk)
    result = curation_merge(document=scenario.document, user=scenario.curator, strategy="min", minimum=1)
    assert result.events.as_dict() == {"merged": 1, "left": 0, "kept": 1}
    assert [kind for kind, _, _ in curated_events(scenario.document)] == [
        "Explosions/Remote violence",
        "Violence against civilians",
    ]
    result = curation_merge(document=scenario.document, user=scenario.curator, strategy="majority", overwrite=True)
    assert result.events.as_dict() == {"merged": 1, "left": 1, "kept": 0}
    assert curated_events(scenario.document) == [CLASH]


def test_span_decisions_leave_the_event_places_alone(scenario):
    decide_event(scenario, "ISIS", scenario.events[("ana", "ISIS")].pk)
    start, end = scenario.at("SDF")
    curation_decide(document=scenario.document, user=scenario.curator, start=start, end=end, take=None)
    states = [item.state for item in document_curation(scenario.document).event_places]
    assert states == ["disagree", "curated"]


def test_re_curating_a_span_moves_the_curated_events_slot_or_drops_it(scenario):
    curation_merge(document=scenario.document, user=scenario.curator, strategy="min", minimum=1)
    start, end = scenario.at("ISIS")
    curation_decide(
        document=scenario.document, user=scenario.curator, start=start, end=end, take=scenario.spans[("ana", "ISIS")].pk
    )  # the same span again, a new curated copy: the attack's actor1 follows it
    attack = ("Violence against civilians", "Attack", [("actor1", "ISIS", True)])
    assert curated_events(scenario.document) == [CLASH, attack]
    start, end = scenario.at("Baghuz")
    curation_decide(
        document=scenario.document,
        user=scenario.curator,
        start=start,
        end=end,
        take=scenario.spans[("ben", "Baghuz")].pk,
    )  # Baghuz curated as an actor: the clash's location (a place span) goes
    assert curated_events(scenario.document) == [("Battles", "Armed clash", [("actor1", "SDF", True)]), attack]
    start, end = scenario.at("SDF")
    curation_decide(document=scenario.document, user=scenario.curator, start=start, end=end, take=None)
    assert curated_events(scenario.document)[0] == ("Battles", "Armed clash", [])
    assert [item.state for item in document_curation(scenario.document).event_places] == ["curated", "curated"]
    result = curation_merge(document=scenario.document, user=scenario.curator, strategy="majority")
    assert result.events.as_dict() == {"merged": 1, "left": 1, "kept": 0}  # the slotless clash was replaced
    assert Event.objects.filter(curated=True).count() == 1


def test_an_annotators_event_without_actor1_has_no_place(scenario):
    ana = scenario.events[("ana", "ISIS")]
    ana.slots.all().delete()
    assert len(document_curation(scenario.document).event_places) == 1
    with pytest.raises(ValidationError) as refused:
        decide_event(scenario, "ISIS", ana.pk)
    assert "take" in refused.value.message_dict


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date": "2019-02-30"}, "date"),
        ({"end": 10_000}, "end"),
        ({"start": -1}, "start"),
        ({"take": "ben"}, "take"),
        ({"take": 10**12}, "take"),
    ],
)
def test_bad_decisions_name_the_field(scenario, change, field):
    start, end = scenario.at("SDF")
    arguments = {"date": EVENT_DATE, "start": start, "end": end, "take": None, **change}
    with pytest.raises(ValidationError) as refused:
        curation_decide_event(document=scenario.document, user=scenario.curator, **arguments)
    assert field in refused.value.message_dict


def test_an_event_of_another_place_or_day_is_not_taken(scenario):
    with pytest.raises(ValidationError) as refused:
        decide_event(scenario, "SDF", scenario.events[("ana", "ISIS")].pk)
    assert "take" in refused.value.message_dict
    start, end = scenario.at("SDF")
    with pytest.raises(ValidationError) as refused:
        curation_decide_event(
            document=scenario.document, user=scenario.curator, date="2019-03-13", start=start, end=end,
            take=scenario.events[("ana", "SDF")].pk,
        )  # fmt: skip
    assert "take" in refused.value.message_dict
    assert not EventDecision.objects.exists()


@pytest.fixture
def curator_api(scenario):
    return token_client(scenario.curator)


def test_decide_event_api_records_a_choice(scenario, curator_api):
    start, end = scenario.at("SDF")
    body = {"document": scenario.document.pk, "date": "2019-03-12", "start": start, "end": end}
    response = curator_api.post(DECIDE_EVENT, {**body, "take": scenario.events[("cleo", "SDF")].pk}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["taken_from"] == "cleo"
    assert response.json()["date"] == "2019-03-12"
    assert curated_events(scenario.document) == [CLASH]
    assert curator_api.post(DECIDE_EVENT, {**body, "take": None}, format="json").json()["taken_from"] is None
    assert curated_events(scenario.document) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date": "12 March"}, "date"),
        ({"date": None}, "date"),
        ({"start": "a"}, "start"),
        ({"end": 99_999}, "end"),
        ({"take": 10**15}, "take"),
        ({"take": "x"}, "take"),
        ({"document": "nine"}, "document"),
    ],
)
def test_decide_event_api_refuses_bad_fields_by_name(scenario, curator_api, change, field):
    body = {"document": scenario.document.pk, "date": "2019-03-12", "start": 0, "end": 3, "take": None, **change}
    response = curator_api.post(DECIDE_EVENT, body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_only_curators_and_owners_decide_events(scenario, owner, viewer, outsider):
    body = {"document": scenario.document.pk, "date": "2019-03-12", "start": 0, "end": 3, "take": None}
    assert token_client(scenario.annotators["ana"]).post(DECIDE_EVENT, body, format="json").status_code == 403
    assert token_client(viewer).post(DECIDE_EVENT, body, format="json").status_code == 403
    assert token_client(outsider).post(DECIDE_EVENT, body, format="json").status_code == 404
    assert token_client(owner).post(DECIDE_EVENT, body, format="json").status_code == 201


def test_layers_on_the_event_list_and_exports(scenario, curator_api):
    curation_merge(document=scenario.document, user=scenario.curator, strategy="majority")
    document = scenario.document.pk
    everyone = curator_api.get("/api/events/", {"document": document}).json()
    assert everyone["count"] == 4
    assert not any(item["curated"] for item in everyone["results"])
    gold = curator_api.get("/api/events/", {"document": document, "layer": "curated"}).json()
    assert [(item["event_type"], item["actor1"]["quote"], item["curated"]) for item in gold["results"]] == [
        ("Battles", "SDF", True)
    ]
    assert gold["results"][0]["location"]["id"] == Annotation.objects.get(curated=True, quote="Baghuz").pk
    bens = curator_api.get("/api/events/", {"document": document, "layer": "ben"}).json()
    assert [item["id"] for item in bens["results"]] == [scenario.events[("ben", "SDF")].pk]
    exported = curator_api.get("/api/export/events/", {"format": "jsonl", "layer": "curated"})
    assert exported.status_code == 200
    lines = [json.loads(line) for line in b"".join(exported.streaming_content).splitlines()]
    assert [(line["event_type"], line["curated_from"]) for line in lines] == [
        ("Battles", gold["results"][0]["curated_from"])
    ]
    acled = curator_api.get("/api/export/events/", {"format": "acled", "layer": "curated"})
    rows = b"".join(acled.streaming_content).decode().splitlines()
    assert len(rows) == 2
    assert "Armed clash" in rows[1]
    plain = curator_api.get("/api/export/events/", {"format": "ucdp"})
    assert len(b"".join(plain.streaming_content).decode().splitlines()) == 1 + 4  # the annotators' events only


def test_the_reading_views_events_panel_leaves_the_curated_layer_out(scenario):
    curation_merge(document=scenario.document, user=scenario.curator, strategy="min", minimum=1)
    assert Event.objects.filter(document=scenario.document).count() == 6
    shown = {event.pk for event in events_of_document(scenario.document)}
    assert shown == {event.pk for event in scenario.events.values()}


def test_merge_and_decision_read_a_fixed_number_of_queries_however_many_events(scenario, django_assert_max_num_queries):
    ana = scenario.annotators["ana"]
    for day, word in enumerate(("fighters", "took", "from", "near", "river"), start=1):
        span = tag(scenario.document, ana, word, "actor")
        for _ in range(2):
            event_create(
                user=ana, document=scenario.document, event_type="Battles", sub_event_type="Armed clash",
                date=datetime.date(2019, 3, day), actor1=span.pk,
            )  # fmt: skip
    with django_assert_max_num_queries(24):
        result = curation_merge(document=scenario.document, user=scenario.curator, strategy="min", minimum=1)
    assert result.events.as_dict() == {"merged": 7, "left": 0, "kept": 0}
    assert Event.objects.filter(curated=True).count() == 12  # ana's two events of each new day, both taken
    with django_assert_max_num_queries(24):
        decide_event(scenario, "SDF", scenario.events[("ben", "SDF")].pk)
