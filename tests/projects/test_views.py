import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from apps.annotations.models import Annotation
from apps.projects.models import Membership, Project, Role, Tag
from tests.factories import AnnotationFactory


def test_anyone_logged_in_creates_a_project_and_owns_it(client, outsider):
    client.force_login(outsider)
    response = client.post(reverse("projects:create"), {"name": "Sahel 2024", "description": "", "guidelines": ""})
    project = Project.objects.get(name="Sahel 2024")
    assert response.status_code == 302
    assert Membership.objects.get(project=project).role == Role.OWNER
    assert list(project.tags.values_list("slug", flat=True)) == ["actor", "location", "quantity"]


def test_owner_manages_members(owner_client, project, owner, user_factory):
    colleague = user_factory(username="ben")
    url = reverse("projects:members", args=[project.pk])
    assert owner_client.post(url, {"username": "ben", "role": "viewer"}).status_code == 302
    assert Membership.objects.get(project=project, user=colleague).role == Role.VIEWER
    owner_client.post(url, {"username": "ben", "role": "annotator"})
    assert Membership.objects.get(project=project, user=colleague).role == Role.ANNOTATOR

    unknown = owner_client.post(url, {"username": "nobody", "role": "viewer"})
    assert unknown.status_code == 400
    assert "No user is called" in unknown.content.decode()

    demote_last_owner = owner_client.post(url, {"username": owner.username, "role": "viewer"})
    assert demote_last_owner.status_code == 400
    assert Membership.objects.get(project=project, user=owner).role == Role.OWNER

    membership = Membership.objects.get(project=project, user=colleague)
    owner_client.post(reverse("projects:member-remove", args=[project.pk, membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()
    own = Membership.objects.get(project=project, user=owner)
    owner_client.post(reverse("projects:member-remove", args=[project.pk, own.pk]))
    assert Membership.objects.filter(pk=own.pk).exists()  # the last owner stays


def test_owner_edits_the_tag_set(owner_client, project):
    url = reverse("projects:tags", args=[project.pk])
    data = {"slug": "weapon", "label": "Weapon", "color": "#9b5de5", "shortcut": "w", "description": "Arms used."}
    assert owner_client.post(url, data).status_code == 302
    weapon = Tag.objects.get(project=project, slug="weapon")
    assert weapon.position == 3

    clash = owner_client.post(url, {**data, "slug": "arms"})
    assert clash.status_code == 400
    assert "already another tag" in clash.content.decode()

    actor = project.tags.get(slug="actor")
    edit = {f"tag-{actor.pk}-{k}": v for k, v in {"label": "Armed actor", "color": "#112233", "shortcut": "x"}.items()}
    owner_client.post(
        reverse("projects:tag-update", args=[project.pk, actor.pk]), {**edit, f"tag-{actor.pk}-description": ""}
    )
    actor.refresh_from_db()
    assert (actor.label, actor.color, actor.shortcut, actor.slug) == ("Armed actor", "#112233", "x", "actor")

    owner_client.post(reverse("projects:tag-move", args=[project.pk, weapon.pk]), {"direction": "up"})
    assert list(project.tags.order_by("position").values_list("slug", flat=True)) == [
        "actor", "location", "weapon", "quantity",
    ]  # fmt: skip


def test_a_tag_in_use_is_deleted_only_after_choosing_what_happens(owner_client, project, document):
    location = project.tags.get(slug="location")
    AnnotationFactory(document=document, tag=location)
    AnnotationFactory(document=document, start=6, end=18, tag=location)
    url = reverse("projects:tag-delete", args=[project.pk, location.pk])
    page = owner_client.get(url).content.decode()
    assert "<strong>2</strong> annotations use this tag" in page

    refused = owner_client.post(url, {})
    assert refused.status_code == 400
    assert Tag.objects.filter(pk=location.pk).exists()

    actor = project.tags.get(slug="actor")
    assert owner_client.post(url, {"action": "retag", "retag_to": actor.pk}).status_code == 302
    assert not Tag.objects.filter(pk=location.pk).exists()
    assert Annotation.objects.filter(tag=actor).count() == 2

    quantity = project.tags.get(slug="quantity")
    AnnotationFactory(document=document, tag=quantity)
    owner_client.post(reverse("projects:tag-delete", args=[project.pk, quantity.pk]), {"action": "delete"})
    assert Annotation.objects.count() == 2


@pytest.mark.parametrize("role", ["annotator", "viewer"])
def test_only_owners_manage(client, project, role, annotator, viewer):
    client.force_login(annotator if role == "annotator" else viewer)
    actor = project.tags.get(slug="actor")
    for url in [
        reverse("projects:settings", args=[project.pk]),
        reverse("projects:members", args=[project.pk]),
        reverse("projects:tags", args=[project.pk]),
        reverse("projects:tag-delete", args=[project.pk, actor.pk]),
    ]:
        assert client.get(url).status_code == 403, url
    assert (
        client.post(reverse("projects:tag-delete", args=[project.pk, actor.pk]), {"action": "delete"}).status_code
        == 403
    )
    assert Tag.objects.filter(pk=actor.pk).exists()
    assert client.get(reverse("projects:guidelines", args=[project.pk])).status_code == 200
    page = client.get(reverse("documents:list", args=[project.pk])).content.decode()
    assert reverse("projects:members", args=[project.pk]) not in page  # the UI hides what the role cannot do


def test_guidelines_render_markdown_safely_in_the_reader(owner_client, project, document):
    guidelines = "# Actors\n\nTag **armed groups**.\n\n<script>alert(1)</script>\n\n[link](javascript:alert(1))"
    owner_client.post(
        reverse("projects:settings", args=[project.pk]),
        {"name": project.name, "description": "", "guidelines": guidelines},
    )
    page = owner_client.get(reverse("documents:read", args=[document.pk])).content.decode()
    assert "<h1>Actors</h1>" in page
    assert "<strong>armed groups</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert 'href="javascript:' not in page


def test_layers_show_one_annotators_highlights(owner_client, project, document, owner, annotator):
    mine = AnnotationFactory(document=document, annotator=owner)
    theirs = AnnotationFactory(document=document, start=6, end=18, annotator=annotator)
    url = reverse("documents:read", args=[document.pk])

    def marks(layer):
        return owner_client.get(url, {"layer": layer}).content.decode()

    everyone = marks("")
    assert f'data-ids="{mine.pk}"' in everyone
    assert f'u{annotator.pk}" data-ids="{theirs.pk}"' in everyone
    assert f'"{annotator.pk}": "{annotator.username}"' in everyone  # once, in the legend
    assert f'data-ids="{theirs.pk}"' not in marks("mine")
    assert f'data-ids="{mine.pk}"' not in marks(annotator.username)


def test_owner_deletes_a_document_and_then_the_project(owner_client, project, document):
    AnnotationFactory(document=document)
    assert owner_client.post(reverse("documents:delete", args=[document.pk])).status_code == 302
    assert not Annotation.objects.exists()
    assert project.documents.count() == 0

    owner_client.post(reverse("projects:delete", args=[project.pk]), {"confirm_name": "Syria"})
    assert Project.objects.filter(pk=project.pk).exists()  # the name must be typed exactly
    owner_client.post(reverse("projects:delete", args=[project.pk]), {"confirm_name": "Syria 2019"})
    assert not Project.objects.filter(pk=project.pk).exists()


@pytest.mark.parametrize("slug", ['x"}body{', "a b", "<b>", "x;y"])
def test_the_database_refuses_a_tag_slug_that_could_leave_a_class_name(project, slug):
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(project=project, slug=slug, label="x", color="#000000")
