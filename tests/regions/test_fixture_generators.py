"""The committed fixtures are exactly what the generator commands produce, and the
generators refuse source data that does not check out."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from evaluations.management.commands.build_instrument_fixture import check
from evaluations.reference_data import DEFAULT_INSTRUMENT, DIMENSIONS, INDICATORS
from regions.management.commands.build_regions_fixture import build_fixtures

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


@pytest.mark.parametrize(
    ("command", "files"),
    [
        ("build_regions_fixture", ["regions.json", "cohorts.json"]),
        ("build_instrument_fixture", ["dimensions.json", "default_instrument.json"]),
    ],
)
def test_committed_fixture_is_what_the_command_generates(command, files, tmp_path):
    call_command(command, output_dir=tmp_path, stdout=io.StringIO())
    for name in files:
        assert (tmp_path / name).read_bytes() == (FIXTURES / name).read_bytes(), (
            f"fixtures/{name} is stale: run manage.py {command}"
        )


def _source(extra_region=None):
    """A tiny stand-in for the packages: one province, one kabupaten, one kota."""
    provinces = [{"code": "32", "name": "Jawa Barat"}]
    regions = [
        {"code": "32.04", "name": "Kabupaten Bandung", "type": "kabupaten"},
        {"code": "32.75", "name": "Kota Bekasi", "type": "kota"},
    ]
    if extra_region:
        regions.append(extra_region)
    extra = {
        "3204": {"name": "Kabupaten Bandung", "capital": "Soreang", "latitude": -7.02,
                 "longitude": 107.52, "area": 1767.96, "population": 3721111},
        "3275": {"name": "Kota Bekasi", "capital": "Bekasi", "latitude": -6.2360139577925855,
                 "longitude": 106.99, "area": None, "population": 2572209},
        "3276": {"name": "Kota Bekasi", "capital": None, "latitude": None,
                 "longitude": None, "area": None, "population": None},
    }  # fmt: skip
    return provinces, regions, extra


def test_generator_refuses_counts_that_differ_from_the_decree():
    with pytest.raises(CommandError, match="expected 38 provinces, 416 kabupaten and 98 kota"):
        build_fixtures(*_source())


def test_generator_rounds_coordinates_keeps_gaps_and_disambiguates_slugs(monkeypatch):
    from regions.management.commands import build_regions_fixture as module

    monkeypatch.setattr(module, "EXPECTED_PROVINCES", 1)
    monkeypatch.setattr(module, "EXPECTED_KABUPATEN", 1)
    monkeypatch.setattr(module, "EXPECTED_KOTA", 2)
    monkeypatch.setattr(module, "COHORTS", [])
    clash = {"code": "32.76", "name": "Kota Bekasi", "type": "kota"}
    rows, _ = build_fixtures(*_source(extra_region=clash))
    regions = {r["fields"]["code"]: r["fields"] for r in rows if r["model"] == "regions.region"}
    assert regions["32.75"]["latitude"] == "-6.236014"
    assert regions["32.75"]["area_km2"] is None
    assert regions["32.75"]["province"] == ["32"]
    # The lower code keeps the plain slug; the clash gets the province appended.
    assert regions["32.75"]["slug"] == "kota-bekasi"
    assert regions["32.76"]["slug"] == "kota-bekasi-jawa-barat"
    assert regions["32.76"]["capital"] == ""


def test_generator_refuses_a_kind_that_contradicts_the_code(monkeypatch):
    wrong = {"code": "32.76", "name": "Kabupaten Depok", "type": "kabupaten"}
    with pytest.raises(CommandError, match=r"32\.76 Kabupaten Depok: code says kota"):
        build_fixtures(*_source(extra_region=wrong))


def test_instrument_data_checks_out_and_a_broken_copy_does_not():
    assert check(DIMENSIONS, DEFAULT_INSTRUMENT, INDICATORS) == []
    heavy = replace(DEFAULT_INSTRUMENT, weights={**DEFAULT_INSTRUMENT.weights, "impact": 20})
    without_energy = tuple(i for i in INDICATORS if i.element != "environment-energy")
    blank = (replace(INDICATORS[0], levels=(*INDICATORS[0].levels[:5], " ")), *INDICATORS[1:])
    assert "weights sum to 90 %, not 100 %" in check(DIMENSIONS, heavy, INDICATORS)
    assert "elements without an indicator: ['environment-energy']" in check(
        DIMENSIONS, DEFAULT_INSTRUMENT, without_energy
    )
    assert "BL-01: needs a descriptor for each level 0–5" in check(
        DIMENSIONS, DEFAULT_INSTRUMENT, blank
    )
