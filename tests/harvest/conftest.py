"""Fixtures of the open-data-for-machines tests: the public tests' scene (two published
rounds, a finalised one that must never show), also served by a live server for tools that
read over HTTP (frictionless, pandas)."""

from __future__ import annotations

import pytest

from evaluations.models import Instrument
from tests import factories
from tests.browser.conftest import live_server  # noqa: F401 - the server with a MEDIA_URL
from tests.public.scene import Scene, make_scene


@pytest.fixture
def instrument(db) -> Instrument:
    return factories.make_instrument(code="instrumen-2024", is_default=True)


@pytest.fixture
def published(instrument, kota_bekasi, kota_bandung) -> Scene:
    return make_scene(instrument, kota_bekasi, kota_bandung)


@pytest.fixture
def served(transactional_db, live_server, published) -> str:  # noqa: F811
    """The scene committed and served over HTTP: the live server's base URL."""
    return live_server.url
