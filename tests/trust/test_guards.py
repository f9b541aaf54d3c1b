"""Frozen instrument versions and closed rounds refuse every write path (issue 15).

Each path a manager, a shell session or a script could take: model ``save()`` and
``delete()``, ``QuerySet.update()`` and ``.delete()``, cascades from deleting a user,
indicator, participation or round, and raw SQL ``UPDATE``/``DELETE`` (the database's own
triggers, on SQLite here and on PostgreSQL in CI). The admin paths are in
``test_admin_guards.py``.
"""

from __future__ import annotations

import logging
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from evaluations import trust
from evaluations.models import (
    Indicator,
    Participation,
    Publication,
    RatingBand,
    Result,
    ReviewerAssignment,
    Round,
    RoundStatus,
    SelfAssessmentAnswer,
    VerifiedScore,
)
from evaluations.services import rounds as svc
from tests import factories
from tests.trust.conftest import run_round

pytestmark = pytest.mark.django_db


def refused(action, *, guard: bool = True) -> None:
    """``action`` must be refused by the database (by a trust guard unless ``guard`` is
    False: Django's PROTECT may refuse first), and leave nothing behind."""
    match = trust.GUARD_MESSAGE if guard else None
    with pytest.raises(IntegrityError, match=match), transaction.atomic():
        action()


@pytest.fixture
def published(instrument, kota_bekasi, kota_bandung, manager) -> Round:
    round_ = run_round(
        regions=[kota_bekasi, kota_bandung],
        levels={kota_bekasi.code: 4, kota_bandung.code: 3},
        manager=manager,
        year=2026,
    )
    participation = round_.participations.get(region=kota_bekasi)
    factories.assign(participation, factories.make_reviewer("panel-lead"), lead=True)
    return round_


# --- Frozen instrument versions ----------------------------------------------------------


def test_an_instrument_is_editable_while_its_rounds_are_drafts(instrument):
    factories.make_round(instrument=instrument)
    instrument.weight_baseline, instrument.weight_output = 20, 10
    instrument.save()
    Indicator.objects.filter(instrument=instrument).update(weight=Decimal(2))
    assert not instrument.is_frozen


def test_weights_of_a_used_instrument_refuse_save_and_update(published):
    instrument = published.instrument
    assert instrument.is_frozen
    instrument.weight_baseline, instrument.weight_output = 20, 10
    refused(instrument.save)
    refused(
        lambda: (
            type(instrument)
            .objects.filter(pk=instrument.pk)
            .update(weight_impact=20, weight_outcome=40)
        )
    )
    instrument.refresh_from_db()
    assert instrument.component_weights() == {
        "baseline": 10,
        "output": 20,
        "outcome": 30,
        "impact": 30,
        "quick_win": 10,
    }
    # Its Indonesian wording is published with the figures (issue 16): refused too; an
    # English translation is not the method and stays possible.
    refused(lambda: type(instrument).objects.filter(pk=instrument.pk).update(description="Lagi"))
    type(instrument).objects.filter(pk=instrument.pk).update(description_en="Explained again")


def test_indicators_and_bands_of_a_used_instrument_refuse_every_orm_path(published):
    instrument = published.instrument
    indicator = instrument.indicators.first()
    indicator.weight = Decimal(5)
    refused(indicator.save)
    indicator.refresh_from_db()
    refused(lambda: instrument.indicators.update(level_3="Ditulis ulang"))
    # Scored indicators are PROTECTed by Django first; the trigger refuses unscored ones.
    refused(lambda: instrument.indicators.filter(component="quick_win").delete(), guard=False)
    with factories.guards_lifted():
        VerifiedScore.objects.filter(indicator__component="quick_win").delete()
    refused(lambda: instrument.indicators.filter(component="quick_win").delete())
    refused(
        lambda: Indicator.objects.create(
            instrument=instrument, code="NEW-1", name="Baru", component="impact"
        )
    )
    band = instrument.rating_bands.first()
    band.min_index = Decimal("1.23")
    refused(band.save)
    refused(lambda: RatingBand.objects.filter(instrument=instrument).delete())
    refused(lambda: RatingBand.objects.create(instrument=instrument, name="Baru", min_index=1))
    assert instrument.indicators.count() == 10
    assert instrument.rating_bands.count() == 5


def test_raw_sql_cannot_rewrite_a_frozen_method(published):
    instrument = published.instrument
    with connection.cursor() as cursor:
        refused(
            lambda: cursor.execute(
                "UPDATE evaluations_indicator SET weight = 9 WHERE instrument_id = %s",
                [instrument.pk],
            )
        )
        refused(
            lambda: cursor.execute(
                "DELETE FROM evaluations_indicator WHERE instrument_id = %s", [instrument.pk]
            )
        )
        refused(
            lambda: cursor.execute(
                "UPDATE evaluations_instrument SET weight_baseline = 0, weight_impact = 40 "
                "WHERE id = %s",
                [instrument.pk],
            )
        )
        refused(
            lambda: cursor.execute(
                "DELETE FROM evaluations_ratingband WHERE instrument_id = %s", [instrument.pk]
            )
        )
    assert instrument.indicators.filter(weight=1).count() == 10


