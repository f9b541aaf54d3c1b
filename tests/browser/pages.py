"""Every HTML page of the portal for each kind of user, found by the URL walk
(tests/security/urlwalk.py) in the security tests' world, and a browser context signed in
as that user. Shared by the phone-width, axe and HTML-checker tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from tests import factories
from tests.conftest import login
from tests.security import urlwalk
from tests.security.test_url_permissions import EXPECTED
from tests.security.world import CAST, World, build_world

# The roles walked: public readers and one of each kind of signed-in user of Kota Bekasi's
# world (city operator, panel reviewer, round manager).
ROLES = ("anonymous", "bekasi", "reviewer", "manager")

# Pages that are not HTML for a person to read, or that only exist to be posted to.
NOT_PAGES = ("healthz", "readyz", "favicon", "people:inbox_badge")


def make_world() -> World:
    jawa_barat = factories.make_province("32", "Jawa Barat")
    kota_bekasi = factories.make_region("32.75", "Kota Bekasi", province=jawa_barat)
    kota_bandung = factories.make_region("32.73", "Kota Bandung", province=jawa_barat)
    # The world's cast includes the anonymous reader (None), as in tests/security/conftest.py.
    users: dict[str, Any] = {
        "anonymous": None,
        "bekasi": factories.make_operator(kota_bekasi, "bekasi"),
        "bandung": factories.make_operator(kota_bandung, "bandung"),
        "reviewer": factories.make_reviewer("reviewer"),
        "outsider": factories.make_reviewer("outsider"),
        "manager": factories.make_manager("manager"),
    }
    return build_world(kota_bekasi, kota_bandung, users)


def client_for(world: World, who: str) -> Client:
    """A test client signed in as ``who`` (second factor shown), one per world and user."""
    clients: dict[str, Client] = world.extra.setdefault("clients", {})
    if who not in clients:
        client = Client()
        user = world.users[who]
        if isinstance(user, User):
            login(client, user)
        clients[who] = client
    return clients[who]


def page_urls(world: World, who: str) -> list[str]:
    """The URLs that answer ``who`` with a 200 HTML page (admin excluded), in walk order."""
    index = CAST.index(who)
    client = client_for(world, who)
    urls = []
    for route in urlwalk.discover():
        if route.key.startswith("admin") or route.key in NOT_PAGES:
            continue
        if EXPECTED[route.key].get[index] != 200:
            continue
        url = urlwalk.url_for(route, world)
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            urls.append(url)
    return urls


def session_cookie(live_server, world: World, who: str) -> list[dict]:
    """The cookies of ``who``'s session (second factor shown), for Playwright."""
    if world.users[who] is None:
        return []
    value = client_for(world, who).cookies[settings.SESSION_COOKIE_NAME].value
    return [{"name": settings.SESSION_COOKIE_NAME, "value": value, "url": live_server.url}]


@contextmanager
def signed_in(browser, live_server, world: World, who: str, **context_args) -> Iterator:
    """A page in a new browser context, signed in as ``who`` of ``world``."""
    context = browser.new_context(locale="id-ID", **context_args)
    context.add_cookies(session_cookie(live_server, world, who))
    try:
        yield context.new_page()
    finally:
        context.close()
