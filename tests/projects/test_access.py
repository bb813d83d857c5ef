"""The access gates answer the object and the caller's membership together, in one query."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from apps.annotations.selectors import access_annotation
from apps.documents.selectors import access_document
from apps.projects.models import Membership, Role
from apps.projects.selectors import ANNOTATE_ROLES, Member, access_project
from tests.factories import AnnotationFactory, ProjectFactory


def test_access_project_answers_the_project_and_the_membership_in_one_query(project, viewer, django_assert_num_queries):
    with django_assert_num_queries(1):
        found, membership = access_project(viewer, project.pk)
        assert (found, membership.role, membership.project, membership.user) == (project, Role.VIEWER, project, viewer)
    assert membership.pk == Membership.objects.get(project=project, user=viewer).pk


def test_access_project_refuses_outsiders_with_404_and_other_roles_with_403(project, viewer, outsider):
    with pytest.raises(Http404):
        access_project(outsider, project.pk)
    with pytest.raises(Http404):
        access_project(AnonymousUser(), project.pk)
    with pytest.raises(PermissionDenied):
        access_project(viewer, project.pk, roles=ANNOTATE_ROLES)


def test_access_project_reads_only_the_callers_membership(project, owner, annotator, viewer):
    other = ProjectFactory()
    Membership.objects.create(project=other, user=viewer, role=Role.OWNER)
    assert access_project(viewer, project.pk)[1].role == Role.VIEWER
    assert access_project(viewer, other.pk)[1].role == Role.OWNER
    assert access_project(annotator, project.pk)[1].role == Role.ANNOTATOR


def test_access_document_answers_the_document_its_project_and_the_membership_in_one_query(
    document, annotator, django_assert_num_queries
):
    with django_assert_num_queries(1):
        found, membership = access_document(annotator, document.pk, roles=ANNOTATE_ROLES)
        assert (found.project.name, found.imported_by.username) == (
            document.project.name,
            document.imported_by.username,
        )
        assert (membership.role, membership.project) == (Role.ANNOTATOR, document.project)


def test_access_document_refuses_outsiders_with_404_and_viewers_a_write_with_403(document, viewer, outsider):
    with pytest.raises(Http404):
        access_document(outsider, document.pk)
    with pytest.raises(PermissionDenied):
        access_document(viewer, document.pk, roles=ANNOTATE_ROLES)
    assert access_document(viewer, document.pk)[1].role == Role.VIEWER


def test_access_annotation_answers_the_annotation_and_the_membership_in_one_query(
    document, owner, viewer, outsider, django_assert_num_queries
):
    annotation = AnnotationFactory(document=document)
    with django_assert_num_queries(1):
        found, membership = access_annotation(viewer, annotation.pk)
        assert (found.document.project, found.tag.slug, found.annotator) == (document.project, "actor", owner)
        assert membership.role == Role.VIEWER
    with pytest.raises(Http404):
        access_annotation(outsider, annotation.pk)
    with pytest.raises(PermissionDenied):
        access_annotation(viewer, annotation.pk, roles=ANNOTATE_ROLES)


@pytest.mark.parametrize(
    ("role", "can_annotate", "is_owner", "edits_own", "edits_others"),
    [
        (Role.OWNER, True, True, True, True),
        (Role.ANNOTATOR, True, False, True, False),
        (Role.VIEWER, False, False, False, False),
    ],
)
def test_the_member_object_answers_what_a_role_may_do(
    request, document, owner, annotator, viewer, role, can_annotate, is_owner, edits_own, edits_others
):
    user = {Role.OWNER: owner, Role.ANNOTATOR: annotator, Role.VIEWER: viewer}[role]
    member = Member(access_project(user, document.project_id)[1])
    own, others = (
        AnnotationFactory(document=document, annotator=user),
        AnnotationFactory(document=document, annotator=ProjectFactory().created_by),
    )
    assert (member.can_annotate, member.is_owner) == (can_annotate, is_owner)
    assert (member.may_edit(own), member.may_edit(others)) == (edits_own, edits_others)


def test_a_non_member_may_do_nothing(document):
    member = Member(None)
    assert (member.can_annotate, member.is_owner, member.may_edit(AnnotationFactory(document=document))) == (
        False,
        False,
        False,
    )
