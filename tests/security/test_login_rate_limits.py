"""Every login form (the portal's and the admin's) is rate limited per client address and
per user name, with django-ratelimit's public API only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from smartcity.security import parse_rate, retry_after_seconds
from tests import factories

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
LOGIN_FORMS = ["login", "admin:login"]


def _post(client, url_name: str, username: str, address: str):
    return client.post(
        reverse(url_name), {"username": username, "password": "salah"}, REMOTE_ADDR=address
    )


@pytest.mark.parametrize("url_name", LOGIN_FORMS)
def test_one_address_trying_many_user_names_gets_429(client, bekasi, settings, url_name):
    """Finding 3: 25 distinct user names on /admin/login/ in a minute all answered 200."""
    settings.RATELIMIT_LOGIN = "10/m"
    settings.RATELIMIT_LOGIN_USERNAME = "100/m"
    for i in range(10):
        assert _post(client, url_name, f"tebakan{i}", "203.0.113.9").status_code == 200
    response = _post(client, url_name, "tebakan-lagi", "203.0.113.9")
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk" in response.content.decode()
    assert response["Retry-After"] == "60"
    # Another address still may.
    assert _post(client, url_name, "tebakan-lagi", "198.51.100.3").status_code == 200


@pytest.mark.parametrize("url_name", LOGIN_FORMS)
def test_many_addresses_trying_one_user_name_get_429(client, bekasi, settings, url_name):
    settings.RATELIMIT_LOGIN = "100/m"
    settings.RATELIMIT_LOGIN_USERNAME = "5/5m"
    settings.AXES_ENABLED = False
    for i in range(5):
        assert _post(client, url_name, "Bekasi", f"198.51.100.{i + 1}").status_code == 200
    # Same name in another case, from yet another address: one budget.
    response = client.post(
        reverse(url_name),
        {"username": "bekasi", "password": factories.PASSWORD},
        REMOTE_ADDR="192.0.2.44",
    )
    assert response.status_code == 429
    assert response["Retry-After"] == "300"
    assert SESSION_KEY not in client.session
    # Another user name is not affected.
    assert _post(client, url_name, "bandung", "192.0.2.44").status_code == 200


@pytest.mark.parametrize("url_name", LOGIN_FORMS)
def test_showing_a_login_form_is_never_limited(client, settings, url_name):
    settings.RATELIMIT_LOGIN = "1/m"
    for _ in range(3):
        response = client.get(reverse(url_name), REMOTE_ADDR="203.0.113.10")
        assert response.status_code == 200
        page = response.content.decode()
        assert 'name="username"' in page
        assert 'name="password"' in page


@pytest.mark.parametrize(
    ("rate", "parsed", "wait"),
    [
        ("10/m", (10, 60), 60),
        ("100/5m", (100, 300), 300),
        ("3/s", (3, 1), 1),
        ("1/2d", (1, 172800), 172800),
    ],
)
def test_rates_are_parsed_without_private_api(rate, parsed, wait):
    assert parse_rate(rate) == parsed
    assert retry_after_seconds(rate) == wait


def test_no_module_imports_a_private_name_of_a_dependency():
    """Finding 10: smartcity/security.py imported django_ratelimit.core._split_rate."""
    offenders = []
    for path in [
        *ROOT.glob("smartcity/**/*.py"),
        *ROOT.glob("evaluations/**/*.py"),
        *ROOT.glob("regions/**/*.py"),
    ]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                top = node.module.split(".")[0]
                if top in ("smartcity", "evaluations", "regions", "tests"):
                    continue
                parts = node.module.split(".") + [a.name for a in node.names]
                if any(p.startswith("_") and not p.startswith("__") for p in parts):
                    offenders.append(f"{path.relative_to(ROOT)}: {node.module}")
    assert offenders == []
