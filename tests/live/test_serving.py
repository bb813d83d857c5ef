"""The live server's gunicorn settings, and the README's command for it (the one bench/live.py runs)."""

import ast
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def live_settings(monkeypatch, **env):
    for name in ("LIVE_CONCURRENCY", "LIVE_PORT", "LIVE_BIND"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn_live.conf.py"))


def test_the_live_server_is_one_uvicorn_worker_on_the_asgi_application(monkeypatch):
    conf = live_settings(monkeypatch)
    assert (conf["workers"], conf["worker_class"]) == (1, "uvicorn_worker.UvicornWorker")
    assert conf["wsgi_app"] == "config.asgi:application"
    assert conf["bind"] == ["127.0.0.1:8001"]
    assert live_settings(monkeypatch, LIVE_PORT="9001")["bind"] == ["127.0.0.1:9001"]
    assert live_settings(monkeypatch, LIVE_BIND="0.0.0.0:8001", LIVE_PORT="9001")["bind"] == ["0.0.0.0:8001"]
    assert live_settings(monkeypatch, LIVE_CONCURRENCY="3")["workers"] == 3


def test_the_readme_serves_live_updates_with_the_command_the_benchmark_runs():
    tree = ast.parse((ROOT / "bench" / "live.py").read_text())
    command = next(
        node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "LIVE_COMMAND"
    )
    assert command == "gunicorn -c gunicorn_live.conf.py"
    assert command in (ROOT / "README.md").read_text()
