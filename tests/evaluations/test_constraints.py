"""The database itself refuses data that would break the evaluation's invariants."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from evaluations.models import Instrument, Score
from tests import factories


@pytest.mark.django_db
def test_instrument_weights_must_sum_to_100():
    with pytest.raises(IntegrityError), transaction.atomic():
        Instrument.objects.create(
            code="bad",
            name="Bad",
            year=2024,
            weight_baseline=10,
            weight_output=20,
            weight_outcome=30,
            weight_impact=20,
            weight_quick_win=10,  # 90 %
        )
    assert factories.make_instrument(weights=(10, 20, 30, 20, 20)).pk


@pytest.mark.django_db
def test_score_level_above_5_and_duplicate_scores_are_refused(kota_bekasi, reviewer):
    round_ = factories.make_round()
    participation = factories.make_participation(round_, kota_bekasi)
    indicator = round_.instrument.indicators.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(
            participation=participation, indicator=indicator, reviewer=reviewer, level=6
        )
    Score.objects.create(
        participation=participation, indicator=indicator, reviewer=reviewer, level=3
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(
            participation=participation, indicator=indicator, reviewer=reviewer, level=4
        )
