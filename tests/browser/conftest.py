"""Browser tests: Playwright driving Debian's Chromium against ``live_server``.

Every test under tests/browser/ is marked ``browser``. Where Chromium is missing they are
skipped on a laptop, but fail the run when browser tests are required (``CI`` or
``BROWSER_TESTS_REQUIRED`` set): in CI a missing browser is a failure, never a skip.

Stale translations are compiled by tests/conftest.py before any test runs.

Helpers for tests: ``login_as(page, live_server, username)`` walks the real login form;
``screenshot(page, name)`` saves test-artifacts/screenshots/<name>.png; the ``axe`` fixture
runs axe-core (vendored in tests/vendor) on the current page; the ``console_errors`` list
collects browser console errors, including CSP violations; ``bekasi_under_review`` is Kota
Bekasi's participation under review, its panel led by ``reviewer`` (who has an authenticator).
"""

from __future__ import annotations

import base64
import os
import time
from pathlib import Path

import pytest
from django.test import override_settings
from pytest_django.live_server_helper import LiveServer

from smartcity.env import env_bool

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
REQUIRED = env_bool("CI", False) or env_bool("BROWSER_TESTS_REQUIRED", False)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
AXE_JS = Path(__file__).resolve().parents[1] / "vendor" / "axe-core-4.14.1" / "axe.min.js"

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by
# the test itself (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    browser_items = [item for item in items if here in Path(item.fspath).parents]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if browser_items and not Path(CHROMIUM).exists():
        if REQUIRED:
            raise pytest.UsageError(
                f"Browser tests are required (CI) but Chromium is missing at {CHROMIUM}. "
                "Install it with: apt-get install -y chromium"
            )
        skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}")
        for item in browser_items:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest):
    """pytest-django's live server, started with a MEDIA_URL it can parse.

    The portal has no media URL (``MEDIA_URL = None``: evidence is only downloaded through a
    view that checks rights), but Django's live server wraps every request in a media-files
    handler that parses MEDIA_URL once, as the server starts. It gets a path that nothing links
    to; the portal's settings stay as they are for the tests themselves.
    """
    addr = (
        request.config.getvalue("liveserver")
        or os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(addr, start=False)
    with override_settings(MEDIA_URL="/__media-not-served__/"):
        server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "locale": "id-ID", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def console_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors


def login_as(page, live_server, username: str, password: str = "demo12345") -> None:
    """Log in through the real login form, as a person would (with the second factor)."""
    page.goto(f"{live_server.url}/accounts/login/")
    # Django's own Indonesian catalogue labels these "Nama pengguna" and "Sandi".
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.get_by_role("button", name="Masuk").last.click()
    page.wait_for_load_state()
    pass_second_factor(page, username)


def current_totp(username: str) -> str:
    """The code ``username``'s authenticator shows now, or the next step's when this one
    was used already (django-otp refuses a code twice, and accepts one step ahead)."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    now = int((time.time() - device.t0) // device.step)
    if device.last_t >= now + 1:  # both steps used: wait for the next one
        time.sleep(device.step - (time.time() - device.t0) % device.step + 0.2)
        now = int((time.time() - device.t0) // device.step)
    drift = 1 if device.last_t >= now else 0
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=drift):06d}"


def pass_second_factor(page, username: str) -> None:
    """Managers and reviewers owe a code after the password (smartcity.people.second_factor): type
    it as the person would, enrolling the authenticator first when they have none."""
    if "/accounts/two-factor/setup/" in page.url:
        from django_otp.oath import totp

        key = base64.b32decode(page.locator("[data-secret]").inner_text().replace(" ", ""))
        page.locator("#id_code").fill(f"{totp(key):06d}")
        page.locator("main form button[type=submit]").click()  # "Aktifkan" / "Turn on..."
        page.wait_for_load_state()
        page.locator("main a.btn-primary").click()  # past the recovery codes
        page.wait_for_load_state()
    elif "/accounts/two-factor/verify/" in page.url:
        page.locator("#id_code").fill(current_totp(username))
        page.locator("main form button[type=submit]").first.click()  # "Verifikasi"
        page.wait_for_load_state()


def screenshot(page, name: str) -> Path:
    path = ARTIFACTS / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def axe(page):
    """Run axe-core on the current page; returns violations of serious or critical impact."""

    def run(context: str = "document") -> list[dict]:
        # Injected through the DevTools protocol, which the page's CSP does not govern.
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;void 0")
        result = page.evaluate(
            f"async () => await axe.run({context}, "
            "{resultTypes: ['violations'], runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})"
        )
        return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]

    return run


@pytest.fixture
def bekasi_under_review():
    """Kota Bekasi (Jawa Barat) under review in a round of its own: ``reviewer``, with a
    confirmed authenticator (the second factor), leads its panel; the self-assessment has
    an answer per indicator and no evidence. Returns the participation."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests import factories
    from tests.reviewer import factories as rf

    jabar = factories.make_province("32", "Jawa Barat")
    region = factories.make_region("32.75", "Kota Bekasi", province=jabar)
    reviewer = factories.make_reviewer("reviewer")
    TOTPDevice.objects.create(user=reviewer, name="authenticator", confirmed=True)
    round_ = rf.make_review_round([region])
    participation = round_.participations.get()
    factories.assign(participation, reviewer, lead=True)
    rf.add_answers(participation, with_evidence=False)
    return participation
