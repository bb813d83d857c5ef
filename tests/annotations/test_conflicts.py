"""Writes racing other writes end in a 409 that names who got there first, never a 500 (two connections: the
test's, and a thread's that holds its transaction open until the test's write waits for it)."""

import threading

import pytest
from django.db import connection, transaction
from django.urls import reverse

from apps.annotations import services
from apps.annotations.history_selectors import annotation_history
from apps.annotations.models import Annotation
from apps.annotations.services import tag_delete
from apps.projects.models import Role, Tag
from tests.annotations.test_races import someone_waits_for_a_lock
from tests.api_helpers import token_client
from tests.factories import DocumentFactory, MembershipFactory


def meanwhile(write, started: threading.Event, outcome: dict):
    """Run `write` in a transaction that commits only once another connection waits for one of its locks."""
    try:
        with transaction.atomic():
            outcome["result"] = write()
            started.set()
            outcome["waited"] = someone_waits_for_a_lock()
    finally:
        connection.close()


def racing(write):
    """Start `write` in another thread; return (join, outcome) once it holds its locks."""
    started, outcome = threading.Event(), {}
    thread = threading.Thread(target=meanwhile, args=(write, started, outcome))
    thread.start()
    assert started.wait(20)

    def join():
        thread.join(30)
        assert outcome["waited"]  # the test's write did wait for the other one
        return outcome

    return join


@pytest.fixture
def text_document(project):
    return DocumentFactory(project=project, text="The SDF said so in Baghuz.")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("method", ["patch", "delete"])
def test_a_write_racing_a_delete_answers_409_naming_the_deleter(project, owner, text_document, method):
    annotator = MembershipFactory(project=project, role=Role.ANNOTATOR).user
    annotation = services.annotation_create(document=text_document, user=annotator, start=4, end=7, tag="actor")
    url = f"/api/annotations/{annotation.pk}/"
    join = racing(lambda: services.annotation_delete(annotation=annotation, user=owner))
    try:
        if method == "patch":
            response = token_client(annotator).patch(url, {"version": 1, "note": "late"}, format="json")
        else:
            response = token_client(annotator).delete(url + "?version=1")
    finally:
        join()
    assert response.status_code == 409, response.content
    assert response.json() == {
        "annotation": [f"{owner.username} deleted this annotation meanwhile; your change was not saved."]
    }
    assert not Annotation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_double_restore_answers_409_already_restored(project, owner, text_document):
    annotation = services.annotation_create(document=text_document, user=owner, start=4, end=7, tag="actor")
    pk = annotation.pk
    services.annotation_delete(annotation=annotation, user=owner)
    second_owner = MembershipFactory(project=project, role=Role.OWNER).user
    join = racing(lambda: services.annotation_restore(annotation_id=pk, user=second_owner))
    try:
        with pytest.raises(services.AnnotationGone) as raised:
            services.annotation_restore(annotation_id=pk, user=owner)
    finally:
        join()
    assert str(raised.value) == (
        f"{second_owner.username} restored this annotation meanwhile; your change was not saved."
    )
    assert Annotation.objects.get().pk == pk
    assert [entry["action"] for entry in annotation_history(pk)] == ["created", "deleted", "restored"]


@pytest.mark.django_db(transaction=True)
def test_a_tag_delete_racing_a_create_waits_and_retags_it(project, owner, text_document):
    actor, location = Tag.objects.get(project=project, slug="actor"), Tag.objects.get(project=project, slug="location")
    join = racing(lambda: services.annotation_create(document=text_document, user=owner, start=4, end=7, tag="actor"))
    try:
        count = tag_delete(tag=actor, user=owner, retag_to=location)
    finally:
        outcome = join()
    assert count == 1  # the create committed first; the delete waited, then counted and retagged it
    annotation = Annotation.objects.get()
    assert (annotation.pk, annotation.tag, annotation.version) == (outcome["result"].pk, location, 2)
    assert not Tag.objects.filter(pk=actor.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_tag_delete_page_racing_a_create_says_so(client, project, owner, text_document):
    actor = Tag.objects.get(project=project, slug="actor")
    client.force_login(owner)
    url = reverse("projects:tag-delete", args=[project.pk, actor.pk])
    join = racing(lambda: services.annotation_create(document=text_document, user=owner, start=4, end=7, tag="actor"))
    try:
        response = client.post(url)  # the page showed no annotation with the tag, so no choice was made
    finally:
        join()
    assert response.status_code == 400
    assert "1 annotations use this tag: retag them or delete them." in response.content.decode()
    assert Tag.objects.filter(pk=actor.pk).exists()
    assert Annotation.objects.get().tag == actor


def test_the_409_names_who_made_the_last_change_not_the_author(project, owner, text_document):
    annotator = MembershipFactory(project=project, role=Role.ANNOTATOR).user
    annotation = services.annotation_create(document=text_document, user=annotator, start=4, end=7, tag="actor")
    services.annotation_update(annotation=annotation, user=owner, version=1, note="checked")
    response = token_client(annotator).patch(
        f"/api/annotations/{annotation.pk}/", {"version": 1, "note": "mine"}, format="json"
    )
    assert response.status_code == 409
    assert response.json() == {
        "version": [
            f"{owner.username} changed this annotation first (now version 2); your change was not saved. "
            "Review it and try again."
        ],
        "current_version": 2,
    }


def test_retagging_a_deleted_tags_annotations_raises_their_version(project, owner, text_document):
    actor, location = Tag.objects.get(project=project, slug="actor"), Tag.objects.get(project=project, slug="location")
    annotation = services.annotation_create(document=text_document, user=owner, start=4, end=7, tag="actor")
    tag_delete(tag=actor, user=owner, retag_to=location)
    retagged = Annotation.objects.get()
    assert (retagged.tag, retagged.version) == (location, 2)
    assert retagged.modified > annotation.modified
    with pytest.raises(services.AnnotationConflict):  # an edit started before the retag is stale
        services.annotation_update(annotation=annotation, user=owner, version=1, tag="actor")


@pytest.mark.parametrize("ids", ["²", "1²", "٣", "99999999999999999999999"])
def test_details_ignore_ids_that_are_not_plain_numbers(client, owner, text_document, ids):
    client.force_login(owner)
    response = client.get(reverse("annotations:details", args=[text_document.pk]), {"ids": ids})
    assert response.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_undo_racing_an_undo_answers_409_in_the_reading_view(client, project, owner, text_document):
    annotation = services.annotation_create(document=text_document, user=owner, start=4, end=7, tag="actor")
    pk = annotation.pk
    services.annotation_delete(annotation=annotation, user=owner)
    second_owner = MembershipFactory(project=project, role=Role.OWNER).user
    client.force_login(owner)
    join = racing(lambda: services.annotation_restore(annotation_id=pk, user=second_owner))
    try:
        response = client.post(reverse("annotations:restore", args=[pk]), headers={"HX-Request": "true"})
    finally:
        join()
    assert response.status_code == 409
    assert f"{second_owner.username} restored this annotation meanwhile" in response.content.decode()
    assert Annotation.objects.get().pk == pk
