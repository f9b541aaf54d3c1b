"""An instrument that cannot be scored neither opens nor finalises (issue 15, point 5)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from evaluations.models import Dimension, Indicator, RoundStatus
from evaluations.services import rounds as svc
from tests import factories
from tests.reviewer import factories as rf

pytestmark = pytest.mark.django_db


def test_a_weighted_component_without_indicators_cannot_open(instrument, kota_bekasi, manager):
    instrument.indicators.filter(component="quick_win").delete()
    round_ = rf.make_review_round([kota_bekasi], instrument=instrument, status=RoundStatus.DRAFT)
    with pytest.raises(ValidationError) as exc:
        svc.round_open_self_assessment(round=round_, by=manager)
    assert [e.code for e in exc.value.error_list] == ["component_empty"]
    assert "Quick Win berbobot 10%" in exc.value.messages[0]


def test_a_dimension_without_indicators_cannot_open(instrument, kota_bekasi, manager):
    society = Dimension.objects.get(code="society")
    Indicator.objects.filter(instrument=instrument, dimension=society).update(
        dimension=Dimension.objects.get(code="governance"), element=None
    )
    round_ = rf.make_review_round([kota_bekasi], instrument=instrument, status=RoundStatus.DRAFT)
    with pytest.raises(ValidationError) as exc:
        svc.round_open_self_assessment(round=round_, by=manager)
    assert exc.value.messages == ["Dimensi Smart Society belum punya indikator di instrumen."]


def test_the_issues_quick_win_scenario_cannot_finalise(instrument, kota_bekasi, manager):
    """Point 5: Quick Win indicators deleted from an open round's instrument (only possible
    past the guards now) → finalising is refused instead of publishing 3.20 for level 4."""
    round_ = rf.make_review_round([kota_bekasi], instrument=instrument)
    rf.verify(round_.participations.get(), manager, level=4)
    with factories.guards_lifted():
        round_.participations.get().verified_scores.filter(
            indicator__component="quick_win"
        ).delete()
        instrument.indicators.filter(component="quick_win").delete()
    with pytest.raises(ValidationError) as exc:
        svc.round_finalise(round=round_, by=manager)
    assert [e.code for e in exc.value.error_list] == ["component_empty"]
    round_.refresh_from_db()
    assert round_.status == RoundStatus.REVIEW
