import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apps.annotations import services
from apps.annotations.history_selectors import annotation_history, deleted_annotations
from apps.annotations.models import Annotation, AnnotationChange
from tests.api_helpers import token_client
from tests.factories import AnnotationFactory, DocumentFactory

HX = {"HX-Request": "true"}
READING = {
    "kind": "quantity", "low": 3000, "best": 3000, "high": 3000, "qualifier": "exactly", "unit": None,
    "counted": "people", "conservative": 3000,
}  # fmt: skip


def actions(annotation_id):
    return [(entry["action"], entry["who"]) for entry in annotation_history(annotation_id)]


def changes(annotation_id):
    return [entry["changes"] for entry in annotation_history(annotation_id)]


def test_each_service_change_is_recorded_with_before_after_and_user(document, annotator, owner):
    annotation = services.annotation_create(document=document, user=annotator, start=6, end=18, tag="quantity")
    annotation = services.annotation_update(annotation=annotation, user=annotator, version=1, tag="actor")
    annotation = services.annotation_update(annotation=annotation, user=owner, version=2, note="checked")
    annotation = services.annotation_update(annotation=annotation, user=owner, version=3, start=6, end=11)
    pk = annotation.pk
    services.annotation_delete(annotation=annotation, user=owner, version=4)

    assert actions(pk) == [
        ("created", annotator.username),
        ("retagged", annotator.username),
        ("note edited", owner.username),
        ("moved", owner.username),
        ("deleted", owner.username),
    ]
    created, retagged, noted, moved, deleted = changes(pk)
    assert created == {
        "tag": [None, "quantity"], "note": [None, ""], "start": [None, 6], "end": [None, 18],
        "quote": [None, "3,000 people"], "version": [None, 1], "normalized": [None, READING],
    }  # fmt: skip
    assert retagged == {"tag": ["quantity", "actor"], "version": [1, 2], "normalized": [READING, None]}
    assert noted == {"note": ["", "checked"], "version": [2, 3]}
    assert moved == {"end": [18, 11], "quote": ["3,000 people", "3,000"], "version": [3, 4]}
    assert deleted["tag"] == ["actor", None]
    assert deleted["note"] == ["checked", None]
    assert deleted["start"] == [6, None]


def test_one_update_changing_several_fields_names_each(document, owner):
    annotation = services.annotation_create(document=document, user=owner, start=6, end=18, tag="quantity")
    services.annotation_update(annotation=annotation, user=owner, version=1, tag="actor", note="n", start=0, end=5)
    assert actions(annotation.pk)[-1] == ("retagged, note edited, moved", owner.username)


def test_htmx_endpoints_record_the_logged_in_user(owner_client, owner, document):
    owner_client.post(
        reverse("annotations:create", args=[document.pk]),
        {"start": 6, "end": 18, "quote": "3,000 people", "tag": "quantity"},
        headers=HX,
    )
    annotation = Annotation.objects.get()
    pk = annotation.pk
    update = reverse("annotations:update", args=[annotation.pk])
    owner_client.post(update, {"version": 1, "tag": "actor", "note": ""}, headers=HX)
    owner_client.post(update, {"version": 2, "tag": "actor", "note": "spokesman"}, headers=HX)
    owner_client.post(reverse("annotations:delete", args=[annotation.pk]), {"version": 3}, headers=HX)

    assert actions(pk) == [
        ("created", owner.username),
        ("retagged", owner.username),
        ("note edited", owner.username),
        ("deleted", owner.username),
    ]
    assert changes(pk)[2] == {"note": ["", "spokesman"], "version": [2, 3]}


def test_the_details_panel_loads_the_history_list(owner_client, document, owner):
    annotation = services.annotation_create(document=document, user=owner, start=6, end=18, tag="quantity")
    services.annotation_update(annotation=annotation, user=owner, version=1, tag="actor")
    details = owner_client.get(reverse("annotations:details", args=[document.pk]), {"ids": annotation.pk})
    url = reverse("history:annotation", args=[annotation.pk])
    assert f'hx-get="{url}"' in details.content.decode()
    html = owner_client.get(url, headers=HX).content.decode()
    assert "Retagged</strong> by " + owner.username in html
    assert "tag: quantity → actor" in html


