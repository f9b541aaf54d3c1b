"""The usual scene of the public tests: four regions in three provinces, two published
rounds (2023, 2024, with improvement) and a finalised 2025 round whose results and findings
must never be shown (its figures carry values no published round has: index 4.87, finding
text "TEMUAN-RAHASIA")."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from evaluations.models import (
    FindingKind,
    Instrument,
    Participation,
    Publication,
    Result,
    Round,
    RoundStatus,
)
from evaluations.services.programmes.published import register_snapshot
from regions.models import Region, RegionKind
from tests import factories
from tests.public import factories as pf

SECRET_INDEX = Decimal("4.87")
SECRET_FINDING = "TEMUAN-RAHASIA tidak boleh tampil"
PUBLIC_FINDING = "Mall Pelayanan Publik melayani 300 jenis izin"


@dataclass
class Scene:
    instrument: Instrument
    regions: list[Region]
    round_2023: Round
    round_2024: Round
    hidden: Round
    results_2023: list[Result]
    results_2024: list[Result]
    hidden_results: list[Result]

    def result(self, results: list[Result], region: Region) -> Result:
        return next(r for r in results if r.participation.region_id == region.pk)


def make_scene(instrument: Instrument, kota_bekasi: Region, kota_bandung: Region) -> Scene:
    """The usual scene of the public tests."""
    jatim = factories.make_province("35", "Jawa Timur")
    diy = factories.make_province("34", "DI Yogyakarta")
    surabaya = factories.make_region(
        "35.78",
        "Kota Surabaya",
        province=jatim,
        latitude=Decimal("-7.25"),
        longitude=Decimal("112.75"),
        capital="Surabaya",
        population=2_874_000,
    )
    sleman = factories.make_region(
        "34.04",
        "Kabupaten Sleman",
        province=diy,
        kind=RegionKind.KABUPATEN,
        latitude=Decimal("-7.72"),
        longitude=Decimal("110.36"),
        capital="Sleman",
    )
    for region, lat, lon in ((kota_bekasi, "-6.24", "106.99"), (kota_bandung, "-6.91", "107.61")):
        region.latitude, region.longitude = Decimal(lat), Decimal(lon)
        region.capital, region.population, region.area_km2 = region.name[5:], 2_500_000, 210
        region.save()
    regions = [kota_bekasi, kota_bandung, surabaya, sleman]
    pf.make_cohort(2017, [kota_bekasi, kota_bandung, sleman])
    round_2023, results_2023 = pf.make_round_with_results(
        regions, year=2023, instrument=instrument, seed=1
    )
    round_2024, results_2024 = pf.make_round_with_results(
        regions,
        year=2024,
        instrument=instrument,
        seed=2,
        previous={r.participation.region_id: r for r in results_2023},
    )
    hidden, hidden_results = pf.make_round_with_results(
        regions,
        year=2025,
        instrument=instrument,
        seed=3,
        published=False,
        previous={r.participation.region_id: r for r in results_2024},
    )
    # Give the unpublished round figures that appear nowhere else.
    with factories.guards_lifted():
        Result.objects.filter(pk__in=[r.pk for r in hidden_results]).update(
            index=SECRET_INDEX, score_governance=SECRET_INDEX
        )
    pf.make_field_review(
        Participation.objects.get(round=round_2024, region=kota_bekasi),
        [("governance", FindingKind.ACHIEVEMENT, PUBLIC_FINDING)],
    )
    pf.make_field_review(
        Participation.objects.get(round=hidden, region=kota_bekasi),
        [("governance", FindingKind.OBSTACLE, SECRET_FINDING)],
    )
    pf.make_profile_extras(kota_bekasi)
    # The profile shows the register as of the latest publication (issue 12): publish the
    # register with the 2024 round, as round_publish does.
    publication = Publication.objects.create(
        round=round_2024, number=1, published_by=pf.publisher(), note="Hasil resmi"
    )
    register_snapshot(publication=publication)
    assert hidden.status == RoundStatus.FINALISED
    return Scene(
        instrument,
        regions,
        round_2023,
        round_2024,
        hidden,
        results_2023,
        results_2024,
        hidden_results,
    )
