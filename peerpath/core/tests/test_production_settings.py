"""Production refuses to start without its secrets, and passes Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

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
}


def test_production_refuses_to_start_without_each_required_variable():
    for missing in GOOD:
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
