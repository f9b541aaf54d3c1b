"""Fixtures of the public portal tests: published rounds with known results (see
``tests.public.scene``)."""

from __future__ import annotations

import pytest

from evaluations.models import Instrument
from tests import factories
from tests.public.scene import Scene, make_scene


@pytest.fixture
def instrument(db) -> Instrument:
    return factories.make_instrument(code="instrumen-2024", is_default=True)


@pytest.fixture
def published(instrument, kota_bekasi, kota_bandung) -> Scene:
    return make_scene(instrument, kota_bekasi, kota_bandung)