def test_api_changes_record_the_token_user_and_the_endpoint_lists_them(document, annotator):
    api = token_client(annotator)
    created = api.post(
        "/api/annotations/", {"document": document.pk, "start": 6, "end": 18, "tag": "quantity"}, format="json"
    ).json()
    url = f"/api/annotations/{created['id']}/"
    assert api.patch(url, {"version": 1, "tag": "actor"}, format="json").status_code == 200
    assert api.patch(url, {"version": 2, "start": 6, "end": 11}, format="json").status_code == 200

    response = api.get(url + "history/")
    assert response.status_code == 200
    body = response.json()
    assert [(entry["action"], entry["who"]) for entry in body] == [
        ("created", annotator.username),
        ("retagged", annotator.username),
        ("moved", annotator.username),
    ]
    assert body[1]["changes"] == {"tag": ["quantity", "actor"], "version": [1, 2], "normalized": [READING, None]}
    assert set(body[0]) == {"id", "when", "who", "action", "changes"}

    assert api.delete(url).status_code == 204
    assert actions(created["id"])[-1] == ("deleted", annotator.username)
    trail = api.get(url + "history/")  # a deleted annotation's audit trail stays readable
    assert trail.status_code == 200
    assert [entry["action"] for entry in trail.json()] == ["created", "retagged", "moved", "deleted"]


def test_tagging_all_occurrences_is_recorded_for_each_new_annotation(project, owner):
    from apps.documents.services import document_create

    document = document_create(project=project, user=owner, title="t", text="IS left. This IS it. IS")
    first = services.annotation_create(document=document, user=owner, start=0, end=2, tag="actor")
    created = services.annotation_tag_occurrences(annotation=first, user=owner)
    assert len(created) == 2
    for annotation in created:
        assert actions(annotation.pk) == [("created", owner.username)]
        assert changes(annotation.pk)[0]["start"] == [None, annotation.start]


def test_bulk_import_is_recorded(project, owner):
    from apps.annotations.importers import PARSERS

    document = DocumentFactory(project=project, text="The SDF said so.")
    records = PARSERS["lector"](f'{{"document": {document.pk}, "start": 4, "end": 7, "tag": "actor"}}'.encode())
    report = services.annotations_import(project=project, user=owner, records=records)
    assert report.created == 1, report.errors
    assert actions(Annotation.objects.get().pk) == [("created", owner.username)]


def test_a_write_outside_any_context_is_still_recorded(document, annotator):
    annotation = AnnotationFactory(document=document, annotator=annotator)  # as a script or raw SQL would
    Annotation.objects.filter(pk=annotation.pk).update(note="raw", version=2)
    assert actions(annotation.pk) == [("created", annotator.username), ("note edited", None)]


def test_the_owner_restores_a_deleted_annotation_as_it_was(document, annotator, owner, project):
    from apps.projects.models import Role
    from tests.factories import MembershipFactory

    annotation = services.annotation_create(
        document=document, user=annotator, start=6, end=18, tag="quantity", note="about"
    )
    pk = annotation.pk
    services.annotation_delete(annotation=annotation, user=annotator)

    colleague = MembershipFactory(project=project, role=Role.ANNOTATOR).user
    with pytest.raises(PermissionDenied):  # only an owner, or whoever deleted it
        services.annotation_restore(annotation_id=pk, user=colleague)
    restored = services.annotation_restore(annotation_id=pk, user=owner)

    assert restored.pk == pk
    assert (restored.document, restored.start, restored.end, restored.quote) == (document, 6, 18, "3,000 people")
    assert (restored.tag.slug, restored.note, restored.annotator, restored.version) == (
        "quantity",
        "about",
        annotator,
        2,
    )
    assert actions(pk)[-2:] == [("deleted", annotator.username), ("restored", owner.username)]
    assert deleted_annotations(document) == []


