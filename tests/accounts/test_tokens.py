import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.api_helpers import token_client


def test_delete_revokes_the_callers_token(owner, viewer):
    client = token_client(owner)
    others = Token.objects.get_or_create(user=viewer)[0]
    assert client.delete(reverse("api-token")).status_code == 204
    assert client.get("/api/projects/").status_code == 401
    assert list(Token.objects.values_list("key", flat=True)) == [others.key]


def test_delete_needs_a_token_or_a_session(db):
    assert APIClient().delete(reverse("api-token")).status_code == 401


def test_a_new_password_revokes_the_token(owner):
    client = token_client(owner)
    owner.set_password("a new long passphrase")
    owner.save()
    assert client.get("/api/projects/").status_code == 401


def test_changepassword_command_revokes_the_token(owner, monkeypatch):
    client = token_client(owner)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "another long passphrase 42")
    call_command("changepassword", owner.username, stdout=io.StringIO())
    assert client.get("/api/projects/").status_code == 401


@pytest.mark.parametrize("fields", [["last_login"], None])
def test_saves_that_do_not_change_the_password_keep_the_token(owner, fields):
    client = token_client(owner)
    owner.save(update_fields=fields)
    assert client.get("/api/projects/").status_code == 200


def test_a_login_that_upgrades_the_password_hash_keeps_the_token(owner, settings):
    client = token_client(owner)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher", *settings.PASSWORD_HASHERS]
    assert owner.check_password("correct horse battery")  # rehashes with the new preferred hasher and saves
    assert owner.password.startswith("pbkdf2_sha256$")
    assert client.get("/api/projects/").status_code == 200
