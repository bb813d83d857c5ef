"""Every URL in the URL conf, as owner, annotator, viewer, outsider and anonymous, against a table of who may do
what. A URL without a row in the table fails: a new page, fragment or endpoint must say who may use it."""

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from apps.annotations import services as annotation_services
from apps.projects.models import Membership
from tests.api_helpers import token_client
from tests.factories import AnnotationFactory

ROLES = ("owner", "annotator", "viewer", "outsider", "anonymous")
# What each role gets: "ok" (through the gate: 2xx, 3xx elsewhere than the login page, 400, 405, 409, 422),
# "login" (sent to log in: a redirect to the login page, or 401), 403 or 404.
READ = ("ok", "ok", "ok", 404, "login")
ANNOTATE = ("ok", "ok", 403, 404, "login")
OWN = ("ok", "ok", 403, 404, "login")  # the annotator acts on their own annotation
OWNER = ("ok", 403, 403, 404, "login")
ANY_USER = ("ok", "ok", "ok", "ok", "login")
PUBLIC = ("ok", "ok", "ok", "ok", "ok")


@dataclass(frozen=True)
class Row:
    method: str
    expected: tuple
    api: bool = False
    body: str = ""  # a world key whose value is the request body
    format: str = "json"


TABLE = {
    "login": Row("get", PUBLIC),
    "logout": Row("post", ("login",) * 5),  # logging out sends everyone to the login page
    "projects:list": Row("get", ANY_USER),
    "projects:create": Row("get", ANY_USER),
    "projects:settings": Row("post", OWNER),
    "projects:delete": Row("post", OWNER),
    "projects:guidelines": Row("get", READ),
    "projects:members": Row("post", OWNER),
    "projects:member-remove": Row("post", OWNER),
    "projects:tags": Row("post", OWNER),
    "projects:tag-update": Row("post", OWNER),
    "projects:tag-move": Row("post", OWNER),
    "projects:tag-delete": Row("post", OWNER),
    "documents:list": Row("get", READ),
    "documents:import": Row("post", ANNOTATE),
    "documents:read": Row("get", READ),
    "documents:edit": Row("post", ANNOTATE),
    "documents:delete": Row("post", OWNER),
    "annotations:create": Row("post", ANNOTATE),
    "annotations:details": Row("get", READ),
    "annotations:panel": Row("get", READ),
    "annotations:refresh": Row("get", READ),
    "annotations:update": Row("post", OWN),
    "annotations:delete": Row("post", OWN),
    "annotations:occurrences": Row("post", ANNOTATE),
    "annotations:restore": Row("post", OWN),  # Undo: the annotator deleted their own annotation
    "api-token": Row("post", PUBLIC, api=True),
    "api-schema": Row("get", PUBLIC, api=True),  # the API's description holds no data
    "api-docs": Row("get", PUBLIC, api=True),
    "api-root": Row("get", ANY_USER, api=True),
    "api-import-annotations": Row(
        "post", ("ok", "ok", 403, 404, "login"), api=True, body="import_form", format="multipart"
    ),
    "project-list": Row("get", ANY_USER, api=True),
    "project-detail": Row("get", READ, api=True),
    "tag-list": Row("get", ANY_USER, api=True),
    "tag-detail": Row("get", READ, api=True),
    # An outsider's create names a project or document they cannot see: 400 "does not exist", as for any bad id.
    "document-list": Row("post", ("ok", "ok", 403, "ok", "login"), api=True, body="new_document"),
    "document-detail": Row("delete", OWNER, api=True),
    "annotation-list": Row("post", ("ok", "ok", 403, "ok", "login"), api=True, body="new_annotation"),
    "annotation-bulk": Row("post", ("ok", "ok", "ok", "ok", "login"), api=True),  # per-item errors, 400
    "annotation-detail": Row("patch", OWN, api=True),
    "exports:export": Row("get", ANY_USER, api=True),  # an outsider's export is empty
    "history:annotation": Row("get", READ),
    "history:deleted": Row("get", OWNER),
    "history:restore": Row("post", OWNER),
    "history:project-deleted": Row("get", READ),
    "annotation-deleted": Row("get", READ, api=True, body="deleted_query"),
    "annotation-history": Row("get", READ, api=True),
    "agreement:page": Row("get", READ),
    "agreement:api": Row("get", ("ok", "ok", "ok", 404, "login"), api=True, body="agreement_query"),
}
NOT_IN_TABLE = ("admin:",)  # Django's admin has its own gate (staff only)


def test_every_url_has_a_row():
    names = {name for name, _ in _patterns() if not name.startswith(NOT_IN_TABLE)}
    assert sorted(names - set(TABLE)) == [], "add these URLs to the permission table"
    assert sorted(set(TABLE) - names) == [], "these rows name URLs that no longer exist"


@pytest.fixture
def world(project, owner, annotator, viewer, outsider, document):
    annotation = AnnotationFactory(document=document, annotator=annotator)
    gone = AnnotationFactory(document=document, start=6, end=18, annotator=annotator)
    deleted_annotation_id = gone.pk
    annotation_services.annotation_delete(annotation=gone, user=annotator)
    return {
        "users": {"owner": owner, "annotator": annotator, "viewer": viewer, "outsider": outsider, "anonymous": None},
        "project_id": project.pk,
        "document_id": document.pk,
        "annotation_id": annotation.pk,
        "deleted_annotation_id": deleted_annotation_id,
        "tag_id": project.tags.get(slug="actor").pk,
        "membership_id": Membership.objects.get(project=project, user=annotator).pk,
        "new_document": {"project": project.pk, "title": "New", "text": "Fresh report."},
        "new_annotation": {"document": document.pk, "start": 0, "end": 5, "tag": "actor"},
        "deleted_query": {"project": project.pk},
        "import_form": {"project": project.pk, "format": "doccano"},
        "agreement_query": {"project": project.pk, "annotators": [owner.username, annotator.username]},
    }


def url_for(name: str, world: dict) -> str:
    pattern = next(p for p in _patterns() if p[0] == name)[1]
    kwargs = {}
    for key in pattern.converters or pattern.regex.groupindex:
        if key == "pk":
            kwargs["pk"] = world[PK_FOR[name]]
        elif key == "annotation_id" and name in ("history:restore", "annotations:restore"):
            kwargs[key] = world["deleted_annotation_id"]
        elif key != "format":
            kwargs[key] = world[key]
    return reverse(name, kwargs=kwargs)


PK_FOR = {
    "project-detail": "project_id",
    "tag-detail": "tag_id",
    "document-detail": "document_id",
    "annotation-detail": "annotation_id",
    "annotation-history": "annotation_id",
}


def _patterns(patterns=None, namespace=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from _patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern.pattern


def category(response) -> object:
    if response.status_code == 401 or (
        response.status_code == 302 and response["Location"].startswith(reverse("login"))
    ):
        return "login"
    if response.status_code in (403, 404):
        return response.status_code
    assert response.status_code < 500
    return "ok"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(TABLE))
def test_who_may_use_each_url(name, role, world):
    row = TABLE[name]
    user = world["users"][role]
    if row.api:
        client = token_client(user) if user else APIClient()
    else:
        client = Client()
        if user:
            client.force_login(user)
    url = url_for(name, world)
    data = world[row.body] if row.body else None
    response = getattr(client, row.method)(
        url, data, **({"format": row.format} if row.api and row.method != "get" else {})
    )
    expected = row.expected[ROLES.index(role)]
    assert category(response) == expected, f"{role} {row.method.upper()} {url}: {response.status_code}"
