"""The cast every test can call by name, so permission tests read like sentences:

- ``manager``   – a Kominfo round manager
- ``reviewer``  – a Kominfo reviewer (on Kota Bekasi's panel where a test assigns them)
- ``reviewer2``, ``reviewer3`` – the demo's other Kominfo reviewers
- ``outsider_reviewer`` – a reviewer on no panel
- ``bekasi``    – an operator of Kota Bekasi (32.75, Jawa Barat)
- ``bandung``   – an operator of Kota Bandung (32.73, Jawa Barat)
- ``anonymous`` – a public reader (``client`` with nobody logged in)

They are made by the factories of ``tests/factories.py`` (``factories.cast()`` makes them all
outside pytest).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from asgiref.local import Local
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.tasks import task_backends
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from regions.models import Region
from smartcity.people.second_factor import REQUIRED_SESSION_KEY
from tests import factories

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"

if "mutants" in Path(__file__).parts:
    # Under mutation testing (`make mutation`, scripts/mutation.py) a mutant fails every
    # example: skip shrinking it (minutes per mutant) and draw the same examples each run.
    from hypothesis import Phase
    from hypothesis import settings as hypothesis_settings

    hypothesis_settings.register_profile(
        "mutation",
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        derandomize=True,
        database=None,
    )
    hypothesis_settings.load_profile("mutation")


def pytest_configure(config: pytest.Config) -> None:
    """Compile stale translations (a .po newer than its .mo), so that `pytest tests/...`
    without `make` renders English pages from the current catalogue.

    Runs as the root conftest loads, before any test has loaded a catalogue. msgfmt writes
    to a temporary file that replaces the .mo at once: pytest-xdist workers may race here.
    """
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return
    for po in LOCALE_DIR.glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        tmp = mo.with_suffix(f".{os.getpid()}.tmp")
        subprocess.run([msgfmt, "--check-format", "-o", str(tmp), str(po)], check=True)  # noqa: S603
        tmp.replace(mo)


@pytest.fixture(autouse=True)
def _trust_guards_let_flush_empty_the_database(request: pytest.FixtureRequest):
    """Transactional tests end with ``flush``, which deletes published rounds: the trust
    guards (``evaluations.trust``) would refuse. They are dropped just before the flush
    (this fixture is torn down first) and re-installed by the flush's post_migrate."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or (
        "transactional_db" in request.fixturenames
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("_django_db_helper")
    yield
    from django.db import connection

    from evaluations import trust

    with connection.schema_editor() as editor:
        trust.remove_guards(editor)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings) -> None:
    # The manifest storage needs `collectstatic`; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    # Public pages are cached under the newest RoundEvent id (evaluations.caching), and ids
    # restart with every test's rolled-back transaction: no test may see another's pages
    # (nor the copies each process keeps for the fast path).
    from evaluations.caching import local_pages

    cache.clear()
    local_pages.clear()
    yield
    cache.clear()
    local_pages.clear()


@pytest.fixture(autouse=True)
def _rate_limit_windows_stand_still(monkeypatch):
    # django-ratelimit's windows start at an offset hashed from each key, so any second of
    # the minute can end one: a test that spends its budget across that second would see the
    # count restart (CI saw a 200 after ten failed logins). Inside a test the clock that
    # chooses the window stands still; the counting itself is the library's own.
    import django_ratelimit.core

    now = time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: now))


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    settings.MEDIA_ROOT = tmp_path / "media"


@receiver(setting_changed)
def _reset_task_backends(*, setting: str, **kwargs: object) -> None:
    # Django does not reset its task backends when TASKS changes (it does for caches).
    if setting == "TASKS":
        task_backends.__dict__.pop("settings", None)
        task_backends._connections = Local(task_backends.thread_critical)  # type: ignore[attr-defined]  # private


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings) -> None:
    """Background tasks run inside the request, as if the worker were instant: a test sees
    a job done when the view returns. Tests of the queue itself use ``task_queue``."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def task_queue(settings) -> None:
    """The production backend: tasks wait in the database until a worker runs them
    (``call_command("worker", batch=True)``)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings) -> None:
    # PBKDF2 at production strength costs about a second per user created; tests check who
    # may do what, not how hard a hash is to crack.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def jawa_barat(db):
    return factories.ProvinceFactory.create(code="32", name="Jawa Barat")


@pytest.fixture
def kota_bekasi(jawa_barat) -> Region:
    return factories.RegionFactory.create(bekasi=True, province=jawa_barat)


@pytest.fixture
def kota_bandung(jawa_barat) -> Region:
    return factories.RegionFactory.create(bandung=True, province=jawa_barat)


@pytest.fixture
def manager(db) -> User:
    return factories.ManagerFactory.create(username="manager")


@pytest.fixture
def reviewer(db) -> User:
    return factories.ReviewerFactory.create(username="reviewer")


@pytest.fixture
def reviewer2(db) -> User:
    return factories.ReviewerFactory.create(username="reviewer2")


@pytest.fixture
def reviewer3(db) -> User:
    return factories.ReviewerFactory.create(username="reviewer3")


@pytest.fixture
def outsider_reviewer(db) -> User:
    return factories.ReviewerFactory.create(username="outsider")


@pytest.fixture
def bekasi(kota_bekasi) -> User:
    return factories.OperatorFactory.create(username="bekasi", region=kota_bekasi)


@pytest.fixture
def bandung(kota_bandung) -> User:
    return factories.OperatorFactory.create(username="bandung", region=kota_bandung)


@pytest.fixture
def anonymous(client) -> Client:
    return client


def login(client: Client, user: User, *, second_factor: bool = True) -> Client:
    """Log ``user`` in on ``client`` (bypasses axes, which needs a real request).

    Managers and reviewers must pass a second factor (smartcity.people.second_factor): by
    default the session is verified with a confirmed authenticator, as after a real code
    step. Tests of the code step itself pass ``second_factor=False``.
    """
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if second_factor and client.session.get(REQUIRED_SESSION_KEY):
        verify_second_factor(client, user)
    return client


def verify_second_factor(client: Client, user: User) -> None:
    """Mark ``client``'s session as having shown a code of ``user``'s authenticator."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name="authenticator", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def job_result(client: Client, response) -> bytes:
    """The file of the background job a POST started (``response`` redirects to its page).

    Tasks run at once in tests, so the job is done when the page is asked for."""
    from django.urls import reverse

    assert response.status_code == 302, response.status_code
    page = client.get(response["Location"])
    assert page.status_code == 200
    job_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    download = client.get(reverse("jobs:download", args=[job_id]))
    assert download.status_code == 200, page.content.decode()
    return b"".join(download.streaming_content)  # type: ignore[attr-defined]  # a FileResponse


def job_next_page(client: Client, response):
    """The page a finished background job leads on to (its "continue" link: a score
    upload's preview), after the POST that started it (``response`` redirects to the job).

    Tasks run at once in tests, so the job is done when this is called."""
    from smartcity.jobs.models import Job, JobState

    assert response.status_code == 302, response.status_code
    job = Job.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert job.state == JobState.SUCCEEDED, (job.state, job.errors, job.message)
    page = client.get(response["Location"])
    assert job.next_url in page.content.decode()  # the job page links on
    return client.get(job.next_url)


def drain_queue() -> None:
    """Run every queued task with the real worker command (``manage.py worker --batch``).

    db_worker closes "old" connections between tasks, which on PostgreSQL includes the one
    holding the test's transaction (pytest-django keeps Django's own request signals from
    doing the same); inside a test that would drop the test's data, so it is skipped here."""
    from unittest import mock

    from django.core.management import call_command

    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("worker", batch=True, verbosity=0)
