"""Production refuses to start without its secrets, and passes Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

pytestmark = pytest.mark.processes
ROOT = Path(__file__).resolve().parents[3]


def _run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    for name in ("FIELD_ENCRYPTION_KEYS", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "REDIS_URL"):
        clean.pop(name, None)
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", **env})
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


GOOD = {
    "SECRET_KEY": "x7!" + "k" * 60 + "Qz#9",
    "ALLOWED_HOSTS": "peerpath.example.org",
    "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "PEERPATH_BASE_URL": "https://peerpath.example.org",
    "DEFAULT_FROM_EMAIL": "Harbour Parents <hello@harbour-parents.example>",
}
REQUIRED = ("SECRET_KEY", "ALLOWED_HOSTS", "FIELD_ENCRYPTION_KEYS")


def test_production_refuses_to_start_without_each_required_variable():
    for missing in REQUIRED:
        settings = {k: v for k, v in GOOD.items() if k != missing}
        result = _run("check", **settings)
        assert result.returncode != 0, f"started without {missing}"
        assert missing in result.stderr


def test_production_refuses_a_development_secret_key():
    result = _run("check", **{**GOOD, "SECRET_KEY": "development-only-key-not-for-production-use"})
    assert result.returncode != 0
    assert "SECRET_KEY must be a random value" in result.stderr


def test_deployment_checks_pass_with_the_required_variables():
    result = _run("check", "--deploy", "--fail-level", "WARNING", **GOOD)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_demo_data_is_never_loaded_in_production():
    result = _run("seed_demo", **GOOD)
    assert result.returncode != 0
    assert "never loaded" in result.stderr


def test_the_deployment_checks_refuse_links_and_a_sender_that_point_at_this_machine():
    for name, value, code in (
        ("PEERPATH_BASE_URL", "http://127.0.0.1:8000", "peerpath.E020"),
        ("PEERPATH_BASE_URL", "http://localhost", "peerpath.E020"),
        ("DEFAULT_FROM_EMAIL", "PeerPath <no-reply@localhost>", "peerpath.E021"),
    ):
        result = _run("check", "--deploy", "--fail-level", "WARNING", **{**GOOD, name: value})
        assert result.returncode != 0, (name, value)
        assert code in result.stderr, result.stderr


def test_the_deployment_checks_refuse_a_cache_private_to_each_process():
    from django.test import override_settings

    from peerpath.core.checks import cache_is_shared_by_every_process

    local = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with override_settings(CACHES=local):
        assert [e.id for e in cache_is_shared_by_every_process()] == ["peerpath.E022"]
    shared = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "t"}
    }
    with override_settings(CACHES=shared):
        assert cache_is_shared_by_every_process() == []


def test_make_run_shows_peerpaths_error_pages_unless_debug_is_asked_for(tmp_path):
    script = (
        "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    )
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.local", PEERPATH_VAR_DIR=str(tmp_path))
    plain = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    asked = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**env, "DEBUG": "true"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert (plain.stdout.strip(), asked.stdout.strip()) == ("False", "True")
