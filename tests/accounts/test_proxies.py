"""Behind a proxy or not, a client's address is what the trusted proxies say it is, never what the client says."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

TOKEN_RATE = 20  # TOKEN_THROTTLE_RATE's default, per minute


def token_requests(count, forwarded_for):
    client = APIClient()
    return [
        client.post(
            reverse("api-token"), {"username": "x", "password": "y"}, HTTP_X_FORWARDED_FOR=forwarded_for(i)
        ).status_code
        for i in range(count)
    ]


@pytest.mark.django_db
def test_a_forged_forwarded_for_does_not_dodge_the_token_throttle_without_a_proxy():
    codes = token_requests(TOKEN_RATE + 1, lambda i: f"10.0.0.{i}")
    assert codes[-1] == 429


@pytest.mark.django_db
def test_behind_one_proxy_each_client_has_its_own_token_budget(settings):
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {"NUM_PROXIES": 1}
    assert set(token_requests(TOKEN_RATE + 1, lambda i: f"6.6.6.6, 10.0.0.{i}")) == {400}
    # ...while the leftmost entry, which the client wrote itself, changes nothing.
    assert token_requests(TOKEN_RATE + 1, lambda i: f"10.0.{i}.1, 10.0.0.200")[-1] == 429


def failed_logins(client, username, forwarded_for, count=5):
    return [
        client.post(
            reverse("login"), {"username": username, "password": "wrong"}, HTTP_X_FORWARDED_FOR=forwarded_for
        ).status_code
        for _ in range(count)
    ]


def test_behind_one_proxy_a_lockout_is_the_attackers_alone(client, owner, settings):
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {"NUM_PROXIES": 1}
    assert failed_logins(client, owner.username, "203.0.113.9")[-1] == 429
    response = client.post(
        reverse("login"),
        {"username": owner.username, "password": "correct horse battery"},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert response.status_code == 302


def test_without_a_proxy_a_forged_forwarded_for_does_not_reset_the_lockout(client, owner):
    assert failed_logins(client, owner.username, "203.0.113.9")[-1] == 429
    response = client.post(
        reverse("login"),
        {"username": owner.username, "password": "correct horse battery"},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert response.status_code == 429


@pytest.mark.django_db
def test_throttle_counters_live_in_the_shared_database_cache():
    cache.set("probe", 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM lector_cache WHERE cache_key LIKE %s", ["%probe"])
        assert cursor.fetchone()[0] == 1
