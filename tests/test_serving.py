"""Production serving: gunicorn.conf.py and its environment variables, the README's command (the one `make bench`
runs), and the state several workers or app servers share: throttle counters, cached values, sessions and login
failures live in PostgreSQL, never in one process's memory."""

import ast
import runpy
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient

from apps.accounts.api import TokenView

ROOT = Path(__file__).resolve().parent.parent


def gunicorn_settings(monkeypatch, **env):
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "PORT", "GUNICORN_BIND", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_defaults_are_the_measured_choice(monkeypatch):
    conf = gunicorn_settings(monkeypatch)
    assert (conf["workers"], conf["threads"], conf["worker_class"]) == (2, 4, "gthread")
    assert conf["bind"] == ["127.0.0.1:8000"]
    assert conf["wsgi_app"] == "config.wsgi"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"WEB_CONCURRENCY": "5", "GUNICORN_THREADS": "1"}, {"workers": 5, "threads": 1, "worker_class": "sync"}),
        ({"GUNICORN_THREADS": "8"}, {"threads": 8, "worker_class": "gthread"}),
        ({"PORT": "9000"}, {"bind": ["127.0.0.1:9000"]}),
        ({"GUNICORN_BIND": "0.0.0.0:8000", "PORT": "9000"}, {"bind": ["0.0.0.0:8000"]}),
        ({"GUNICORN_TIMEOUT": "300"}, {"timeout": 300}),
    ],
)
def test_gunicorn_settings_follow_the_environment(monkeypatch, env, expected):
    conf = gunicorn_settings(monkeypatch, **env)
    assert {name: conf[name] for name in expected} == expected


def test_the_readme_serves_with_the_command_the_benchmark_runs():
    tree = ast.parse((ROOT / "bench" / "support.py").read_text())
    command = next(
        node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "PRODUCTION_COMMAND"
    )
    assert command.startswith("gunicorn -c gunicorn.conf.py")
    assert command in (ROOT / "README.md").read_text()


def cache_keys():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {connection.ops.quote_name(settings.CACHES['default']['LOCATION'])}")
        return [key for (key,) in cursor.fetchall()]


def test_migrate_creates_the_cache_table(db):
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert settings.CACHES["default"]["LOCATION"] in connection.introspection.table_names()


def test_the_token_throttle_counts_in_the_database_cache(owner):
    cache.clear()
    APIClient().post("/api/auth/token/", {"username": owner.username, "password": "guess"}, format="json")
    throttle = TokenView.throttle_classes[0]()
    assert throttle.cache is cache  # DRF's throttles use the default cache
    assert [key for key in cache_keys() if "throttle_token_" in key], "the counter is a row other workers can read"


def test_sessions_and_login_failures_are_stored_in_the_database():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert getattr(settings, "AXES_HANDLER", "axes.handlers.database.AxesDatabaseHandler") == (
        "axes.handlers.database.AxesDatabaseHandler"
    )
