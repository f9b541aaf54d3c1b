"""Settings come from the environment through typed helpers that fail loudly.

Each test executes a fresh copy of smartcity/settings.py under a patched environment, so the
settings Django is running with in this process are never touched.
"""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path
from types import ModuleType

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from smartcity.env import env_bool, env_int, env_list, env_str

SETTINGS_FILE = Path(__file__).resolve().parents[1] / "smartcity" / "settings.py"

# Every variable the settings module reads; each test starts with none of them set.
SETTINGS_VARIABLES = [
    # Read by settings since the documents and abuse merges.
    "DOCUMENT_SIGNING_KEY",
    "DOCUMENT_SIGNING_CERT",
    "DOCUMENT_SIGNING_CHAIN",
    "DOCUMENT_SIGNING_KEY_PASSPHRASE",
    "RATELIMIT_LOGIN_USERNAME",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "EMAIL_TIMEOUT",
    "EMAIL_FILE_PATH",
    "DEFAULT_FROM_EMAIL",
    "PORTAL_URL",
    "INVITATION_DAYS",
    "PASSWORD_RESET_TIMEOUT",
    "RATELIMIT_PASSWORD_RESET",
    "DEBUG",
    "HTTPS_ONLY",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DB_CONN_MAX_AGE",
    "SQLITE_PATH",
    "REDIS_URL",
    "AXES_ENABLED",
    "AXES_FAILURE_LIMIT",
    "AXES_COOLOFF_MINUTES",
    "PROXY_COUNT",
    "RATELIMIT_ENABLED",
    "RATELIMIT_LOGIN",
    "RATELIMIT_LOGIN_USERNAME",
    "RATELIMIT_DOWNLOADS",
    "RATELIMIT_PREVIEWS",
    "SESSION_COOKIE_AGE",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "MEDIA_STORAGE",
    "MEDIA_STORAGE_OPTIONS",
    "EVIDENCE_MAX_UPLOAD_MB",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "LOG_LEVEL",
    "PUBLIC_CACHE_SECONDS",
    "OPEN_DATA_LICENCE_NAME",
    "OPEN_DATA_LICENCE_URL",
    "DEMO_MODE",
    "TASKS_BACKEND",
    "JOBS_HEARTBEAT_SECONDS",
    "JOBS_STALE_SECONDS",
    "JOBS_MAX_ATTEMPTS",
    "READYZ_MAX_TASK_WAIT_SECONDS",
    "JOBS_KEEP_DAYS",
    "LOG_FORMAT",
]

PRODUCTION_SECRET = "p" * 20 + "-production-secret-key-for-tests-only-0123456789"


@pytest.fixture
def load_settings(monkeypatch):
    def load(**env: str) -> ModuleType:
        for name in SETTINGS_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        spec = importlib.util.spec_from_file_location("settings_under_test", SETTINGS_FILE)
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load


# --- The typed helpers ----------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("Yes", True), (" on ", True), ("0", False), ("off", False)],
)
def test_env_bool_reads_the_usual_spellings(raw, expected):
    assert env_bool("FLAG", not expected, environ={"FLAG": raw}) is expected


def test_env_bool_uses_the_default_when_unset():
    assert env_bool("FLAG", True, environ={}) is True
    assert env_bool("FLAG", False, environ={}) is False


def test_env_bool_refuses_a_value_that_is_not_a_boolean():
    with pytest.raises(ImproperlyConfigured, match=r"DEBUG='maybe' is not a boolean"):
        env_bool("DEBUG", False, environ={"DEBUG": "maybe"})


def test_env_int_refuses_words_and_values_below_the_minimum():
    with pytest.raises(ImproperlyConfigured, match=r"WORKERS='ten' is not a whole number"):
        env_int("WORKERS", 2, environ={"WORKERS": "ten"})
    with pytest.raises(ImproperlyConfigured, match=r"WORKERS=0 is below the minimum of 1"):
        env_int("WORKERS", 2, minimum=1, environ={"WORKERS": "0"})
    assert env_int("WORKERS", 2, minimum=1, environ={"WORKERS": "4"}) == 4
    assert env_int("WORKERS", 2, minimum=1, environ={}) == 2


def test_env_list_splits_on_commas_and_drops_blanks():
    environ = {"HOSTS": " portal.example.id, ,www.portal.example.id,"}
    assert env_list("HOSTS", [], environ=environ) == ["portal.example.id", "www.portal.example.id"]
    assert env_list("HOSTS", ["localhost"], environ={}) == ["localhost"]
    assert env_str("NAME", "fallback", environ={}) == "fallback"


# --- The settings module ----------


