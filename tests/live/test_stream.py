"""A document's event stream, served by the live server (uvicorn's worker on config.asgi) in a subprocess: members
only, the changes written anywhere, who else is reading, and a listener that outlives its database connection."""

import json

import pytest
import requests
from django.db import connection

from apps.annotations import services
from apps.live.listener import APPLICATION_NAME
from apps.live.models import Presence
from tests.live_helpers import EventStream, session_cookie
from tests.workers import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_member_hears_a_colleagues_write_and_who_else_reads(live_stream_server, document, owner, annotator):
    reader = EventStream(live_stream_server, owner, document.pk)
    assert reader.response.status_code == 200
    assert reader.response.headers["Content-Type"].startswith("text/event-stream")
    assert reader.next("presence") == ""  # nobody else yet

    colleague = EventStream(live_stream_server, annotator, document.pk)
    assert colleague.next("presence") == f"Also reading now: <b>{owner.username}</b>"
    reader.until("presence", f"Also reading now: <b>{annotator.username}</b>")

    annotation = services.annotation_create(document=document, user=annotator, start=6, end=11, tag="quantity")
    change = reader.next_change()
    assert (change["op"], change["ids"], change["user"]) == ("insert", [annotation.pk], annotator.pk)

    colleague.close()
    reader.until("presence", "")  # the colleague closed the page
    wait_until(lambda: Presence.objects.filter(user=annotator).count() == 0)
    reader.close()
    wait_until(lambda: not Presence.objects.exists())


def test_a_page_drawn_before_a_write_is_told_to_fetch_its_whole_text(live_stream_server, document, owner):
    stale = EventStream(live_stream_server, owner, document.pk, revision=-1)
    assert stale.next_change() == {"kind": "resync", "document": document.pk, "ids": None}
    stale.close()


def test_an_outsiders_stream_is_a_404_and_an_anonymous_one_goes_to_log_in(live_stream_server, document, outsider):
    url = f"{live_stream_server.url}/live/documents/{document.pk}/events/"
    outsiders = requests.get(url, cookies={"sessionid": session_cookie(outsider)}, timeout=10)
    assert outsiders.status_code == 404
    anonymous = requests.get(url, allow_redirects=False, timeout=10)
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous.headers["Location"]
    assert not Presence.objects.exists()


def test_a_page_on_an_allowed_host_may_read_the_stream_from_another_port(live_stream_server, document, owner):
    stream = requests.get(
        f"{live_stream_server.url}/live/documents/{document.pk}/events/",
        cookies={"sessionid": session_cookie(owner)},
        headers={"Origin": "http://localhost:8000"},
        stream=True,
        timeout=10,
    )
    assert stream.headers["Access-Control-Allow-Origin"] == "http://localhost:8000"
    assert stream.headers["Access-Control-Allow-Credentials"] == "true"
    stream.close()


def test_the_listener_survives_the_loss_of_its_database_connection(live_stream_server, document, owner, annotator):
    reader = EventStream(live_stream_server, owner, document.pk)
    reader.next("presence")

    def listener_pid():
        with connection.cursor() as cursor:
            names = [f"{APPLICATION_NAME} {pid}" for pid in live_stream_server.worker_pids()]
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE application_name = ANY(%s)", [names])
            row = cursor.fetchone()
            return row and row[0]

    wait_until(listener_pid)
    lost = listener_pid()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [lost])
    # Back: everyone is told to fetch their document whole (what was written meanwhile was not heard)...
    assert reader.next_change() == {"kind": "resync", "document": document.pk, "ids": None}
    assert listener_pid() not in (None, lost)
    # ...and later writes are heard again.
    annotation = services.annotation_create(document=document, user=annotator, start=6, end=11, tag="quantity")
    assert reader.next_change()["ids"] == [annotation.pk]
    reader.close()


def test_the_wsgi_server_answers_204_so_that_a_browser_stops_asking(client, document, owner):
    client.force_login(owner)
    response = client.get(f"/live/documents/{document.pk}/events/")
    assert response.status_code == 204
    assert json.dumps(response.content.decode()) == '""'


def test_open_streams_hold_no_database_connection(live_stream_server, document, owner):
    def connections_open() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return cursor.fetchone()[0]

    first = EventStream(live_stream_server, owner, document.pk)
    first.next("presence")
    with_one = connections_open()  # the listener's, and what the worker keeps between requests
    more = [EventStream(live_stream_server, owner, document.pk) for _ in range(5)]
    for stream in more:
        stream.next("presence")
    assert connections_open() == with_one
    for stream in [first, *more]:
        stream.close()