def test_the_round_keeps_its_instrument(published, instrument):
    other = factories.make_instrument()
    refused(lambda: Round.objects.filter(pk=published.pk).update(instrument=other))


# --- Closed rounds -----------------------------------------------------------------------


def test_verified_levels_of_a_published_round_refuse_every_orm_path(published, kota_bekasi):
    participation = published.participations.get(region=kota_bekasi)
    score = participation.verified_scores.first()
    score.level = 0
    refused(score.save)
    refused(score.delete)
    refused(lambda: VerifiedScore.objects.filter(participation=participation).update(level=1))
    refused(lambda: VerifiedScore.objects.filter(participation=participation).delete())
    refused(
        lambda: VerifiedScore.objects.create(
            participation=participation,
            indicator=factories.make_instrument().indicators.first(),  # type: ignore[misc]
            level=5,
            set_by=score.set_by,
        )
    )
    assert set(participation.verified_scores.values_list("level", flat=True)) == {4}


def test_results_panels_answers_and_exclusions_refuse_changes(published, kota_bekasi):
    participation = published.participations.get(region=kota_bekasi)
    refused(
        lambda: Result.objects.filter(participation=participation).update(index=Decimal("4.99"))
    )
    refused(lambda: Result.objects.filter(participation=participation).delete())
    refused(lambda: ReviewerAssignment.objects.filter(participation=participation).delete())
    refused(
        lambda: SelfAssessmentAnswer.objects.create(
            participation=participation,
            indicator=published.instrument.indicators.first(),
            claimed_level=5,
        )
    )
    participation.excluded, participation.exclusion_reason = True, "Disembunyikan"
    refused(participation.save)
    refused(lambda: Participation.objects.create(round=published, region=factories.make_region()))
    assert Result.objects.get(participation=participation).index == Decimal("4.00")


def test_cascades_cannot_empty_a_published_round(published, kota_bekasi):
    participation = published.participations.get(region=kota_bekasi)
    refused(participation.delete)  # cascades to results, levels, panel
    refused(published.delete)  # cascades to everything
    refused(lambda: Round.objects.filter(pk=published.pk).delete())
    # A user who submitted a self-assessment: SET_NULL would rewrite the participation.
    operator = factories.make_operator(kota_bekasi, "op-bekasi")
    with factories.guards_lifted():
        Participation.objects.filter(pk=participation.pk).update(submitted_by=operator)
    refused(operator.delete)
    # An indicator: PROTECT from the levels, and frozen anyway.
    refused(published.instrument.indicators.first().delete, guard=False)
    assert Result.objects.filter(participation__round=published).count() == 2


def test_raw_sql_cannot_rewrite_a_closed_round(published):
    with connection.cursor() as cursor:
        refused(lambda: cursor.execute("UPDATE evaluations_verifiedscore SET level = 0"))
        refused(lambda: cursor.execute("DELETE FROM evaluations_verifiedscore"))
        refused(lambda: cursor.execute('UPDATE evaluations_result SET "index" = 4.99'))
        refused(lambda: cursor.execute("DELETE FROM evaluations_result"))
        refused(lambda: cursor.execute("DELETE FROM evaluations_participation"))
        refused(lambda: cursor.execute("UPDATE evaluations_publication SET snapshot = '[]'"))
        refused(lambda: cursor.execute("DELETE FROM evaluations_publication"))
    assert VerifiedScore.objects.filter(level=0).count() == 0
    assert Publication.objects.get(round=published).snapshot


def test_only_round_reopen_opens_a_closed_round_and_records_why(published, kota_bekasi, manager):
    participation = published.participations.get(region=kota_bekasi)
    svc.round_reopen(round=published, by=manager, reason="Salah input level Bekasi")
    participation.verified_scores.update(level=2)  # the correction is now possible
    event = published.events.order_by("-pk").first()
    assert (event.to_status, event.reason) == (RoundStatus.REVIEW, "Salah input level Bekasi")
    # The public figures of the last publication still cannot be edited by hand.
    refused(lambda: Result.objects.filter(participation=participation).update(index=Decimal(1)))


def test_no_unlock_row_outlives_a_service_call(published, manager):
    from evaluations.models import TrustUnlock

    svc.round_reopen(round=published, by=manager, reason="Koreksi")
    svc.round_finalise(round=published, by=manager)
    svc.round_publish(round=published, by=manager)
    assert not TrustUnlock.objects.exists()


# --- The one purge path ------------------------------------------------------------------


def test_purge_is_refused_under_production_settings(settings, published):
    settings.HTTPS_ONLY = True
    with pytest.raises(trust.PurgeRefused), trust.purge(reason="try"):
        published.delete()
    assert Round.objects.filter(pk=published.pk).exists()


def test_purge_is_logged_and_removes_a_published_round(published, caplog):
    with (
        caplog.at_level(logging.WARNING, logger="evaluations.trust"),
        trust.purge(reason="reset uji"),
    ):
        published.delete()
    assert "reset uji" in caplog.text
    assert not Round.objects.filter(pk=published.pk).exists()
