"""Fixtures of the public portal tests: published rounds with known results (see
``tests.public.scene``)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from evaluations.models import Instrument
from tests import factories
from tests.public.scene import Scene, make_scene


@pytest.fixture(autouse=True)
def _empty_cache():
    # The page cache is keyed by the newest RoundEvent id, and ids restart in every test's
    # transaction: start each test with an empty cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def instrument(db) -> Instrument:
    return factories.make_instrument(code="instrumen-2024", is_default=True)


@pytest.fixture
def published(instrument, kota_bekasi, kota_bandung) -> Scene:
    return make_scene(instrument, kota_bekasi, kota_bandung)