def test_restore_by_event_id_and_not_twice(document, owner):
    annotation = services.annotation_create(document=document, user=owner, start=6, end=18, tag="quantity")
    pk = annotation.pk
    services.annotation_delete(annotation=annotation, user=owner)
    deletion = AnnotationChange.objects.get(pgh_obj_id=pk, pgh_label="delete")
    assert services.annotation_restore(event_id=deletion.pgh_id, user=owner).pk == pk
    with pytest.raises(services.AnnotationGone, match=f"{owner.username} restored this annotation"):
        services.annotation_restore(event_id=deletion.pgh_id, user=owner)


def test_the_restore_page_is_for_owners(client, document, annotator, viewer, outsider, owner):
    annotation = services.annotation_create(document=document, user=annotator, start=6, end=18, tag="quantity")
    kept = services.annotation_create(document=document, user=annotator, start=0, end=5, tag="actor")
    pk = annotation.pk
    services.annotation_delete(annotation=annotation, user=annotator)
    page = reverse("history:deleted", args=[document.pk])
    restore = reverse("history:restore", args=[document.pk, pk])

    client.force_login(owner)
    html = client.get(page).content.decode()
    assert f'data-annotation-id="{pk}"' in html
    assert f'data-annotation-id="{kept.pk}"' not in html
    assert f"deleted by {annotator.username}" in html
    assert f'action="{restore}"' in html

    for user, status in [(annotator, 403), (viewer, 403), (outsider, 404)]:
        client.force_login(user)
        assert client.get(page).status_code == status, user
        assert client.post(restore).status_code == status, user
    assert not Annotation.objects.filter(pk=pk).exists()

    client.force_login(owner)
    response = client.post(restore)
    assert response.status_code == 302
    assert Annotation.objects.get(pk=pk).annotator == annotator
    assert "Restored" in client.get(response.url).content.decode()


def test_members_see_history_and_outsiders_get_404(client, document, viewer, outsider, owner):
    annotation = services.annotation_create(document=document, user=owner, start=6, end=18, tag="quantity")
    fragment = reverse("history:annotation", args=[annotation.pk])
    api = f"/api/annotations/{annotation.pk}/history/"

    client.force_login(viewer)
    assert client.get(fragment).status_code == 200
    assert token_client(viewer).get(api).json()[0]["action"] == "created"

    client.force_login(outsider)
    assert client.get(fragment).status_code == 404
    assert token_client(outsider).get(api).status_code == 404


@pytest.mark.parametrize("edits", [1, 30])
def test_history_endpoint_queries_do_not_grow_with_changes(api, document, owner, edits, django_assert_max_num_queries):
    annotation = services.annotation_create(document=document, user=owner, start=6, end=18, tag="quantity")
    for version in range(1, edits + 1):
        annotation = services.annotation_update(annotation=annotation, user=owner, version=version, note=f"{version}")
    with django_assert_max_num_queries(3):
        response = api.get(f"/api/annotations/{annotation.pk}/history/")
    assert len(response.json()) == edits + 1


def test_restore_page_queries_do_not_grow_with_deleted_annotations(
    owner_client, document, owner, django_assert_max_num_queries
):
    for start in (0, 6, 19, 26):
        annotation = services.annotation_create(document=document, user=owner, start=start, end=start + 5, tag="actor")
        services.annotation_update(annotation=annotation, user=owner, version=1, note="n")
        services.annotation_delete(annotation=annotation, user=owner)
    with django_assert_max_num_queries(8):
        response = owner_client.get(reverse("history:deleted", args=[document.pk]))
    assert response.content.decode().count("deleted-annotation") == 4


