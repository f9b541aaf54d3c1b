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
    assert "Smart Governance" in reference
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
    url = reverse("city:programme_import", args=[kota_bekasi.slug])
    preview = bekasi_client.post(url, {"file": upload})
    assert "2 program akan ditambahkan, 0 diubah, 0 tetap" in preview.content.decode()
    assert not Programme.objects.exists()  # nothing before the preview is applied
    pending = preview.context["pending"]
    page = bekasi_client.post(url, {"upload": pending.pk, "apply": "1"}, follow=True)
    assert "2 program ditambahkan, 0 diubah" in page.content.decode()
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


def test_an_exported_register_reads_back_unchanged_and_updates_by_id(
    bekasi_client, kota_bekasi, setup
):
    """Finding 8: importing an edited export twice duplicated every programme."""
    kept = factories.make_programme(
        kota_bekasi, title="Command Center", agency=setup, budget=5_000_000
    )
    kept.description = '=HYPERLINK("http://evil.example","klik")'
    kept.save()
    other = factories.make_programme(kota_bekasi, title="Kartu Sehat")
    url = reverse("city:programme_export", args=[kota_bekasi.slug, "xlsx"])
    exported = bekasi_client.get(url).content

    plan = service.programmes_import_preview(region=kota_bekasi, data=exported)
    assert (len(plan.adds), len(plan.changes), plan.unchanged) == (0, 0, 2)

    workbook = load_workbook(io.BytesIO(exported))
    sheet = workbook["Program"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == other.pk:
            row[header.index("Nama program")].value = "Kartu Sehat Berbasis NIK"
    sheet.append([None, "Mall Pelayanan Publik", "governance", None, None, None, "tidak", 2024])
    buffer = io.BytesIO()
    workbook.save(buffer)
    for _ in range(2):
        plan = service.programmes_import(region=kota_bekasi, data=buffer.getvalue(), by=None)
    # The second run changes nothing but adds the ID-less row again: an operator sees that
    # in the preview; the edited rows never duplicate.
    assert Programme.objects.filter(title="Command Center").count() == 1
    assert Programme.objects.filter(title="Kartu Sehat Berbasis NIK").count() == 1
    assert not Programme.objects.filter(title="Kartu Sehat").exists()
    kept.refresh_from_db()
    assert kept.description.startswith("=HYPERLINK")
    assert kept.budget == 5_000_000


def test_an_id_of_another_region_or_twice_is_refused(kota_bekasi, kota_bandung, setup):
    theirs = factories.make_programme(kota_bandung, title="Milik Bandung")
    mine = factories.make_programme(kota_bekasi, title="Milik Bekasi")
    rows = [["ID", *HEADER], [theirs.pk, *_row()], [mine.pk, *_row()], [mine.pk, *_row()]]
    with pytest.raises(service.ProgrammeImportError) as caught:
        _import(kota_bekasi, rows)
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "ID"), (4, "ID")]
    theirs.refresh_from_db()
    assert theirs.title == "Milik Bandung"


def test_whole_number_columns_refuse_fractions(kota_bekasi, setup):
    with pytest.raises(service.ProgrammeImportError) as caught:
        _import(kota_bekasi, [HEADER, _row(start_year=2026.7, budget=1500.5)])
    assert [(p.row, p.column) for p in caught.value.problems] == [
        (2, "Tahun mulai"),
        (2, "Anggaran (Rp)"),
    ]
    assert "2026.7" in caught.value.problems[0].message
    assert not Programme.objects.exists()


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
