"""Fixtures of the city workspace tests: an open round with both cities taking part."""

from __future__ import annotations

import pytest

from evaluations.models import Participation, Round, RoundStatus
from tests import factories
from tests.city import factories as city_factories
from tests.conftest import login


@pytest.fixture
def open_round(db) -> Round:
    instrument = city_factories.make_instrument_with(3)
    return factories.make_round(
        instrument=instrument, year=2099, phase=1, status=RoundStatus.SELF_ASSESSMENT
    )


@pytest.fixture
def bekasi_part(open_round, kota_bekasi) -> Participation:
    return factories.make_participation(open_round, kota_bekasi)


@pytest.fixture
def bandung_part(open_round, kota_bandung) -> Participation:
    return factories.make_participation(open_round, kota_bandung)


@pytest.fixture
def bekasi_client(client, bekasi):
    return login(client, bekasi)


@pytest.fixture
def coordinator(kota_bekasi):
    return factories.make_operator(kota_bekasi, "koordinator", role="coordinator")
