"""The reading view's event form and panel, the dependents' warning in the details panel, and the events page."""

import pytest

from apps.annotations.models import Annotation
from apps.events.models import Event

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def annotator_client(client, annotator):
    client.force_login(annotator)
    return client


def test_the_form_fills_slots_from_the_chosen_spans_by_kind(annotator_client, report, spans):
    chosen = [spans[name].pk for name in ("baghuz", "is", "killed", "sdf")]
    response = annotator_client.get(f"/documents/{report.pk}/events/form/", {"ids": ",".join(map(str, chosen))}, **HX)
    html = response.content.decode()
    assert response.status_code == 200
    # Actors in text order: the SDF first (actor1), IS fighters second (actor2).
    assert f'<option value="{spans["sdf"].pk}" data-annotation-id="{spans["sdf"].pk}" selected>SDF' in html
    assert f'<option value="{spans["is"].pk}" data-annotation-id="{spans["is"].pk}" selected>IS fighters' in html
    assert f'value="{spans["baghuz"].pk}" data-annotation-id="{spans["baghuz"].pk}" selected>Baghuz' in html
    assert 'name="fatalities_number" type="number" min="0" value="38"' in html
    assert 'name="date" type="date" value="2019-03-12"' in html
    assert "Government regains territory" in html


def test_saving_the_form_answers_the_panel_with_the_new_event(annotator_client, report, spans):
    data = {
        "actor1": spans["sdf"].pk, "actor2": spans["is"].pk, "location": spans["baghuz"].pk,
        "fatalities": spans["killed"].pk, "fatalities_number": "38", "date": "2019-03-12", "time_precision": "1",
        "event_type": "Battles", "sub_event_type": "Armed clash", "notes": "",
    }  # fmt: skip
    response = annotator_client.post(f"/documents/{report.pk}/events/create/", data, **HX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#events"
    event = Event.objects.get()
    assert event.fatalities == 38
    assert f'data-event-id="{event.pk}"' in response.content.decode()
    assert 'data-saved="true"' in response.content.decode()


def test_a_bad_form_comes_back_naming_the_slot(annotator_client, report, spans):
    data = {"actor1": spans["killed"].pk, "event_type": "Battles", "sub_event_type": "Armed clash"}
    response = annotator_client.post(f"/documents/{report.pk}/events/create/", {**data, "chosen": ""}, **HX)
    assert response.status_code == 422
    assert 'data-field="actor1"' in response.content.decode()
    assert not Event.objects.exists()


def test_deleting_a_span_in_use_shows_its_events_first(annotator_client, report, spans, annotator):
    from apps.events.services import event_create

    event = event_create(
        user=annotator, document=report, event_type="Battles", sub_event_type="Armed clash", actor1=spans["sdf"].pk,
        location=spans["baghuz"].pk,
    )  # fmt: skip
    url = f"/annotations/{spans['baghuz'].pk}/delete/"
    response = annotator_client.post(url, {"version": 1}, **HX)
    assert response.status_code == 409
    assert f"events {event.pk}" in response.content.decode()
    assert 'name="detach" value="1"' in response.content.decode()
    assert Annotation.objects.filter(pk=spans["baghuz"].pk).exists()
    assert annotator_client.post(url, {"version": 1, "detach": "1"}, **HX).status_code == 200
    assert not Annotation.objects.filter(pk=spans["baghuz"].pk).exists()
    assert Event.objects.get().slots.count() == 1


def test_the_events_page_filters_and_links_to_the_spans(annotator_client, report, spans, annotator, project):
    from apps.events.services import event_create

    event_create(
        user=annotator, document=report, event_type="Battles", sub_event_type="Armed clash", actor1=spans["sdf"].pk,
        location=spans["baghuz"].pk,
    )  # fmt: skip
    html = annotator_client.get(f"/projects/{project.pk}/events/").content.decode()
    assert f'href="/documents/{report.pk}/?focus={spans["sdf"].start}"' in html
    assert "Syrian Democratic Forces" in html
    filtered = annotator_client.get(f"/projects/{project.pk}/events/", {"event_type": "Riots"}).content.decode()
    assert "No events match." in filtered
    by_place = annotator_client.get(f"/projects/{project.pk}/events/", {"place": spans["place"].pk}).content.decode()
    assert "Syrian Democratic Forces" in by_place


def test_the_events_page_reads_in_a_bounded_number_of_queries(
    annotator_client, report, spans, annotator, project, django_assert_max_num_queries
):
    from apps.events.services import event_create

    for _ in range(10):
        event_create(
            user=annotator, document=report, event_type="Battles", sub_event_type="Armed clash",
            actor1=spans["sdf"].pk, location=spans["baghuz"].pk, actor2=spans["is"].pk,
        )  # fmt: skip
    with django_assert_max_num_queries(12):
        response = annotator_client.get(f"/projects/{project.pk}/events/")
    assert response.content.decode().count("<tr data-event-id=") == 10


def test_owners_edit_the_typology_on_its_page(owner_client, project, annotator):
    url = f"/projects/{project.pk}/event-types/"
    page = owner_client.get(url).content.decode()
    assert "Battles | Political violence | Armed clash; Government regains territory" in page
    text = "Clash | Political violence | Armed clash; Ambush\nRiots | Demonstrations | Mob violence"
    assert owner_client.post(url, {"types": text}).status_code == 302
    from apps.events.selectors import typology_for

    assert typology_for(project)[0] == {
        "name": "Clash", "disorder_type": "Political violence", "sub_types": ["Armed clash", "Ambush"],
    }  # fmt: skip
    refused = owner_client.post(url, {"types": "Clash, Armed clash"})
    assert "Line 1" in refused.content.decode()
    from django.test import Client

    colleague = Client()
    colleague.force_login(annotator)
    assert colleague.get(url).status_code == 403


def test_retagging_a_span_in_use_shows_its_events_first_and_a_note_goes_through(
    annotator_client, report, spans, annotator
):
    from apps.events.services import event_create

    event = event_create(
        user=annotator, document=report, event_type="Battles", sub_event_type="Armed clash", actor1=spans["sdf"].pk,
        actor2=spans["is"].pk,
    )  # fmt: skip
    url = f"/annotations/{spans['is'].pk}/"
    noted = annotator_client.post(url, {"version": 1, "tag": "actor", "note": "the group"}, **HX)
    assert noted.status_code == 200  # the edit form always sends the tag: unchanged, nothing to ask
    refused = annotator_client.post(url, {"version": 2, "tag": "quantity", "note": "the group"}, **HX)
    assert refused.status_code == 409
    assert f"events {event.pk}" in refused.content.decode()
    assert 'name="tag" value="quantity"' in refused.content.decode()
    again = annotator_client.post(url, {"version": 2, "tag": "quantity", "note": "the group", "detach": "1"}, **HX)
    assert again.status_code == 200
    assert Annotation.objects.get(pk=spans["is"].pk).tag.slug == "quantity"
    assert list(event.slots.values_list("slot", flat=True)) == ["actor1"]
