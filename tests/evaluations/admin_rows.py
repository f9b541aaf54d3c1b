"""Rows for every model the admin shows, so that admin tests can fill any changelist.

``RowBuilder.add(model, n)`` creates ``n`` more rows of ``model``; rows of one builder share
their parents (one round, one participation, …) and differ where a unique constraint needs
it. Every row's foreign keys point at real objects, so a changelist that forgets a
``select_related`` runs one more query per row and the query-count tests notice.

A model registered in the admin without a method here fails ``test_admin_changelists``
on purpose: add one.
"""

from __future__ import annotations

import itertools
from datetime import date, time, timedelta
from decimal import Decimal
from functools import cached_property

from django.contrib.auth.models import User
from django.db.models import Model

from evaluations.models import (
    AgendaItem,
    Attendee,
    Dimension,
    DimensionCode,
    Element,
    Evidence,
    FieldReview,
    Finding,
    FindingKind,
    Indicator,
    Instrument,
    Participation,
    Programme,
    Publication,
    RatingBand,
    Result,
    ReviewerAssignment,
    Round,
    RoundEvent,
    RoundStatus,
    Score,
    SelfAssessmentAnswer,
    TrustUnlock,
    VerifiedScore,
)
from regions.models import (
    Agency,
    Award,
    Cohort,
    CohortMembership,
    DigitalGovernmentIndex,
    Province,
    Region,
    RegionKind,
    RegionMembership,
)
from tests import factories

# Dimensions are a closed set of six: their changelist is compared at 2 and 6 rows.
ROW_COUNTS: dict[type[Model], tuple[int, int]] = {Dimension: (2, 6)}
DEFAULT_ROW_COUNTS = (3, 30)


