"""`manage.py load_reference` loads whichever reference fixtures exist and is safe to rerun
(`make run` calls it on every start): it adds what is missing and keeps what an administrator
edited since, unless asked to refresh."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.serializers.base import DeserializationError

from regions.models import Province


def write_provinces(directory: Path, *names: str) -> None:
    rows = [
        {
            "model": "regions.province",
            "pk": index,
            "fields": {"code": f"{30 + index}", "name": name, "slug": name.lower()},
        }
        for index, name in enumerate(names, start=1)
    ]
    (directory / "regions.json").write_text(json.dumps(rows), encoding="utf-8")


def load(directory: Path, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("load_reference", "--dir", str(directory), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def province_names() -> list[str]:
    return list(Province.objects.values_list("name", flat=True))


@pytest.mark.django_db
def test_loading_again_adds_what_is_missing_and_keeps_edits(tmp_path):
    write_provinces(tmp_path, "Banten", "Jawa Barat")
    load(tmp_path)
    # An administrator corrects a name; a later fixture adds a province.
    Province.objects.filter(name="Banten").update(name="Provinsi Banten")
    write_provinces(tmp_path, "Banten", "Jawa Barat", "Jawa Tengah")
    out, err = load(tmp_path)

    assert province_names() == ["Provinsi Banten", "Jawa Barat", "Jawa Tengah"]
    assert "regions.json: 1 added, 2 already present (kept)" in out
    assert "Skipped cohorts.json: not found" in err


@pytest.mark.django_db
def test_refresh_overwrites_rows_with_the_fixture(tmp_path):
    write_provinces(tmp_path, "Banten", "Jawa Barat")
    load(tmp_path)
    Province.objects.filter(name="Banten").update(name="Provinsi Banten")
    out, _ = load(tmp_path, "--refresh")

    assert province_names() == ["Banten", "Jawa Barat"]
    assert "Refreshed reference data from regions.json" in out


@pytest.mark.django_db
def test_a_missing_fixture_is_an_error_when_all_are_required(tmp_path):
    write_provinces(tmp_path, "Banten")
    with pytest.raises(CommandError, match=r"Missing reference fixtures .*cohorts\.json"):
        load(tmp_path, "--require-all")
    assert not Province.objects.exists()


@pytest.mark.django_db
def test_a_broken_fixture_loads_nothing(tmp_path):
    write_provinces(tmp_path, "Banten")
    broken = [{"model": "regions.cohort", "pk": 1, "fields": {"year": "not a year"}}]
    (tmp_path / "cohorts.json").write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(DeserializationError, match="not a year"):
        load(tmp_path)
    assert not Province.objects.exists()
