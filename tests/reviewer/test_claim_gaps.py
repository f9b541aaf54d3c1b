"""The panel page marks where the region's claim and the reviewers' level part ways, in text
as well as colour: +2 means the region claimed two levels more than was verified."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from evaluations.services import review
from tests.conftest import login
from tests.reviewer import factories as rf

pytestmark = pytest.mark.django_db


def gap_cells(html: str) -> dict[str, str]:
    """Indicator anchor → the gap mark shown in its claim cell."""
    out = {}
    for anchor, row in re.findall(r'<tr id="(ind-\d+)"[^>]*>(.*?)</tr>', html, re.S):
        mark = re.search(r'<span class="(claim-gap[^"]*)">([+-]?\d+)<', row)
        if mark:
            out[anchor] = f"{mark.group(2)} {mark.group(1)}"
    return out


def test_claim_gaps_are_marked_against_the_verified_level(client, reviewer, scenario):
    participation = scenario.bekasi  # claims level 4 everywhere
    first, second, third = participation.round.instrument.indicators.order_by("order", "code")[:3]
    rf.score_all(participation, reviewer, level=4)
    review.verified_level_set(participation=participation, indicator=first, level=2, by=reviewer)
    review.verified_level_set(participation=participation, indicator=second, level=3, by=reviewer)
    login(client, reviewer)
    html = client.get(reverse("reviewer:panel", args=[participation.pk])).content.decode()
    gaps = gap_cells(html)
    assert gaps[f"ind-{first.pk}"] == "+2 claim-gap claim-gap-high"
    assert gaps[f"ind-{second.pk}"] == "+1 claim-gap"
    assert f"ind-{third.pk}" not in gaps  # claim 4, reviewer 4: nothing to mark
    assert "selisih klaim dan level penilai: 2" in html
