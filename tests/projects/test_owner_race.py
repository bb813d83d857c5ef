"""Two owners demoting or removing each other at the same time: one wins, the project keeps an owner."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.http import Http404

from apps.projects import services
from apps.projects.models import Membership, Role
from tests.factories import MembershipFactory, ProjectFactory

HOLD = 2.0  # seconds the first transaction stays open after its change, so the second runs inside it


def demote(project, acting, target):
    services.membership_add(project=project, user=acting, username=target.username, role=Role.ANNOTATOR)


def remove(project, acting, target):
    membership = Membership.objects.get(project=project, user=target)
    services.membership_remove(project=project, user=acting, membership_id=membership.pk)


@pytest.mark.parametrize("change", [demote, remove])
def test_two_owners_changing_each_other_at_once_leave_one_owner(transactional_db, change):
    project = ProjectFactory()
    first = project.created_by
    second = MembershipFactory(project=project, role=Role.OWNER).user
    first_done, second_done = threading.Event(), threading.Event()
    outcomes = {}

    def run(name, acting, target, before=None, after=None):
        try:
            if before:
                before.wait(10)
            with transaction.atomic():
                change(project, acting, target)
                if after:
                    after[0].set()
                    after[1].wait(HOLD)  # with the owner rows locked, the other change waits for this commit
            outcomes[name] = "done"
        except (ValidationError, PermissionDenied, Http404) as error:
            outcomes[name] = repr(error)  # no longer an owner (or member), or the last owner
        finally:
            if name == "second":
                second_done.set()
            connection.close()

    threads = [
        threading.Thread(target=run, args=("first", first, second), kwargs={"after": (first_done, second_done)}),
        threading.Thread(target=run, args=("second", second, first), kwargs={"before": first_done}),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert Membership.objects.filter(project=project, role=Role.OWNER).count() == 1
    assert outcomes["first"] == "done"
    assert outcomes["second"] != "done"


def test_two_owners_adding_the_same_tag_at_once_get_a_message_not_a_500(transactional_db):
    project = ProjectFactory()
    owner = project.created_by
    created, tried = threading.Event(), threading.Event()
    outcomes = {}

    def add(name, before=None, after=None):
        try:
            if before:
                before.wait(10)
            with transaction.atomic():
                services.tag_create(project=project, user=owner, slug="event", label="Event", color="#123456")
                if after:
                    created.set()
                    tried.wait(HOLD)  # the other insert waits on the unique index until this commits
            outcomes[name] = "done"
        except ValidationError as error:
            outcomes[name] = error.message_dict
        finally:
            if name == "second":
                tried.set()
            connection.close()

    threads = [
        threading.Thread(target=add, args=("first",), kwargs={"after": True}),
        threading.Thread(target=add, args=("second",), kwargs={"before": created}),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert outcomes["first"] == "done"
    assert outcomes["second"] == {"slug": ["The project already has a tag “event” or that key."]}
