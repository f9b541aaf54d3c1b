"""A production configuration passes Django's deployment checklist.

``manage.py check --deploy`` runs in a fresh process with only production environment
variables, the way an operator would run it before going live.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[1]


def production_env(**overrides: str) -> dict[str, str]:
    # Only what a process needs to run, plus the production variables: nothing leaks in from
    # the developer's shell (DEBUG=1, a DATABASE_URL, ...).
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="smartcity.settings",
        DEBUG="0",
        HTTPS_ONLY="1",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="portal.example.id",
        CSRF_TRUSTED_ORIGINS="https://portal.example.id",
        DATABASE_URL="postgres://portal:s3cret@db.internal:5432/smartcity",
        REDIS_URL="redis://cache.internal:6379/0",
    )
    env.update(overrides)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in output


def test_check_deploy_is_clean_when_hsts_preload_is_declined():
    env = production_env(SECURE_HSTS_PRELOAD="0")
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "secret_key", [None, "django-insecure-dev-only-key-never-use-in-production"]
)
def test_production_refuses_to_start_without_its_own_secret_key(secret_key):
    env = production_env()
    del env["SECRET_KEY"]
    if secret_key is not None:
        env["SECRET_KEY"] = secret_key
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production (HTTPS_ONLY=1)." in result.stderr


def test_check_deploy_catches_debug_left_on():
    # The same check must fail loudly when a production setting is wrong.
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(DEBUG="1"))
    assert result.returncode != 0
    assert "security.W018" in result.stderr
