"""The triggers' notifications: one per statement and document, ids only, with the document's new revision."""

import json
import select

import psycopg2
import pytest
from django.db import connection

from apps.annotations import services
from apps.annotations.models import Annotation
from apps.events import services as event_services
from apps.live.listener import CHANNEL
from apps.live.models import Presence
from apps.reader.models import DocumentRevision
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def listener():
    """A connection LISTENing on the channel, as the server's listener does; notifications() drains it."""
    listening = psycopg2.connect(**connection.get_connection_params())
    listening.autocommit = True
    listening.cursor().execute(f"LISTEN {CHANNEL}")

    def notifications() -> list[dict]:
        received = []
        while select.select([listening], [], [], 1) != ([], [], []):
            listening.poll()
            received += [json.loads(notify.payload) for notify in listening.notifies]
            listening.notifies.clear()
        return received

    yield notifications
    listening.close()


def test_create_update_delete_each_notify_ids_user_and_revision(listener, document, annotator):
    Presence.objects.create(document_id=document.pk, user=annotator)
    listener()
    annotation = services.annotation_create(document=document, user=annotator, start=6, end=11, tag="quantity")
    revision = DocumentRevision.objects.get(document_id=document.pk).revision
    assert listener() == [
        {"kind": "annotation", "op": "insert", "document": document.pk, "ids": [annotation.pk], "start": 6,
         "end": 11, "user": annotator.pk, "revision": revision},
    ]  # fmt: skip

    services.annotation_update(annotation=annotation, user=annotator, version=annotation.version, note="a count")
    (update,) = listener()
    assert (update["op"], update["ids"], update["user"]) == ("update", [annotation.pk], annotator.pk)
    assert update["revision"] > revision

    services.annotation_delete(annotation=Annotation.objects.get(pk=annotation.pk), user=annotator)
    (delete,) = listener()
    assert (delete["op"], delete["ids"], delete["start"], delete["end"]) == ("delete", [annotation.pk], 6, 11)


def test_a_bulk_write_is_one_notification_per_document_without_ids_past_100(listener, project, annotator):
    first, second = DocumentFactory(project=project, text="word " * 300), DocumentFactory(project=project, text="x y")
    third = DocumentFactory(project=project, text="nobody reads this")
    Presence.objects.bulk_create([Presence(document_id=d.pk, user=annotator) for d in (first, second)])
    listener()
    items = [services.NewAnnotation(document=first.pk, start=5 * n, end=5 * n + 4, tag="actor") for n in range(150)]
    items.append(services.NewAnnotation(document=second.pk, start=0, end=1, tag="actor"))
    items.append(services.NewAnnotation(document=third.pk, start=0, end=6, tag="actor"))
    services.annotations_create_many(user=annotator, items=items)
    received = sorted(listener(), key=lambda payload: payload["document"] != first.pk)
    assert [(n["document"], n["ids"], n["start"], n["end"]) for n in received] == [
        (first.pk, None, 0, 749),
        (second.pk, [Annotation.objects.get(document=second).pk], 0, 1),
    ]  # nothing about the third document: nobody has it open


def test_writes_to_documents_nobody_has_open_notify_nothing(listener, document, annotator):
    services.annotation_create(document=document, user=annotator, start=6, end=11, tag="quantity")
    assert listener() == []


def test_opening_and_closing_a_stream_notifies_presence(listener, document, annotator):
    presence = Presence.objects.create(document_id=document.pk, user=annotator)
    presence.delete()
    assert listener() == [{"kind": "presence", "document": document.pk}] * 2


def test_an_events_create_update_and_delete_each_notify_its_document(listener, project, annotator):
    document = DocumentFactory(project=project, text="The SDF took Baghuz.")
    sdf = services.annotation_create(document=document, user=annotator, start=4, end=7, tag="actor")
    Presence.objects.create(document_id=document.pk, user=annotator)
    listener()
    event = event_services.event_create(
        user=annotator,
        document=document,
        event_type="Battles",
        sub_event_type="Armed clash",
        actor1=sdf.pk,
        date="2019-03-12",
    )
    ((created,),) = [[n for n in listener() if n["kind"] == "event"]]
    assert (created["op"], created["document"], created["ids"], created["user"]) == (
        "insert", document.pk, [event.pk], annotator.pk
    )  # fmt: skip
    event_services.event_update(event=event, user=annotator, version=event.version, notes="Fighting went on.")
    assert [(n["kind"], n["op"], n["ids"]) for n in listener()] == [("event", "update", [event.pk])]
    event.refresh_from_db()
    event_id = event.pk
    event_services.event_delete(event=event, user=annotator, version=event.version)
    assert [(n["kind"], n["op"], n["ids"]) for n in listener()] == [("event", "delete", [event_id])]
