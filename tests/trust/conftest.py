"""A cast and a helper that drive rounds through the real lifecycle services."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date

import pytest
from django.contrib.auth.models import User

from evaluations.models import Indicator, Instrument, Round, RoundStatus
from evaluations.services import rounds as svc
from regions.models import Region
from tests import factories
from tests.reviewer import factories as rf

Level = int | Callable[[Indicator], int]


def run_round(
    *,
    regions: Iterable[Region],
    levels: Mapping[str, Level],
    manager: User,
    year: int,
    phase: int = 1,
    instrument: Instrument | None = None,
    publish: bool = True,
) -> Round:
    """A round through open → review → finalise (→ publish) with the services; ``levels``
    maps a region code to its verified level (or a function of the indicator)."""
    round_ = factories.make_round(
        instrument=instrument or Instrument.objects.order_by("pk").first(),
        year=year,
        phase=phase,
        self_assessment_opens=date(year, 1, 1),
        self_assessment_closes=date(year, 1, 2),
        review_ends=date(year, 1, 3),
    )
    regions = list(regions)
    svc.round_add_participants(round=round_, regions=regions, by=manager)
    svc.round_open_self_assessment(round=round_, by=manager)
    svc.round_start_review(round=round_, by=manager, reason="uji")
    for participation in round_.participations.select_related("region"):
        rf.verify(participation, manager, level=levels[participation.region.code])
    svc.round_finalise(round=round_, by=manager)
    if publish:
        svc.round_publish(round=round_, by=manager)
    round_.refresh_from_db()
    return round_


def set_levels(round_: Round, region: Region, level: int, by: User) -> None:
    """A correction during review, as the lead reviewer's page would write it."""
    participation = round_.participations.get(region=region)
    assert round_.status == RoundStatus.REVIEW
    participation.verified_scores.update(level=level)


@pytest.fixture
def instrument(db) -> Instrument:
    return factories.make_instrument(weights=(10, 20, 30, 30, 10))


@pytest.fixture
def twelve_regions(jawa_barat) -> list[Region]:
    """Kota 32.71 … 32.82, all in Jawa Barat."""
    return [
        factories.make_region(f"32.{71 + i}", f"Kota Uji {i + 1:02d}", province=jawa_barat)
        for i in range(12)
    ]
