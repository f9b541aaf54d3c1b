"""The database itself refuses data that would break the evaluation's invariants.

These writes go straight to the database (``objects.create`` skips form validation), the way
a bug in a service or a bulk import would. Each refusal is checked to come from the named
constraint, so a test cannot pass on an unrelated error (SQLite names unique constraints by
their columns, PostgreSQL by name: either is accepted).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from evaluations.models import (
    Evidence,
    EvidencePreview,
    FieldReview,
    Indicator,
    Instrument,
    Programme,
    RatingBand,
    ReviewerAssignment,
    Round,
    Score,
    SelfAssessmentAnswer,
    VerifiedScore,
)
from regions.models import Cohort, CohortMembership
from tests import factories

pytestmark = pytest.mark.django_db


def refused(write: Callable[[], object], *names: str) -> None:
    """``write`` fails in the database, and the error names one of ``names``."""
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        write()
    message = str(excinfo.value)
    assert any(name in message for name in names), message


@pytest.fixture
def participation(kota_bekasi):
    return factories.make_participation(factories.make_round(), kota_bekasi)


@pytest.fixture
def indicator(participation):
    return participation.round.instrument.indicators.first()


def _weights(*values: int) -> dict[str, int]:
    names = ["baseline", "output", "outcome", "impact", "quick_win"]
    return {f"weight_{n}": v for n, v in zip(names, values, strict=True)}


def test_instrument_weights_must_sum_to_100():
    refused(
        lambda: Instrument.objects.create(
            code="bad",
            name="Bad",
            year=2024,
            **_weights(10, 20, 30, 20, 10),  # 90 %
        ),
        "evaluations_instrument_weights_sum_100",
    )
    refused(
        lambda: Instrument.objects.create(
            code="over",
            name="Over",
            year=2024,
            **_weights(10, 20, 30, 30, 20),  # 110 %
        ),
        "evaluations_instrument_weights_sum_100",
    )
    assert factories.make_instrument(weights=(10, 20, 30, 20, 20)).pk  # Jambi 2022


def test_only_one_default_instrument():
    factories.make_instrument(is_default=True)
    refused(
        lambda: factories.make_instrument(is_default=True),
        "evaluations_instrument_one_default",
        "evaluations_instrument.is_default",
    )
    assert factories.make_instrument(is_default=False).pk


def test_score_level_above_5_and_duplicate_scores_are_refused(participation, indicator, reviewer):
    refused(
        lambda: Score.objects.create(
            participation=participation, indicator=indicator, reviewer=reviewer, level=6
        ),
        "evaluations_score_level_range",
    )
    Score.objects.create(
        participation=participation, indicator=indicator, reviewer=reviewer, level=3
    )
    refused(
        lambda: Score.objects.create(
            participation=participation, indicator=indicator, reviewer=reviewer, level=4
        ),
        "evaluations_score_one_per_reviewer",
        "evaluations_score.participation_id",
    )


def test_another_reviewer_may_score_the_same_indicator(participation, indicator, reviewer):
    Score.objects.create(
        participation=participation, indicator=indicator, reviewer=reviewer, level=3
    )
    other = factories.make_reviewer("other")
    assert Score.objects.create(
        participation=participation, indicator=indicator, reviewer=other, level=5
    ).pk


def test_verified_level_above_5_and_a_second_verified_level_are_refused(
    participation, indicator, reviewer
):
    refused(
        lambda: VerifiedScore.objects.create(
            participation=participation, indicator=indicator, level=6, set_by=reviewer
        ),
        "evaluations_verifiedscore_level_range",
    )
    VerifiedScore.objects.create(
        participation=participation, indicator=indicator, level=0, set_by=reviewer
    )
    refused(
        lambda: VerifiedScore.objects.create(
            participation=participation, indicator=indicator, level=2, set_by=reviewer
        ),
        "evaluations_verifiedscore_one_per_indicator",
        "evaluations_verifiedscore.participation_id",
    )


def test_claimed_level_above_5_is_refused_but_no_claim_yet_is_fine(participation, indicator):
    refused(
        lambda: SelfAssessmentAnswer.objects.create(
            participation=participation, indicator=indicator, claimed_level=6
        ),
        "evaluations_selfassessmentanswer_claimed_level_range",
    )
    assert SelfAssessmentAnswer.objects.create(
        participation=participation, indicator=indicator, claimed_level=None
    ).pk


def test_round_dates_must_be_in_order():
    instrument = factories.make_instrument()
    refused(
        lambda: factories.make_round(
            instrument=instrument,
            year=2025,
            self_assessment_opens=date(2025, 3, 1),
            self_assessment_closes=date(2025, 2, 1),
        ),
        "evaluations_round_self_assessment_dates_ordered",
    )
    refused(
        lambda: factories.make_round(
            instrument=instrument,
            self_assessment_closes=date(2024, 3, 31),
            review_ends=date(2024, 3, 1),
        ),
        "evaluations_round_review_after_self_assessment",
    )
    factories.make_round(instrument=instrument)
    refused(
        lambda: factories.make_round(instrument=instrument, slug="another-slug"),
        "evaluations_round_unique_year_phase",
        "evaluations_round.year",
    )
    assert Round.objects.count() == 1


def test_field_review_cannot_end_before_it_starts(participation):
    refused(
        lambda: FieldReview.objects.create(
            participation=participation, start_date=date(2025, 5, 2), end_date=date(2025, 5, 1)
        ),
        "evaluations_fieldreview_dates_ordered",
    )
    assert FieldReview.objects.create(
        participation=participation, start_date=date(2025, 5, 1), end_date=date(2025, 5, 1)
    ).pk


def test_a_panel_has_one_lead(participation, reviewer):
    factories.assign(participation, reviewer, lead=True)
    second = factories.make_reviewer("second")
    refused(
        lambda: factories.assign(participation, second, lead=True),
        "evaluations_reviewerassignment_one_lead",
        "evaluations_reviewerassignment.participation_id",
    )
    assert factories.assign(participation, second, lead=False).pk
    refused(
        lambda: factories.assign(participation, reviewer),
        "evaluations_reviewerassignment_unique_reviewer",
        "evaluations_reviewerassignment.reviewer_id",
    )
    assert ReviewerAssignment.objects.filter(participation=participation).count() == 2


def test_exclusion_needs_a_reason(kota_bekasi):
    round_ = factories.make_round()
    refused(
        lambda: factories.make_participation(round_, kota_bekasi, excluded=True),
        "evaluations_participation_exclusion_needs_reason",
    )
    assert factories.make_participation(
        round_, kota_bekasi, excluded=True, exclusion_reason="Tidak mengirim penilaian mandiri"
    ).excluded


def test_a_region_takes_part_in_a_round_once(participation):
    refused(
        lambda: factories.make_participation(participation.round, participation.region),
        "evaluations_participation_unique_region_per_round",
        "evaluations_participation.round_id",
    )


def test_indicator_codes_are_unique_within_an_instrument_and_weights_positive(indicator):
    refused(
        lambda: Indicator.objects.create(
            instrument=indicator.instrument, code=indicator.code, name="Kembar", component="output"
        ),
        "evaluations_indicator_unique_code",
        "evaluations_indicator.instrument_id",
    )
    refused(
        lambda: Indicator.objects.create(
            instrument=indicator.instrument,
            code="ZERO",
            name="Tanpa bobot",
            component="output",
            weight=Decimal(0),
        ),
        "evaluations_indicator_weight_positive",
    )
    refused(
        lambda: Indicator.objects.create(
            instrument=indicator.instrument,
            code="ELEM",
            name="Elemen tanpa dimensi",
            component="output",
            element=indicator.element,
        ),
        "evaluations_indicator_element_needs_dimension",
    )


def test_rating_bands_have_distinct_thresholds_within_0_and_5(indicator):
    instrument = indicator.instrument
    refused(
        lambda: RatingBand.objects.create(
            instrument=instrument, name="Istimewa", min_index=Decimal("4.20")
        ),
        "evaluations_ratingband_unique_threshold",
        "evaluations_ratingband.instrument_id",
    )
    refused(
        lambda: RatingBand.objects.create(
            instrument=instrument, name="Luar biasa", min_index=Decimal("5.50")
        ),
        "evaluations_ratingband_min_index_range",
    )


def test_programme_years_in_order_and_evidence_is_a_file_or_a_link(kota_bekasi):
    refused(
        lambda: factories.make_programme(kota_bekasi, start_year=2024, end_year=2022),
        "evaluations_programme_years_ordered",
    )
    refused(
        lambda: Evidence.objects.create(region=kota_bekasi, title="Kosong"),
        "evaluations_evidence_file_or_link",
    )
    refused(
        lambda: Evidence.objects.create(
            region=kota_bekasi, title="Dua-duanya", url="https://example.org", file="x.pdf"
        ),
        "evaluations_evidence_file_or_link",
    )
    assert Programme.objects.count() == 0


def test_a_pdf_preview_is_ready_with_pages_and_has_a_problem_only_when_failed(kota_bekasi):
    pdf = Evidence.objects.create(region=kota_bekasi, title="Perwal", file="perwal.pdf")
    refused(
        lambda: EvidencePreview.objects.create(
            evidence=pdf, source_name="perwal.pdf", state="ready"
        ),
        "evaluations_evidencepreview_ready_has_pages",
    )
    refused(
        lambda: EvidencePreview.objects.create(
            evidence=pdf, source_name="perwal.pdf", state="preparing", problem="damaged"
        ),
        "evaluations_evidencepreview_problem_only_when_failed",
    )
    EvidencePreview.objects.create(
        evidence=pdf, source_name="perwal.pdf", state="failed", problem="damaged"
    )
    refused(
        lambda: EvidencePreview.objects.create(evidence=pdf, source_name="perwal.pdf"),
        "evidence_id",  # one preview per evidence
    )


def test_a_region_joins_one_cohort(kota_bekasi):
    first = Cohort.objects.create(year=2017, name="Angkatan 2017")
    second = Cohort.objects.create(year=2018, name="Angkatan 2018")
    CohortMembership.objects.create(cohort=first, region=kota_bekasi)
    refused(
        lambda: CohortMembership.objects.create(cohort=second, region=kota_bekasi),
        "regions_cohortmembership_region_joins_once",
        "regions_cohortmembership.region_id",
    )


def test_region_coordinates_stay_on_the_globe(jawa_barat):
    refused(
        lambda: factories.make_region("32.76", "Kota Depok", province=jawa_barat, latitude=95),
        "regions_region_latitude_range",
    )
