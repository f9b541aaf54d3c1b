"""Importing the register from the XLSX template: all or nothing, errors by row and column."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluations.models import Programme
from evaluations.services import programmes as service
from evaluations.services.programmes import spreadsheet
from tests import factories
from tests.city import files

pytestmark = pytest.mark.django_db

HEADER = [c.header for c in service.COLUMNS]


def _xlsx(rows):
    return files.upload("program.xlsx", files.xlsx(rows))


def _row(**values):
    base = {
        "title": "Mall Pelayanan Publik",
        "dimension": "governance",
        "element": "governance-1",
        "agency": "DPMPTSP",
        "status": "running",
        "is_quick_win": "tidak",
        "start_year": 2021,
        "end_year": None,
        "budget": "1.250.000.000",
        "description": "Layanan terpadu",
    }
    base.update(values)
    return [base[c.key] for c in service.COLUMNS]


@pytest.fixture
def setup(kota_bekasi):
    factories.ensure_dimensions()
    agency = factories.make_agency(kota_bekasi, "Dinas Penanaman Modal dan PTSP")
    agency.acronym = "DPMPTSP"
    agency.save()
    return agency


def _import(region, rows):
    return service.programmes_import(region=region, upload=_xlsx(rows), by=None)


def test_template_lists_codes_and_is_importable_once_filled(bekasi_client, kota_bekasi, setup):
    response = bekasi_client.get(reverse("city:programme_import_template", args=[kota_bekasi.slug]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Program", "Referensi"]
    sheet = workbook["Program"]
    assert [c.value for c in sheet[1]] == [
        f"{c.header} *" if c.required else c.header for c in service.COLUMNS
    ]
    reference = [row[0] for row in workbook["Referensi"].iter_rows(min_row=2, values_only=True)]
    assert "governance" in reference
    sheet.append(_row())
    sheet.append(
        _row(
            title="Kartu Sehat",
            dimension="Smart Living",
            element="living-2",
            agency="",
            status="Direncanakan",
            is_quick_win="ya",
            budget=None,
        )
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = files.upload("terisi.xlsx", buffer.getvalue())
    page = bekasi_client.post(
        reverse("city:programme_import", args=[kota_bekasi.slug]), {"file": upload}, follow=True
    )
    assert "2 program diimpor" in page.content.decode()
    mpp, sehat = Programme.objects.order_by("title").reverse()
    assert (mpp.title, mpp.agency, mpp.budget, mpp.status) == (
        "Mall Pelayanan Publik",
        setup,
        1_250_000_000,
        "running",
    )
    assert (sehat.dimension.code, sehat.element.code, sehat.is_quick_win, sehat.status) == (
        "living",
        "living-2",
        True,
        "planned",
    )
    assert {p.region for p in (mpp, sehat)} == {kota_bekasi}


def test_row_errors_are_reported_by_row_and_column_and_nothing_is_created(kota_bekasi, setup):
    rows = [
        HEADER,
        _row(agency="Dinas Penanaman Modal dan PTSP"),  # row 2: fine
        _row(dimension="smart kota"),  # row 3
        _row(element="living-1"),  # row 4: element of another dimension
        _row(agency="Dinas Fiktif"),  # row 5
        _row(start_year="dua ribu"),  # row 6
        _row(start_year=2022, end_year=2020),  # row 7
        _row(budget="1,5 juta", is_quick_win="mungkin"),  # row 8: two problems
        _row(title=None, agency=""),  # row 9
    ]
    with pytest.raises(service.ProgrammeImportError) as caught:
        _import(kota_bekasi, rows)
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == {
        (3, "Dimensi"),
        (4, "Elemen"),
        (5, "OPD pelaksana"),
        (6, "Tahun mulai"),
        (7, "Tahun selesai"),
        (8, "Anggaran (Rp)"),
        (8, "Quick win"),
        (9, "Nama program"),
    }
    assert not Programme.objects.exists()


def test_column_errors_are_reported(kota_bekasi, setup):
    header = [h for h in HEADER if h != "Tahun mulai"] + ["Kolom aneh", "Dimensi"]
    with pytest.raises(service.ProgrammeImportError) as caught:
        _import(kota_bekasi, [header, ["x"] * len(header)])
    messages = [p.message for p in caught.value.problems]
    assert str(service.IMPORT_MISSING_COLUMN % {"column": "Tahun mulai"}) in messages
    assert str(service.IMPORT_UNKNOWN_COLUMN % {"column": "Kolom aneh"}) in messages
    assert str(service.IMPORT_DUPLICATE_COLUMN % {"column": "Dimensi"}) in messages


def test_another_regions_agency_is_unknown(kota_bekasi, kota_bandung, setup):
    factories.make_agency(kota_bandung, "Dinas Bandung Saja")
    with pytest.raises(service.ProgrammeImportError) as caught:
        _import(kota_bekasi, [HEADER, _row(agency="Dinas Bandung Saja")])
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "OPD pelaksana")]


def test_an_exported_register_can_be_read_back(bekasi_client, kota_bekasi, setup):
    factories.make_programme(kota_bekasi, title="Command Center", agency=setup, budget=5_000_000)
    exported = bekasi_client.get(reverse("city:programme_export", args=[kota_bekasi.slug, "xlsx"]))
    Programme.objects.all().delete()
    created = service.programmes_import(
        region=kota_bekasi, upload=files.upload("ekspor.xlsx", exported.content), by=None
    )
    assert [(p.title, p.agency, p.budget) for p in created] == [
        ("Command Center", setup, 5_000_000)
    ]


def test_a_file_that_is_not_xlsx_is_refused(bekasi_client, kota_bekasi, setup):
    response = bekasi_client.post(
        reverse("city:programme_import", args=[kota_bekasi.slug]),
        {"file": files.upload("program.xlsx", files.HTML)},
        follow=True,
    )
    page = response.content.decode()
    assert str(service.IMPORT_NOT_XLSX) in page
    assert not Programme.objects.exists()


def test_import_page_lists_problems(bekasi_client, kota_bekasi, setup):
    response = bekasi_client.post(
        reverse("city:programme_import", args=[kota_bekasi.slug]),
        {"file": _xlsx([HEADER, _row(dimension="tidak ada")])},
        follow=True,
    )
    # The rows are checked by a background job: its page names each problem's row.
    page = response.content.decode()
    assert "Pekerjaan gagal; tidak ada perubahan yang disimpan." in page
    assert "Baris 2" in page
    assert "“tidak ada” bukan dimensi yang dikenal." in page
    assert not Programme.objects.exists()


def test_empty_and_oversized_imports_are_refused(kota_bekasi, setup, monkeypatch):
    with pytest.raises(service.ProgrammeImportError):
        _import(kota_bekasi, [HEADER])
    monkeypatch.setattr(spreadsheet, "MAX_IMPORT_ROWS", 2)
    with pytest.raises(service.ProgrammeImportError) as caught:
        _import(kota_bekasi, [HEADER, _row(), _row(), _row()])
    assert "paling banyak 2 program" in caught.value.problems[0].message


def test_import_queries_do_not_grow_with_the_rows(kota_bekasi, setup, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as three:
        _import(kota_bekasi, [HEADER] + [_row(title=f"P{i}") for i in range(3)])
    with django_assert_num_queries(len(three)):
        _import(kota_bekasi, [HEADER] + [_row(title=f"Q{i}") for i in range(30)])
    assert Programme.objects.count() == 33
