"""Settings for the Smart City evaluation portal.

One module for every environment. A laptop needs no configuration at all (embedded SQLite,
DEBUG off unless asked for); production is configured only through environment variables,
read by the typed helpers in ``smartcity.env`` so that a bad value stops start-up with a
clear message. See README.md, "Production", for the full list.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from smartcity.env import check_rate, env_bool, env_int, env_list, env_str
from smartcity.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Core ----------
DEBUG = env_bool("DEBUG", False)
# HTTPS_ONLY marks a production deployment behind TLS: secure cookies, HSTS, SSL redirect.
HTTPS_ONLY = env_bool("HTTPS_ONLY", False)

_DEV_SECRET_KEY = "django-insecure-dev-only-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY)
if HTTPS_ONLY and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production (HTTPS_ONLY=1).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "simple_history",
    "axes",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "smartcity",
    "smartcity.jobs",
    "regions",
    "evaluations",
    "evaluations.documents",
    "smartcity.people",
]

MIDDLEWARE = [
    # One structured log line per request, with its id (X-Request-ID): first, to see all.
    "smartcity.logs.RequestLogMiddleware",
    # /healthz and /readyz for probes: any Host, never redirected (smartcity.health).
    "smartcity.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # CORS for GET/HEAD on /data/ and /api/ only (and their preflight).
    "evaluations.harvest.http.OpenDataCorsMiddleware",
    # Cached public pages for anonymous readers, answered before everything below
    # (evaluations.caching). Request logging and security headers belong above it.
    "evaluations.caching.CachedPublicPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "smartcity.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "smartcity.security.IdleSessionMiddleware",
    # A session that owes its second factor reaches only the sign-in steps
    # (smartcity.people.second_factor).
    "smartcity.people.second_factor.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Turns django-ratelimit's refusal into the 429 page (RATELIMIT_VIEW).
    "django_ratelimit.middleware.RatelimitMiddleware",
    # axes must come last: it reads the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "smartcity.urls"
WSGI_APPLICATION = "smartcity.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "smartcity.context_processors.portal",
                "smartcity.people.context_processors.account",
            ],
        },
    },
]

# --- Database ----------
# Default: an embedded SQLite file. DATABASE_URL (postgres://user:pass@host:port/name) selects
# PostgreSQL, which is what production and CI use.
_DATABASE_URL = env_str("DATABASE_URL", "")
if _DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            _DATABASE_URL,
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {
                # IMMEDIATE avoids "database is locked" upgrades under concurrent writes.
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# /readyz fails when the oldest queued task has waited longer than this (0: never).
READYZ_MAX_TASK_WAIT_SECONDS = env_int("READYZ_MAX_TASK_WAIT_SECONDS", 0, minimum=0)

# Reference data (regions, cohorts, dimensions, the default instrument): `loaddata regions`.
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# --- Cache ----------
# Cached public pages are keyed by the version of the data they show (see
# evaluations.caching), so a per-process cache stays correct behind many app servers; a shared
# Redis cache (REDIS_URL) only raises the hit rate.
_REDIS_URL = env_str("REDIS_URL", "")
if _REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _REDIS_URL,
            "KEY_PREFIX": "smartcity",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "smartcity",
        }
    }
# With a shared cache the published-data version lives in it, rewritten on every
# publication, so a cached page costs no database query on any app server; with a
# per-process cache each process reads the version from the database.
PUBLIC_VERSION_IN_CACHE = bool(_REDIS_URL)

# --- Background tasks (docs/tasks.md) ----------
# Django's Tasks framework with a queue in the portal's own database (django-tasks-db): no
# extra server. `manage.py worker` runs the tasks and the periodic jobs; `make run` starts one.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# A running job writes a heartbeat this often; one silent for JOBS_STALE_SECONDS lost its
# worker and is queued again (at most JOBS_MAX_ATTEMPTS runs in all) or marked failed.
JOBS_HEARTBEAT_SECONDS = env_int("JOBS_HEARTBEAT_SECONDS", 5, minimum=1)
JOBS_STALE_SECONDS = env_int("JOBS_STALE_SECONDS", 60, minimum=5)
JOBS_MAX_ATTEMPTS = env_int("JOBS_MAX_ATTEMPTS", 2, minimum=1)
# Finished jobs and their result files are deleted after this many days.
JOBS_KEEP_DAYS = env_int("JOBS_KEEP_DAYS", 14, minimum=1)
# Periodic jobs (smartcity.jobs.periodic): dotted path called with no arguments, every N seconds.
PERIODIC_JOBS: dict[str, dict[str, str | int]] = {
    "recover_jobs": {"call": "smartcity.jobs.periodic.recover_jobs", "every": 30},
    "clearsessions": {"call": "smartcity.jobs.periodic.clear_sessions", "every": 60 * 60},
    "prune_jobs": {"call": "smartcity.jobs.periodic.prune_jobs", "every": 24 * 60 * 60},
    "reminders": {"call": "smartcity.jobs.periodic.reminders", "every": 60 * 60},
    # Import files previewed but never applied (issue 12).
    "import_uploads": {
        "call": "evaluations.services.imports.import_uploads_clear_expired",
        "every": 60 * 60,
    },
}
# The reminder senders the "reminders" periodic job calls (dotted paths, no arguments).
REMINDER_SENDERS: list[str] = ["smartcity.people.notifications.send_deadline_reminders"]

# --- Authentication ----------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "public:home"

# Lock-out after repeated failures, per username and address pair so that one attacker
# cannot lock a real user out from everywhere.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Reverse proxies in front of gunicorn: the client's address is read from X-Forwarded-For
# only through them (smartcity.security.client_ip), never from a header the client wrote.
PROXY_COUNT = env_int("PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "smartcity.security.client_ip"

# Rate limits (django-ratelimit, counted in the default cache; see smartcity.security):
# "<count>/<period>" with period s, m, h or d, e.g. "10/m"; empty turns one limit off.
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLED", True)
RATELIMIT_LOGIN = check_rate("RATELIMIT_LOGIN", env_str("RATELIMIT_LOGIN", "10/m"))
# Per user name, from any address (a spread-out guess at one account).
RATELIMIT_LOGIN_USERNAME = check_rate(
    "RATELIMIT_LOGIN_USERNAME", env_str("RATELIMIT_LOGIN_USERNAME", "10/5m")
)
RATELIMIT_DOWNLOADS = check_rate("RATELIMIT_DOWNLOADS", env_str("RATELIMIT_DOWNLOADS", "60/m"))
RATELIMIT_PREVIEWS = check_rate("RATELIMIT_PREVIEWS", env_str("RATELIMIT_PREVIEWS", "600/m"))
RATELIMIT_PASSWORD_RESET = check_rate(
    "RATELIMIT_PASSWORD_RESET", env_str("RATELIMIT_PASSWORD_RESET", "5/h")
)
RATELIMIT_VIEW = "smartcity.security.rate_limited"

# A login ends after SESSION_COOKIE_AGE seconds without a request (idle timeout): every
# request moves the expiry forward, writing the session at most once per
# SESSION_REFRESH_SECONDS (smartcity.security.IdleSessionMiddleware).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 2 * 60 * 60, minimum=60)
SESSION_REFRESH_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Two-factor sign-in (smartcity.people.second_factor): the issuer shown in authenticator apps.
OTP_TOTP_ISSUER = "Portal Smart City"
# An invitation link works for this many days (a resend starts the period again).
INVITATION_DAYS = env_int("INVITATION_DAYS", 7, minimum=1)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60, minimum=60)

# --- E-mail ----------
# EMAIL_BACKEND "smtp" (the default) sends through EMAIL_HOST; "console" prints messages,
# "file" writes them under EMAIL_FILE_PATH (what `make run` uses: see README, "E-mail").
_EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
}
_email_backend = env_str("EMAIL_BACKEND", "smtp")
if _email_backend not in _EMAIL_BACKENDS:
    raise ImproperlyConfigured(
        f"EMAIL_BACKEND must be one of {', '.join(_EMAIL_BACKENDS)}, not {_email_backend!r}."
    )
_EMAIL_OPTIONS: dict[str, object] = {
    "smtp": {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25, minimum=1),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "use_ssl": env_bool("EMAIL_USE_SSL", False),
        "timeout": env_int("EMAIL_TIMEOUT", 30, minimum=1),
    },
    "file": {"file_path": env_str("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))},
    "console": {},
}
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKENDS[_email_backend],
        "OPTIONS": _EMAIL_OPTIONS[_email_backend],
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Portal Smart City <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in e-mails and calendar entries start with PORTAL_URL (see "Official documents").

# --- Internationalisation ----------
LANGUAGE_CODE = "id"
# Each language's name in that language (the switcher must read "English" to an Indonesian
# reader and "Bahasa Indonesia" to an English one): deliberately not translated.
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static and media ----------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Evidence files are never served from a public path: downloads go through a view that checks
# the reader's rights. MEDIA_ROOT is therefore outside STATIC_ROOT and has no URL.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = None

_MEDIA_STORAGE_OPTIONS = env_str("MEDIA_STORAGE_OPTIONS", "")
try:
    _media_options = json.loads(_MEDIA_STORAGE_OPTIONS) if _MEDIA_STORAGE_OPTIONS else {}
except json.JSONDecodeError as exc:
    raise ImproperlyConfigured(f"MEDIA_STORAGE_OPTIONS is not valid JSON: {exc}") from None

STORAGES = {
    # MEDIA_STORAGE names any Django storage backend, e.g. storages.backends.s3.S3Storage for a
    # shared object store, so that several app servers see the same evidence files.
    "default": {
        "BACKEND": env_str("MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": _media_options or {"location": str(MEDIA_ROOT)},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# Evidence uploads: the largest file accepted, in megabytes.
EVIDENCE_MAX_UPLOAD_MB = env_int("EVIDENCE_MAX_UPLOAD_MB", 10, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Forms ----------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security ----------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "smartcity.views.csrf_failure"

if HTTPS_ONLY:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # The TLS-terminating proxy in front of gunicorn sets this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # The preload flag only signals consent; listing the domain in browsers is a separate,
    # manual submission. A deployment that opts out has decided so, and check --deploy should
    # not keep warning about it.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Built-in Content Security Policy (Django 6): no inline script or style anywhere; scripts
# are vendored files under /static/.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- Logging ----------
# Structured logs (smartcity.logs): one JSON line per request and per domain event, readable
# text in development. LOG_FORMAT=json|text overrides the choice.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r} must be json or text.")
LOGGING = logging_config(LOG_FORMAT, env_str("LOG_LEVEL", "INFO"))

# --- Portal ----------
# The portal's name in the reader's language (header, page titles, open-data credit).
PORTAL_NAME = _("Portal Evaluasi Smart City")
# Demo accounts exist only where `manage.py load_demo` ran; it refuses to run in production.
DEMO_PASSWORD = "demo12345"  # noqa: S105
# Public pages are cached under a key holding the data version (see evaluations.caching);
# edits that do not change the version (programme wording, awards) show within this time.
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 300, minimum=0)

# Licence stated on every open-data download and on the open-data page.
OPEN_DATA_LICENCE_NAME = env_str("OPEN_DATA_LICENCE_NAME", "CC BY 4.0")
OPEN_DATA_LICENCE_URL = env_str(
    "OPEN_DATA_LICENCE_URL", "https://creativecommons.org/licenses/by/4.0/"
)

# DEMO_MODE shows a banner on every page saying the data is a demo (set by `make run`).
DEMO_MODE = env_bool("DEMO_MODE", False)

# --- Official documents (result letters, minutes) ----------
# The portal's public address, printed on documents under their QR code (/verify/<code>/).
PORTAL_URL = env_str("PORTAL_URL", "http://127.0.0.1:8000")
# PAdES signing certificate and key (PEM or DER paths; chain: comma-separated paths). Without
# them documents are rendered as visibly unsigned drafts.
DOCUMENT_SIGNING_KEY = env_str("DOCUMENT_SIGNING_KEY", "")
DOCUMENT_SIGNING_CERT = env_str("DOCUMENT_SIGNING_CERT", "")
DOCUMENT_SIGNING_CHAIN = env_list("DOCUMENT_SIGNING_CHAIN", [])
DOCUMENT_SIGNING_KEY_PASSPHRASE = env_str("DOCUMENT_SIGNING_KEY_PASSPHRASE", "")
if bool(DOCUMENT_SIGNING_KEY) != bool(DOCUMENT_SIGNING_CERT):
    raise ImproperlyConfigured(
        "Set both DOCUMENT_SIGNING_KEY and DOCUMENT_SIGNING_CERT, or neither."
    )
for _name in ("DOCUMENT_SIGNING_KEY", "DOCUMENT_SIGNING_CERT"):
    _path = globals()[_name]
    if _path and not Path(_path).is_file():
        raise ImproperlyConfigured(f"{_name}={_path!r} is not a readable file.")
