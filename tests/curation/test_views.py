import datetime
import re

import pytest

from apps.documents.models import Document
from apps.documents.selectors import with_annotation_counts
from apps.events.services import event_create
from tests.curation.scenario import curated, tag


@pytest.fixture
def curator_client(client, scenario):
    client.force_login(scenario.curator)
    return client


def test_the_page_shows_each_place_coloured_by_state(scenario, curator_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = curator_client.get(f"/documents/{scenario.document.pk}/curation/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<mark class="place state-agree" data-place="0">SDF</mark>' in html
    assert '<mark class="place state-single" data-place="2">ISIS</mark>' in html
    assert html.count('class="place state-disagree"') == 3
    assert "style=" not in html  # the CSP allows no inline styles
    assert "accept the agreed version (ana, ben, cleo)" in html  # SDF
    assert "accept the agreed version (ana, cleo)" in html  # Baghuz


def test_the_page_reads_a_fixed_number_of_queries_however_many_places(
    scenario, curator_client, django_assert_max_num_queries
):
    for day, word in enumerate(("fighters", "took", "from", "near", "river"), start=1):
        span = tag(scenario.document, scenario.annotators["ana"], word, "actor")
        event_create(
            user=scenario.annotators["ana"], document=scenario.document, event_type="Battles",
            sub_event_type="Armed clash", date=datetime.date(2019, 3, day), actor1=span.pk,
        )  # fmt: skip
    with django_assert_max_num_queries(12):
        assert curator_client.get(f"/documents/{scenario.document.pk}/curation/").status_code == 200


def test_a_decision_by_htmx_answers_the_region_redrawn(scenario, curator_client):
    start, end = scenario.at("Baghuz")
    response = curator_client.post(
        f"/documents/{scenario.document.pk}/curation/decide/",
        {"start": start, "end": end, "take": scenario.spans[("cleo", "Baghuz")].pk},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert b'<div id="curation"' in response.content
    assert b"<html" not in response.content
    assert curated(scenario.document) == [("Baghuz", "location")]


def test_a_bad_decision_by_htmx_says_which_field(scenario, curator_client):
    response = curator_client.post(
        f"/documents/{scenario.document.pk}/curation/decide/",
        {"start": "0", "end": "99999", "take": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert b"end: end 99999 is past the end of the text" in response.content


def test_the_page_lists_the_event_places_after_the_span_places(scenario, curator_client):
    html = curator_client.get(f"/documents/{scenario.document.pk}/curation/").content.decode()
    assert html.index('id="places"') < html.index('id="event-places"')
    assert 'id="event-place-0" data-id="event-2019-03-12-0" data-state="disagree"' in html
    assert "events of 2019-03-12, actor1 at 0–3" in html
    assert "accept the agreed version (ana, cleo)" in html.split('id="event-places"')[1]
    assert "Violence against civilians / Attack, 2019-03-12: actor1 “ISIS”" in html


def test_an_event_decision_by_htmx_answers_the_region_redrawn_or_the_field(scenario, curator_client):
    url = f"/documents/{scenario.document.pk}/curation/decide-event/"
    form = {"date": "2019-03-12", "start": 0, "end": 3, "take": scenario.events[("ben", "SDF")].pk}
    response = curator_client.post(url, form, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b'<div id="curation"' in response.content
    assert b'data-id="event-2019-03-12-0" data-state="curated"' in response.content
    response = curator_client.post(url, {**form, "date": "March"}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert "date: “March” is not a date (YYYY-MM-DD).".encode() in response.content
    assert curator_client.post(url, {**form, "take": ""}).status_code == 302


def test_a_merge_without_javascript_goes_back_to_the_page(scenario, curator_client):
    response = curator_client.post(f"/documents/{scenario.document.pk}/curation/merge/", {"strategy": "all"})
    assert response.status_code == 302
    assert curated(scenario.document) == [("SDF", "actor")]
    response = curator_client.post(
        f"/documents/{scenario.document.pk}/curation/merge/", {"strategy": "min", "min": "x"}
    )
    assert response.status_code == 400
    assert b"min: min must be a whole number" in response.content


def test_the_reading_view_links_curators_to_the_curation_view(scenario, client):
    link = f'href="/documents/{scenario.document.pk}/curation/"'.encode()
    client.force_login(scenario.curator)
    assert link in client.get(f"/documents/{scenario.document.pk}/").content
    client.force_login(scenario.annotators["ana"])
    assert link not in client.get(f"/documents/{scenario.document.pk}/").content


def test_the_reading_view_and_the_document_list_leave_the_curated_layer_out(scenario, client):
    client.force_login(scenario.curator)
    client.post(f"/documents/{scenario.document.pk}/curation/merge/", {"strategy": "all"})
    page = client.get(f"/documents/{scenario.document.pk}/").content.decode()
    shown = {int(pk) for ids in re.findall(r'data-ids="([0-9 ]+)"', page) for pk in ids.split()}
    assert shown == {span.pk for span in scenario.spans.values()}
    counts = with_annotation_counts(Document.objects.filter(pk=scenario.document.pk)).get().annotation_counts
    assert counts == {"actor": 6, "location": 3, "quantity": 3}
