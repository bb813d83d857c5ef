"""A worker killed with SIGKILL mid-write, and database connections lost under a running server."""

import os
import signal
import subprocess
import threading
import time

import pytest
import requests
from django.db import connection, transaction

from apps.annotations.models import Annotation
from apps.reader.models import DocumentRevision
from tests.factories import AnnotationFactory, DocumentFactory
from tests.faults.conftest import ROOT, session_for

pytestmark = pytest.mark.django_db(transaction=True)


def lock_waiter(timeout: float = 30) -> int:
    """The pid of a backend of this database waiting for a lock (the one this test's connection holds)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # inside a transaction the view is read once
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            row = cursor.fetchone()
            if row:
                return row[0]
            time.sleep(0.02)
    raise AssertionError("no request reached the lock")


def wait_backend_gone(pid: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
            if not cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError(f"backend {pid} still there")


def in_background(call) -> tuple[threading.Thread, dict]:
    outcome = {}

    def run():
        try:
            outcome["response"] = call()
        except requests.RequestException as error:
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_a_worker_killed_mid_bulk_create_leaves_nothing_half_written(server, project, owner):
    words = [f"w{n:04d}" for n in range(1000)]
    document = DocumentFactory(project=project, text=" ".join(words))
    DocumentRevision.objects.create(document_id=document.pk, revision=0)
    live = server(threads=2)
    session = session_for(owner)
    items = [{"document": document.pk, "start": 6 * n, "end": 6 * n + 5, "tag": "actor"} for n in range(1000)]
    (worker,) = live.worker_pids()

    # The bulk statement's trigger bumps the document's revision row after writing its 1,000 rows: holding that row
    # here stops the request between its write and its commit, where the worker is killed.
    with transaction.atomic():
        DocumentRevision.objects.select_for_update().get(document_id=document.pk)
        thread, outcome = in_background(lambda: session.post(live.url + "/api/annotations/bulk/", json=items))
        backend = lock_waiter()
        os.kill(worker, signal.SIGKILL)
        thread.join(30)
    assert "error" in outcome  # the connection died with the worker: no answer
    wait_backend_gone(backend)
    assert Annotation.objects.count() == 0  # all or nothing: nothing

    live.wait_ready()  # gunicorn's master started a new worker
    response = session.post(live.url + "/api/annotations/bulk/", json=items)
    assert response.status_code == 201
    assert Annotation.objects.count() == 1000


def terminate_other_backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_lost_database_connections_fail_cleanly_and_the_next_request_reconnects(server, project, owner, document):
    annotation = AnnotationFactory(document=document, annotator=owner)
    live = server(threads=1)  # one thread: one persistent database connection
    session = session_for(owner)
    url = f"{live.url}/api/annotations/{annotation.pk}/"
    assert session.get(url).status_code == 200

    assert terminate_other_backends() >= 1  # as a database restart would
    response = session.get(url)
    assert response.status_code == 200  # CONN_HEALTH_CHECKS: a new connection, without restarting Lector

    # A connection lost in the middle of a request: a 503 with a message, never a 500 or a traceback.
    with transaction.atomic():
        Annotation.objects.select_for_update().get(pk=annotation.pk)
        thread, outcome = in_background(lambda: session.patch(url, json={"version": 1, "note": "lost"}))
        lock_waiter()
        assert terminate_other_backends() >= 1
        thread.join(30)
    response = outcome["response"]
    assert response.status_code == 503, response.text[:500]
    assert response.json() == {
        "non_field_errors": ["The database is unavailable or busy; your request was not completed. Try again."]
    }
    assert response.headers["Retry-After"] == "1"

    response = session.patch(url, json={"version": 1, "note": "saved"})
    assert response.status_code == 200
    assert Annotation.objects.get().note == "saved"


def private_cluster(command: str) -> str:
    """Run scripts/pg.sh `command` for the Makefile's private cluster (the one this suite runs on)."""
    done = subprocess.run(["bash", "scripts/pg.sh", command], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_database_restart_fails_requests_cleanly_and_lector_goes_on_without_a_restart(
    server, project, owner, document
):
    if os.environ["DATABASE_URL"] != private_cluster("url"):
        pytest.fail("This test restarts the Makefile's private cluster: run it through `make test`.")
    annotation = AnnotationFactory(document=document, annotator=owner)
    live = server(threads=2)
    session = session_for(owner)
    url = f"{live.url}/api/annotations/{annotation.pk}/"
    assert session.get(url).status_code == 200

    connection.close()  # this test's own connection dies with the server; Django opens a new one afterwards
    private_cluster("stop")
    try:
        while_down = [session.get(url), session.patch(url, json={"version": 1, "note": "while down"})]
    finally:
        private_cluster("start")
    for response in while_down:
        assert response.status_code == 503, response.text[:500]
        assert "database is unavailable" in response.text

    assert session.get(url).status_code == 200  # the same gunicorn, new connections
    response = session.patch(url, json={"version": 1, "note": "after the restart"})
    assert response.status_code == 200, response.text[:500]
    assert Annotation.objects.get(pk=annotation.pk).note == "after the restart"
