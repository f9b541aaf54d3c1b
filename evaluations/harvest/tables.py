"""The open-data tables, each with its Table Schema and its rows.

A table is read either for the whole history (``round_=None``: every published round) or for
one published round. Each ``rows`` function costs one query, whatever the number of rows
(tests/harvest/test_query_counts.py). Field names are a contract with data users, like
``opendata.COLUMNS``: add fields at the end, never rename or drop.

Types follow the Table Schema specification (https://specs.frictionlessdata.io/table-schema/):
region and province codes are strings with a pattern (``35.10`` must never become ``35.1``),
figures published with two decimals are ``number`` fields whose description and
``decimalPlaces`` property state the precision, ranks are integers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from evaluations import opendata
from evaluations.models import (
    ComponentCode,
    DimensionCode,
    Instrument,
    Publication,
    PublicationKind,
    RatingBand,
    Result,
    Round,
)
from evaluations.selectors import public as public_reads
from regions.models import CohortMembership, Region, RegionKind

REGION_CODE_PATTERN = r"^[0-9]{2}\.[0-9]{2}$"
PROVINCE_CODE_PATTERN = r"^[0-9]{2}$"
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"

Row = dict[str, Any]


def _field(
    name: str,
    type_: str,
    description: Promise | str,
    *,
    required: bool = False,
    unique: bool = False,
    decimals: int | None = None,
    **constraints: Any,
) -> dict[str, Any]:
    """One Table Schema field descriptor (descriptions in the active language)."""
    text = str(description)
    spec: dict[str, Any] = {"name": name, "type": type_}
    if decimals is not None:
        # Table Schema has no precision keyword: say it in words and in a property of our own.
        text = f"{text} {_('Dibulatkan ke %(n)s desimal.') % {'n': decimals}}"
        spec["decimalPlaces"] = decimals
    if type_ == "datetime":
        spec["format"] = "default"  # ISO 8601 in UTC, e.g. 2024-11-05T09:00:00Z
    spec["description"] = text
    if required:
        constraints["required"] = True
    if unique:
        constraints["unique"] = True
    if constraints:
        spec["constraints"] = constraints
    return spec


def _round_key() -> dict[str, Any]:
    """The ``round`` column that ties a row to its round (a slug)."""
    return _field(
        "round", "string", _("Slug putaran evaluasi."), required=True, pattern=SLUG_PATTERN
    )


def _instrument_key(description: Promise | str) -> dict[str, Any]:
    """The ``instrument`` column that ties a row to its instrument version (a code)."""
    return _field("instrument", "string", description, required=True, pattern=SLUG_PATTERN)


def _score_constraints() -> dict[str, Any]:
    return {"minimum": 0, "maximum": 5}


# --- The results table: opendata.COLUMNS as Table Schema ----------

_RESULT_CONSTRAINTS: dict[str, dict[str, Any]] = {
    "round": {"required": True, "pattern": SLUG_PATTERN},
    "round_name": {"required": True},
    "round_year": {"required": True, "minimum": 2017},
    "round_phase": {"required": True, "minimum": 1, "maximum": 4},
    "region_code": {"required": True, "pattern": REGION_CODE_PATTERN},
    "region_name": {"required": True},
    "region_slug": {"required": True, "pattern": SLUG_PATTERN},
    "region_kind": {"required": True, "enum": list(RegionKind.values)},
    "province_code": {"required": True, "pattern": PROVINCE_CODE_PATTERN},
    "province_name": {"required": True},
    "cohort_year": {"minimum": 2017},
    "national_rank": {"required": True, "minimum": 1},
    "provincial_rank": {"required": True, "minimum": 1},
    "index": {"required": True, "minimum": 0, "maximum": 5},
    "index_change": {"minimum": -5, "maximum": 5},
    "instrument": {"required": True, "pattern": SLUG_PATTERN},
    "revision": {"required": True, "minimum": 1},
    "index_exact": {"minimum": 0, "maximum": 5},
    "index_change_exact": {"minimum": -5, "maximum": 5},
}


def _result_fields() -> list[dict[str, Any]]:
    fields = []
    for column in opendata.COLUMNS:
        constraints = dict(_RESULT_CONSTRAINTS.get(column.name, {}))
        if column.name.startswith("score_"):
            constraints.update(_score_constraints())
        if column.name.startswith("programmes_"):
            constraints["minimum"] = 0
        if column.type == "decimal":
            places = opendata.decimal_places(column.name)
            fields.append(
                _field(column.name, "number", column.description, decimals=places, **constraints)
            )
        else:
            fields.append(_field(column.name, column.type, column.description, **constraints))
    return fields


# --- Table definitions ----------


@dataclass(frozen=True)
class Table:
    """A resource of the data packages: name, title, schema, and how to read its rows."""

    name: str
    title: Promise | str
    description: Promise | str
    fields: Callable[[], list[dict[str, Any]]]
    primary_key: list[str]
    rows: Callable[[Round | None], list[Row]]
    foreign_keys: list[tuple[list[str], str, list[str]]] = field(default_factory=list)

    def schema(self) -> dict[str, Any]:
        """The Table Schema descriptor."""
        spec: dict[str, Any] = {"fields": self.fields(), "primaryKey": self.primary_key}
        if self.foreign_keys:
            spec["foreignKeys"] = [
                {"fields": mine, "reference": {"resource": resource, "fields": theirs}}
                for mine, resource, theirs in self.foreign_keys
            ]
        spec["missingValues"] = [""]
        return spec

    @property
    def field_names(self) -> list[str]:
        return [f["name"] for f in self.fields()]


def _results(round_: Round | None) -> QuerySet[Result]:
    if round_ is None:
        return public_reads.public_series_results()
    return public_reads.public_round_results(round_)


def result_table_rows(round_: Round | None) -> list[Row]:
    """Every published result (or one round's), oldest round first, national order."""
    return opendata.result_rows(_results(round_))


def _score_rows(round_: Round | None, codes: list[str], key: str) -> list[Row]:
    """Long form of the dimension or component scores: one row per result and code."""
    weights = [f"participation__round__instrument__weight_{c}" for c in codes]
    values = _results(round_).values(
        "participation__round__slug",
        "participation__region__code",
        *[f"score_{c}" for c in codes],
        *(weights if key == "component" else []),
    )
    rows = []
    for v in values:
        for code in codes:
            row: Row = {
                "round": v["participation__round__slug"],
                "region_code": v["participation__region__code"],
                key: code,
            }
            if key == "component":
                row["weight"] = v[f"participation__round__instrument__weight_{code}"]
            row["score"] = v[f"score_{code}"]
            rows.append(row)
    return rows


def dimension_score_rows(round_: Round | None) -> list[Row]:
    return _score_rows(round_, list(DimensionCode.values), "dimension")


def component_score_rows(round_: Round | None) -> list[Row]:
    return _score_rows(round_, list(ComponentCode.values), "component")


def _public_regions(round_: Round | None) -> QuerySet[Region]:
    regions = public_reads.public_regions()
    if round_ is not None:
        in_round = Result.objects.published().filter(
            participation__round=round_,
            participation__excluded=False,
            participation__region=OuterRef("pk"),
        )
        regions = regions.filter(Exists(in_round))
    return regions


def region_rows(round_: Round | None) -> list[Row]:
    cohort = CohortMembership.objects.filter(region=OuterRef("pk")).order_by("cohort__year")
    values = (
        _public_regions(round_)
        .annotate(cohort_year=Subquery(cohort.values("cohort__year")[:1]))
        .order_by("code")
        .values(
            "code",
            "name",
            "slug",
            "kind",
            "province__code",
            "province__name",
            "capital",
            "latitude",
            "longitude",
            "area_km2",
            "population",
            "cohort_year",
        )
    )
    return [
        {
            "code": v["code"],
            "name": v["name"],
            "slug": v["slug"],
            "kind": v["kind"],
            "province_code": v["province__code"],
            "province_name": v["province__name"],
            "capital": v["capital"],
            "latitude": v["latitude"],
            "longitude": v["longitude"],
            "area_km2": v["area_km2"],
            "population": v["population"],
            "cohort_year": v["cohort_year"],
        }
        for v in values
    ]


def _rounds(round_: Round | None) -> QuerySet[Round]:
    rounds = public_reads.public_rounds()
    return rounds if round_ is None else rounds.filter(pk=round_.pk)


def round_rows(round_: Round | None) -> list[Row]:
    newest = (
        Publication.objects.filter(round=OuterRef("pk"))
        .exclude(kind=PublicationKind.WITHDRAWAL)
        .order_by("-number")
    )
    values = (
        _rounds(round_)
        .annotate(
            revision=Subquery(newest.values("number")[:1]),
            participants=Count("participations__result", filter=Q(participations__excluded=False)),
        )
        .order_by("year", "phase")
        .values(
            "slug",
            "name",
            "year",
            "phase",
            "instrument__code",
            "published_at",
            "revision",
            "participants",
            "under_correction_since",
            "correction_reason",
        )
    )
    return [
        {
            "slug": v["slug"],
            "name": v["name"],
            "year": v["year"],
            "phase": v["phase"],
            "instrument": v["instrument__code"],
            "published_at": v["published_at"],
            "revision": v["revision"],
            "participants": v["participants"],
            "under_correction_since": v["under_correction_since"],
            "correction_reason": v["correction_reason"] if v["under_correction_since"] else "",
        }
        for v in values
    ]


def _instruments(round_: Round | None) -> QuerySet[Instrument]:
    instruments = public_reads.public_instruments()
    return instruments if round_ is None else instruments.filter(rounds=round_)


def instrument_rows(round_: Round | None) -> list[Row]:
    weights = [f"weight_{c}" for c in ComponentCode.values]
    values = _instruments(round_).order_by("year", "code").values("code", "name", "year", *weights)
    return [dict(v) for v in values]


def rating_band_rows(round_: Round | None) -> list[Row]:
    values = (
        RatingBand.objects.filter(instrument__in=_instruments(round_).values("pk"))
        .order_by("instrument__code", "-min_index")
        .values("instrument__code", "name", "min_index")
    )
    return [
        {"instrument": v["instrument__code"], "name": v["name"], "min_index": v["min_index"]}
        for v in values
    ]


def revision_rows(round_: Round | None) -> list[Row]:
    values = (
        Publication.objects.filter(round__in=_rounds(round_).values("pk"))
        .order_by("round__year", "round__phase", "number")
        .values(
            "round__slug",
            "number",
            "published_at",
            "kind",
            "note",
            "caused_by__slug",
            "instrument_label",
        )
    )
    return [
        {
            "round": v["round__slug"],
            "revision": v["number"],
            "published_at": v["published_at"],
            "kind": v["kind"],
            "reason": v["note"],
            "revision_of": v["caused_by__slug"],
            "instrument_version": v["instrument_label"],
        }
        for v in values
    ]


def _region_fields() -> list[dict[str, Any]]:
    return [
        _field(
            "code",
            "string",
            _("Kode wilayah Kemendagri PP.KK, mis. 32.75."),
            required=True,
            unique=True,
            pattern=REGION_CODE_PATTERN,
        ),
        _field("name", "string", _("Nama kabupaten/kota."), required=True),
        _field(
            "slug",
            "string",
            _("Slug profil wilayah di portal (/regions/<slug>/)."),
            required=True,
            unique=True,
            pattern=SLUG_PATTERN,
        ),
        _field(
            "kind",
            "string",
            _("Jenis wilayah: kota atau kabupaten."),
            required=True,
            enum=list(RegionKind.values),
        ),
        _field(
            "province_code",
            "string",
            _("Kode provinsi Kemendagri (dua angka)."),
            required=True,
            pattern=PROVINCE_CODE_PATTERN,
        ),
        _field("province_name", "string", _("Nama provinsi."), required=True),
        _field("capital", "string", _("Ibu kota kabupaten/kota.")),
        _field(
            "latitude",
            "number",
            _("Lintang titik pusat (WGS 84)."),
            decimals=6,
            minimum=-90,
            maximum=90,
        ),
        _field(
            "longitude",
            "number",
            _("Bujur titik pusat (WGS 84)."),
            decimals=6,
            minimum=-180,
            maximum=180,
        ),
        _field("area_km2", "number", _("Luas wilayah dalam km²."), decimals=2, minimum=0),
        _field("population", "integer", _("Jumlah penduduk."), minimum=0),
        _field(
            "cohort_year",
            "integer",
            _("Tahun angkatan bergabung; kosong bila tidak diketahui."),
            minimum=2017,
        ),
    ]


def _round_fields() -> list[dict[str, Any]]:
    return [
        _field(
            "slug",
            "string",
            _("Slug putaran evaluasi, mis. evaluasi-2024-tahap-1."),
            required=True,
            unique=True,
            pattern=SLUG_PATTERN,
        ),
        _field("name", "string", _("Nama putaran evaluasi."), required=True),
        _field("year", "integer", _("Tahun putaran."), required=True, minimum=2017),
        _field(
            "phase",
            "integer",
            _("Tahap putaran dalam tahun itu (1–4)."),
            required=True,
            minimum=1,
            maximum=4,
        ),
        _instrument_key(_("Kode versi instrumen putaran.")),
        _field(
            "published_at",
            "datetime",
            _("Waktu publikasi terakhir (UTC)."),
            required=True,
        ),
        _field(
            "revision",
            "integer",
            _("Nomor publikasi terakhir: 1 publikasi pertama, 2 revisi pertama…"),
            required=True,
            minimum=1,
        ),
        _field(
            "participants",
            "integer",
            _("Jumlah wilayah dengan hasil terpublikasi."),
            required=True,
            minimum=0,
        ),
        _field(
            "under_correction_since",
            "datetime",
            _(
                "Bila diisi: putaran dibuka kembali untuk koreksi sejak waktu ini (UTC); angka "
                "yang terbit tetap angka publikasi terakhir sampai revisi berikutnya."
            ),
        ),
        _field("correction_reason", "string", _("Alasan koreksi yang sedang berjalan.")),
    ]


def _instrument_fields() -> list[dict[str, Any]]:
    return [
        _field(
            "code",
            "string",
            _("Kode versi instrumen."),
            required=True,
            unique=True,
            pattern=SLUG_PATTERN,
        ),
        _field("name", "string", _("Nama instrumen."), required=True),
        _field("year", "integer", _("Tahun berlaku."), required=True),
        *[
            _field(
                f"weight_{code}",
                "integer",
                _("Bobot komponen %(name)s dalam indeks, dalam persen.") % {"name": label},
                required=True,
                minimum=0,
                maximum=100,
            )
            for code, label in ComponentCode.choices
        ],
    ]


def _band_fields() -> list[dict[str, Any]]:
    return [
        _instrument_key(_("Kode versi instrumen.")),
        _field("name", "string", _("Predikat."), required=True),
        _field(
            "min_index",
            "number",
            _("Indeks terendah yang mendapat predikat ini."),
            required=True,
            decimals=2,
            minimum=0,
            maximum=5,
        ),
    ]


def _revision_fields() -> list[dict[str, Any]]:
    return [
        _round_key(),
        _field(
            "revision",
            "integer",
            _("Nomor publikasi: 1 publikasi pertama, 2 revisi pertama…"),
            required=True,
            minimum=1,
        ),
        _field("published_at", "datetime", _("Waktu publikasi (UTC)."), required=True),
        _field(
            "kind",
            "string",
            _(
                "Jenis: publication (publikasi), correction (revisi setelah koreksi), derived "
                "(revisi karena putaran lain berubah), withdrawal (penarikan)."
            ),
            required=True,
            enum=list(PublicationKind.values),
        ),
        _field("reason", "string", _("Alasan revisi, seperti tertulis di halaman revisi.")),
        _field(
            "revision_of",
            "string",
            _("Untuk revisi turunan: slug putaran yang perubahannya menyebabkan revisi ini."),
            pattern=SLUG_PATTERN,
        ),
        _field(
            "instrument_version",
            "string",
            _("Versi instrumen yang menghasilkan angka revisi ini."),
        ),
    ]


def _score_fields(key: str) -> Callable[[], list[dict[str, Any]]]:
    def fields() -> list[dict[str, Any]]:
        codes = DimensionCode if key == "dimension" else ComponentCode
        described = _("Kode dimensi.") if key == "dimension" else _("Kode komponen evaluasi.")
        spec = [
            _round_key(),
            _field(
                "region_code",
                "string",
                _("Kode wilayah Kemendagri PP.KK."),
                required=True,
                pattern=REGION_CODE_PATTERN,
            ),
            _field(key, "string", described, required=True, enum=list(codes.values)),
        ]
        if key == "component":
            spec.append(
                _field(
                    "weight",
                    "integer",
                    _("Bobot komponen dalam indeks menurut instrumen putaran, dalam persen."),
                    required=True,
                    minimum=0,
                    maximum=100,
                )
            )
        spec.append(_field("score", "number", _("Skor 0–5."), decimals=2, **_score_constraints()))
        return spec

    return fields


RESULTS = Table(
    name="results",
    title=_("Hasil evaluasi"),
    description=_(
        "Satu baris per wilayah dan putaran terpublikasi: indeks, predikat, peringkat, skor "
        "komponen dan dimensi, versi instrumen dan nomor revisi."
    ),
    fields=_result_fields,
    primary_key=["round", "region_code"],
    rows=result_table_rows,
    foreign_keys=[
        (["round"], "rounds", ["slug"]),
        (["region_code"], "regions", ["code"]),
        (["instrument"], "instruments", ["code"]),
        (["round", "revision"], "revisions", ["round", "revision"]),
    ],
)


def _score_table(
    key: str, *, title: Promise, description: Promise, rows: Callable[[Round | None], list[Row]]
) -> Table:
    """A table of one score per result and ``key`` (dimension or component)."""
    return Table(
        name=f"{key}_scores",
        title=title,
        description=description,
        fields=_score_fields(key),
        primary_key=["round", "region_code", key],
        rows=rows,
        foreign_keys=[(["round", "region_code"], "results", ["round", "region_code"])],
    )


TABLES: list[Table] = [
    RESULTS,
    _score_table(
        "dimension",
        title=_("Skor dimensi"),
        description=_("Skor enam dimensi smart city, satu baris per hasil dan dimensi."),
        rows=dimension_score_rows,
    ),
    _score_table(
        "component",
        title=_("Skor komponen"),
        description=_(
            "Skor lima komponen evaluasi dengan bobotnya, satu baris per hasil dan komponen."
        ),
        rows=component_score_rows,
    ),
    Table(
        name="regions",
        title=_("Wilayah"),
        description=_("Kabupaten/kota dengan halaman profil publik."),
        fields=_region_fields,
        primary_key=["code"],
        rows=region_rows,
    ),
    Table(
        name="rounds",
        title=_("Putaran evaluasi"),
        description=_("Putaran evaluasi yang hasilnya dipublikasikan."),
        fields=_round_fields,
        primary_key=["slug"],
        rows=round_rows,
        foreign_keys=[(["instrument"], "instruments", ["code"])],
    ),
    Table(
        name="instruments",
        title=_("Versi instrumen"),
        description=_("Versi instrumen putaran terpublikasi dengan bobot kelima komponen."),
        fields=_instrument_fields,
        primary_key=["code"],
        rows=instrument_rows,
    ),
    Table(
        name="rating_bands",
        title=_("Predikat"),
        description=_("Batas predikat setiap versi instrumen."),
        fields=_band_fields,
        primary_key=["instrument", "name"],
        rows=rating_band_rows,
        foreign_keys=[(["instrument"], "instruments", ["code"])],
    ),
    Table(
        name="revisions",
        title=_("Revisi publikasi"),
        description=_(
            "Setiap publikasi hasil sebuah putaran: 1 publikasi pertama, berikutnya revisi."
        ),
        fields=_revision_fields,
        primary_key=["round", "revision"],
        rows=revision_rows,
        foreign_keys=[(["round"], "rounds", ["slug"])],
    ),
]

TABLES_BY_NAME = {t.name: t for t in TABLES}


# --- Writing ----------


def cell(value: object, places: int | None = None) -> str:
    """A CSV cell: Decimal with ``places`` decimals (as stored without), datetime in UTC
    with ``Z``, nothing as the empty string."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, f".{places}f") if places is not None else format(value, "f")
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)