def test_a_deleted_annotations_history_stays_readable_to_members(client, document, annotator, viewer, outsider):
    annotation = services.annotation_create(document=document, user=annotator, start=6, end=18, tag="quantity")
    pk = annotation.pk
    services.annotation_delete(annotation=annotation, user=annotator)
    api = f"/api/annotations/{pk}/history/"
    fragment = reverse("history:annotation", args=[pk])

    response = token_client(viewer).get(api)
    assert response.status_code == 200
    assert [(entry["action"], entry["who"]) for entry in response.json()] == [
        ("created", annotator.username),
        ("deleted", annotator.username),
    ]
    client.force_login(viewer)
    assert "Deleted" in client.get(fragment).content.decode()

    assert token_client(outsider).get(api).status_code == 404
    client.force_login(outsider)
    assert client.get(fragment).status_code == 404
    assert token_client(viewer).get("/api/annotations/²/history/").status_code == 404


def test_the_project_lists_its_deleted_annotations_with_who_and_when(
    client, project, document, annotator, viewer, outsider, owner, django_assert_max_num_queries
):
    other = DocumentFactory(project=project, text="The SDF said so.")
    kept = services.annotation_create(document=document, user=annotator, start=0, end=5, tag="actor")
    first = services.annotation_create(document=document, user=annotator, start=6, end=18, tag="quantity")
    second = services.annotation_create(document=other, user=annotator, start=4, end=7, tag="actor")
    ids = first.pk, second.pk
    services.annotation_delete(annotation=first, user=annotator)
    services.annotation_delete(annotation=second, user=owner)

    viewer_api = token_client(viewer)
    with django_assert_max_num_queries(5):
        response = viewer_api.get("/api/annotations/deleted/", {"project": project.pk})
    assert response.status_code == 200
    body = response.json()
    assert [(item["id"], item["document"], item["deleted_by"]) for item in body] == [
        (ids[1], other.pk, owner.username),
        (ids[0], document.pk, annotator.username),
    ]
    assert body[1]["deleted_at"]
    assert body[1] | {"deleted_at": None} == {
        "id": ids[0], "document": document.pk, "start": 6, "end": 18, "quote": "3,000 people", "tag": "quantity",
        "note": "", "annotator": annotator.username, "version": 1, "deleted_by": annotator.username,
        "deleted_at": None,
    }  # fmt: skip
    assert token_client(outsider).get("/api/annotations/deleted/", {"project": project.pk}).status_code == 404
    assert token_client(viewer).get("/api/annotations/deleted/").status_code == 400

    page = reverse("history:project-deleted", args=[project.pk])
    client.force_login(viewer)
    html = client.get(page).content.decode()
    assert f'data-annotation-id="{ids[0]}"' in html
    assert f'data-annotation-id="{ids[1]}"' in html
    assert f'data-annotation-id="{kept.pk}"' not in html
    assert f"deleted by {owner.username}" in html
    assert "Restore" not in html  # owners restore
    client.force_login(owner)
    assert "Restore" in client.get(page).content.decode()
    assert page in client.get(reverse("documents:list", args=[project.pk])).content.decode()


def test_a_value_set_by_hand_and_back_is_recorded_readably(owner_client, document, owner):
    annotation = services.annotation_create(document=document, user=owner, start=6, end=18, tag="quantity")
    by_hand = {**READING, "best": 2500, "low": 2000, "qualifier": "range"}
    annotation = services.annotation_update(annotation=annotation, user=owner, version=1, normalized=by_hand)
    services.annotation_update(annotation=annotation, user=owner, version=2, normalized=None)

    assert [action for action, _ in actions(annotation.pk)] == [
        "created", "value set by hand", "value read automatically",
    ]  # fmt: skip
    assert changes(annotation.pk)[1]["normalized"] == [READING, by_hand]
    fragment = owner_client.get(reverse("history:annotation", args=[annotation.pk])).content.decode()
    before = "best 3,000 (3,000–3,000, exactly) people, conservative 3,000"
    assert f"value: {before} → best 2,500 (2,000–3,000, range) people, conservative 3,000" in fragment
