import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)


def production_env(**overrides):
    ignored = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # the browser tests set the last
    env = {k: v for k, v in os.environ.items() if k not in ignored}
    env.update(
        DEBUG="0",
        SECRET_KEY="a-long-random-production-secret-key-with-enough-entropy-0123456789",
        ALLOWED_HOSTS="lector.example.org",
        DATABASE_URL=os.environ.get("DATABASE_URL", "postgres://lector@/lector"),
    )
    env.update(overrides)
    return env


def test_check_deploy_passes_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_a_command_typed_in_the_clone_finds_the_private_database(tmp_path):
    """`.venv/bin/python manage.py ...` as the README prints it: no DEBUG, SECRET_KEY or DATABASE_URL in the
    environment, only the `.env` file that `make` writes (here into a temporary file)."""
    env_file = tmp_path / "dev.env"
    subprocess.run(["make", "-s", f"ENV_FILE={env_file}", "dev-env"], cwd=ROOT, check=True)
    unset = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    typed_env = {k: v for k, v in os.environ.items() if k not in unset}
    typed_env["LECTOR_ENV_FILE"] = str(env_file)
    result = manage(
        "shell", "-c", "from django.db import connection; connection.ensure_connection(); print('connected')",
        env=typed_env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "connected" in result.stdout


def test_only_the_browser_tests_allow_the_orm_beside_an_event_loop():
    assert "DJANGO_ALLOW_ASYNC_UNSAFE" not in os.environ


def test_collectstatic_with_the_production_storage_finds_every_file_a_vendored_file_names(tmp_path):
    """The manifest storage follows url() and sourceMappingURL references: a vendored file naming a file we did not
    vendor (leaflet.js and its source map) stops `collectstatic`, and with it every production start."""
    result = manage("collectstatic", "--noinput", "-v0", env=production_env(STATIC_ROOT=str(tmp_path)))
    assert result.returncode == 0, result.stdout + result.stderr