class RowBuilder:
    """Creates rows of any admin-registered model on demand (see module docstring)."""

    def __init__(self) -> None:
        self._seq = itertools.count(1)

    def add(self, model: type[Model], n: int) -> list[Model]:
        make = getattr(self, f"make_{model._meta.model_name}", None)
        if make is None:
            raise LookupError(f"RowBuilder cannot make {model.__name__} rows yet: add one.")
        return [make(next(self._seq)) for _ in range(n)]

    # --- shared parents ----------------------------------------------------------------

    @cached_property
    def province(self) -> Province:
        return factories.make_province("19", "Kepulauan Bangka Belitung")

    def region(self, i: int) -> Region:
        return factories.make_region(
            f"19.{i:02d}",
            f"Kabupaten Uji {i}",
            province=self.province,
            kind=RegionKind.KABUPATEN,
            capital=f"Ibu Kota {i}",
            population=1000 * i,
        )

    @cached_property
    def home_region(self) -> Region:
        # 19.69: row numbers stay far below it, so region(i) never collides.
        return self.region(69)

    @cached_property
    def user(self) -> User:
        return factories.make_reviewer("row-builder-reviewer")

    @cached_property
    def instrument(self) -> Instrument:
        # Six indicators per component: 30 indicators for 30 answers or scores.
        return factories.make_instrument(code="rows", indicators_per_component=6)

    @cached_property
    def indicators(self) -> list[Indicator]:
        return list(self.instrument.indicators.order_by("order"))

    @cached_property
    def round(self) -> Round:
        return factories.make_round(instrument=self.instrument, year=2090)

    @cached_property
    def participation(self) -> Participation:
        return factories.make_participation(self.round, self.home_region)

    def participation_for(self, i: int) -> Participation:
        return factories.make_participation(self.round, self.region(i))

    @cached_property
    def field_review(self) -> FieldReview:
        return FieldReview.objects.create(
            participation=self.participation,
            start_date=date(2090, 5, 1),
            end_date=date(2090, 5, 2),
        )

    @cached_property
    def dimensions(self) -> list[Dimension]:
        return factories.ensure_dimensions()

    def dimension_for(self, i: int) -> Dimension:
        return self.dimensions[i % len(self.dimensions)]

    @cached_property
    def cohort(self) -> Cohort:
        return Cohort.objects.create(year=2091, name="Angkatan Uji")

    # --- regions -----------------------------------------------------------------------

    def make_province(self, i: int) -> Province:
        return factories.make_province(f"{40 + i:02d}", f"Provinsi Uji {i}")

    def make_region(self, i: int) -> Region:
        return self.region(i)

    def make_cohort(self, i: int) -> Cohort:
        return Cohort.objects.create(year=2030 + i, name=f"Angkatan {2030 + i}")

    def make_cohortmembership(self, i: int) -> CohortMembership:
        return CohortMembership.objects.create(cohort=self.cohort, region=self.region(i))

    def make_agency(self, i: int) -> Agency:
        return Agency.objects.create(region=self.home_region, name=f"Dinas Uji {i}")

    def make_regionmembership(self, i: int) -> RegionMembership:
        # No password: hashing one per row would make this the slowest test of the suite.
        user = User.objects.create(username=f"operator{i}", first_name=f"Operator {i}")
        return RegionMembership.objects.create(user=user, region=self.home_region)

    def make_digitalgovernmentindex(self, i: int) -> DigitalGovernmentIndex:
        return DigitalGovernmentIndex.objects.create(
            region=self.home_region, year=2000 + i, value=Decimal("2.50")
        )

    def make_award(self, i: int) -> Award:
        return Award.objects.create(region=self.home_region, title=f"Penghargaan {i}", year=2024)

    # --- instruments -------------------------------------------------------------------

    def make_dimension(self, i: int) -> Dimension:
        code = DimensionCode.values[i - 1]
        return Dimension.objects.create(code=code, name=code.title(), order=i)

    def make_element(self, i: int) -> Element:
        return Element.objects.create(
            dimension=self.dimension_for(i), code=f"rows-element-{i}", name=f"Elemen {i}"
        )

    def make_instrument(self, i: int) -> Instrument:
        return Instrument.objects.create(
            code=f"rows-{i}",
            name=f"Instrumen {i}",
            year=2024,
            weight_baseline=10,
            weight_output=20,
            weight_outcome=30,
            weight_impact=30,
            weight_quick_win=10,
        )

    def make_indicator(self, i: int) -> Indicator:
        dimension = self.dimension_for(i)
        return Indicator.objects.create(
            instrument=self.instrument,
            code=f"ROW-{i:02d}",
            name=f"Indikator {i}",
            component="output",
            dimension=dimension,
            element=dimension.elements.first(),
        )

    @cached_property
    def bare_instrument(self) -> Instrument:
        return self.make_instrument(1000)

    def make_ratingband(self, i: int) -> RatingBand:
        return RatingBand.objects.create(
            instrument=self.bare_instrument, name=f"Predikat {i}", min_index=Decimal(i) / 10
        )

    # --- rounds ------------------------------------------------------------------------

    def make_round(self, i: int) -> Round:
        return factories.make_round(instrument=self.instrument, year=2030 + i)

    def make_roundevent(self, i: int) -> RoundEvent:
        return RoundEvent.objects.create(
            round=self.round,
            from_status=RoundStatus.DRAFT,
            to_status=RoundStatus.SELF_ASSESSMENT,
            by=self.user,
            reason=f"Langkah {i}",
        )

    def make_participation(self, i: int) -> Participation:
        participation = self.participation_for(i)
        factories.assign(participation, self.user, lead=True)
        return participation

    def make_reviewerassignment(self, i: int) -> ReviewerAssignment:
        return factories.assign(self.participation_for(i), self.user, lead=i % 2 == 0)

    # --- programmes --------------------------------------------------------------------

    def make_evidence(self, i: int) -> Evidence:
        return Evidence.objects.create(
            region=self.home_region,
            title=f"Bukti {i}",
            url=f"https://example.org/bukti/{i}",
            uploaded_by=self.user,
        )

    def make_programme(self, i: int) -> Programme:
        dimension = self.dimension_for(i)
        return factories.make_programme(
            self.home_region,
            title=f"Program {i}",
            dimension=dimension,
            element=dimension.elements.first(),
            agency=Agency.objects.get_or_create(region=self.home_region, name="Diskominfo")[0],
        )

    # --- assessment and scoring --------------------------------------------------------

    def make_selfassessmentanswer(self, i: int) -> SelfAssessmentAnswer:
        return SelfAssessmentAnswer.objects.create(
            participation=self.participation,
            indicator=self.indicators[i - 1],
            claimed_level=i % 6,
            updated_by=self.user,
        )

    def make_score(self, i: int) -> Score:
        return Score.objects.create(
            participation=self.participation,
            indicator=self.indicators[i - 1],
            reviewer=self.user,
            level=i % 6,
        )

    def make_verifiedscore(self, i: int) -> VerifiedScore:
        return VerifiedScore.objects.create(
            participation=self.participation,
            indicator=self.indicators[i - 1],
            level=i % 6,
            set_by=self.user,
        )

    # --- field reviews -----------------------------------------------------------------

    def make_fieldreview(self, i: int) -> FieldReview:
        review = FieldReview.objects.create(
            participation=self.participation_for(i),
            start_date=date(2090, 5, 1) + timedelta(days=i),
            end_date=date(2090, 5, 2) + timedelta(days=i),
            location=f"Kantor Bupati {i}",
        )
        review.reviewers.add(self.user)
        return review

    def make_agendaitem(self, i: int) -> AgendaItem:
        return AgendaItem.objects.create(
            field_review=self.field_review,
            day=1 + i % 2,
            start_time=time(8 + i % 10, 0),
            activity=f"Kegiatan {i}",
            dimension=self.dimension_for(i),
        )

    def make_attendee(self, i: int) -> Attendee:
        return Attendee.objects.create(field_review=self.field_review, name=f"Peserta {i}")

    def make_finding(self, i: int) -> Finding:
        return Finding.objects.create(
            field_review=self.field_review,
            dimension=self.dimension_for(i),
            kind=FindingKind.values[i % 3],
            text=f"Temuan {i}",
        )

    # --- results -----------------------------------------------------------------------

    def make_result(self, i: int) -> Result:
        return Result.objects.create(
            participation=self.participation_for(i),
            index=Decimal("3.10"),
            rating_band="Baik",
            national_rank=i,
            provincial_rank=i,
        )

    def make_trustunlock(self, i: int) -> TrustUnlock:
        # Never left behind in practice; made here only to fill the (read-only) list.
        return TrustUnlock.objects.create(round=self.round, reason=f"test {i}")

    def make_publication(self, i: int) -> Publication:
        return Publication.objects.create(
            round=self.round, number=i, published_by=self.user, snapshot=[{"rank": i}]
        )