def test_a_laptop_needs_no_configuration(load_settings):
    settings = load_settings()
    assert settings.DEBUG is False
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings.DATABASES["default"]["NAME"].endswith("db.sqlite3")
    assert settings.ALLOWED_HOSTS == ["127.0.0.1", "localhost", "[::1]"]
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    assert settings.LANGUAGE_CODE == "id"
    assert settings.TIME_ZONE == "Asia/Jakarta"


def test_database_url_selects_postgresql(load_settings):
    settings = load_settings(
        DATABASE_URL="postgres://portal:s3cret@db.internal:5433/smartcity", DB_CONN_MAX_AGE="0"
    )
    database = settings.DATABASES["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == (
        "smartcity",
        "portal",
        "s3cret",
    )
    assert (database["HOST"], database["PORT"]) == ("db.internal", 5433)
    assert database["CONN_MAX_AGE"] == 0


def test_redis_url_selects_a_shared_cache(load_settings):
    settings = load_settings(REDIS_URL="redis://127.0.0.1:6379/1")
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert settings.CACHES["default"]["LOCATION"] == "redis://127.0.0.1:6379/1"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEBUG", "sometimes", r"DEBUG='sometimes' is not a boolean"),
        ("SESSION_COOKIE_AGE", "10", r"SESSION_COOKIE_AGE=10 is below the minimum of 60"),
        ("AXES_FAILURE_LIMIT", "five", r"AXES_FAILURE_LIMIT='five' is not a whole number"),
        ("MEDIA_STORAGE_OPTIONS", "{bucket: x}", r"MEDIA_STORAGE_OPTIONS is not valid JSON"),
        ("RATELIMIT_LOGIN", "ten per minute", r"RATELIMIT_LOGIN='ten per minute' is not a rate"),
        ("RATELIMIT_DOWNLOADS", "60/week", r"RATELIMIT_DOWNLOADS='60/week' is not a rate"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(load_settings, name, value, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        load_settings(**{name: value})


def test_production_refuses_to_start_without_a_secret_key(load_settings):
    with pytest.raises(ImproperlyConfigured, match=r"SECRET_KEY must be set in production"):
        load_settings(HTTPS_ONLY="1", ALLOWED_HOSTS="portal.example.id")


def test_production_turns_on_transport_security(load_settings):
    settings = load_settings(
        HTTPS_ONLY="1", SECRET_KEY=PRODUCTION_SECRET, ALLOWED_HOSTS="portal.example.id"
    )
    assert settings.SECURE_SSL_REDIRECT is True
    assert settings.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert settings.SECURE_HSTS_SECONDS == 31536000
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.CSRF_COOKIE_SECURE is True
    assert settings.ALLOWED_HOSTS == ["portal.example.id"]


def test_media_storage_is_configurable_for_several_app_servers(load_settings):
    settings = load_settings(
        MEDIA_STORAGE="storages.backends.s3.S3Storage",
        MEDIA_STORAGE_OPTIONS='{"bucket_name": "evidence"}',
    )
    assert settings.STORAGES["default"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": "evidence"},
    }


# --- Documentation stays true ----------


def _variables_read_by(path: Path) -> set[str]:
    return set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"', path.read_text()))


def test_every_setting_variable_is_documented_and_isolated_in_these_tests():
    base = SETTINGS_FILE.parents[1]
    readme = (base / "README.md").read_text(encoding="utf-8")
    read = _variables_read_by(SETTINGS_FILE) | _variables_read_by(base / "gunicorn.conf.py")
    assert len(read) > 30
    assert [name for name in sorted(read) if f"`{name}`" not in readme] == []
    # A new variable must be cleared before each settings test above, or the developer's
    # shell would leak into them.
    assert _variables_read_by(SETTINGS_FILE) <= set(SETTINGS_VARIABLES)


def test_the_suite_runs_on_the_database_that_database_url_names():
    # CI sets DATABASE_URL to a throwaway PostgreSQL: this proves the run really used it.
    expected = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    assert connection.vendor == expected


def test_mail_goes_through_smtp_by_default_and_a_file_in_make_run(load_settings, tmp_path):
    smtp = load_settings(EMAIL_HOST="smtp.kominfo.go.id", EMAIL_PORT="587", EMAIL_USE_TLS="1")
    assert smtp.MAILERS["default"]["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert smtp.MAILERS["default"]["OPTIONS"]["host"] == "smtp.kominfo.go.id"
    assert smtp.MAILERS["default"]["OPTIONS"]["port"] == 587
    assert smtp.MAILERS["default"]["OPTIONS"]["use_tls"] is True
    file = load_settings(EMAIL_BACKEND="file", EMAIL_FILE_PATH=str(tmp_path))
    assert file.MAILERS["default"]["OPTIONS"] == {"file_path": str(tmp_path)}


def test_an_unknown_mail_backend_stops_start_up(load_settings):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="EMAIL_BACKEND"):
        load_settings(EMAIL_BACKEND="pigeon")
