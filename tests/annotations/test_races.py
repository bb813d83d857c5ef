"""Creates racing deletes: the write path locks what it reads, so a race ends in a clear refusal, never a 500."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from apps.annotations import services
from apps.annotations.models import Annotation
from apps.documents.models import Document
from apps.projects.models import Tag
from tests.factories import DocumentFactory


def someone_waits_for_a_lock(timeout: float = 20.0) -> bool:
    with connection.cursor() as cursor:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


def delete_meanwhile(rows, started: threading.Event, outcome: dict):
    """Delete the rows in a transaction that commits only once another one waits for it."""
    try:
        with transaction.atomic():
            rows.delete()
            started.set()
            outcome["waited"] = someone_waits_for_a_lock()
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("deleted", ["document", "tag"])
def test_a_create_racing_a_delete_is_refused_by_name(project, owner, deleted):
    document = DocumentFactory(project=project, text="The SDF said so.")
    if deleted == "document":
        rows = Document.objects.filter(pk=document.pk)
    else:
        rows = Tag.objects.filter(project=project, slug="actor")
    started, outcome = threading.Event(), {}
    deleter = threading.Thread(target=delete_meanwhile, args=(rows, started, outcome))
    deleter.start()
    assert started.wait(20)
    try:
        with pytest.raises(ValidationError) as raised:
            services.annotation_create(document=document.pk, user=owner, start=4, end=7, tag="actor")
    finally:
        deleter.join(30)
    assert outcome["waited"]  # the create did wait for the delete, and then found the row gone
    assert list(raised.value.message_dict) == [deleted]
    assert not Annotation.objects.exists()
