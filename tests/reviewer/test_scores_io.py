"""Bulk scores: the template, the row-by-row checked upload (all or nothing), the export."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from evaluations.models import RoundStatus, VerifiedScore
from evaluations.services import rounds as round_svc
from evaluations.services import scores_io
from tests.conftest import job_next_page, login
from tests.reviewer import factories as rf

pytestmark = pytest.mark.django_db

HEADER = scores_io.COLUMNS


@pytest.fixture
def round_(kota_bekasi, kota_bandung, manager):
    round_ = rf.make_review_round([kota_bekasi, kota_bandung])
    bekasi = round_.participations.get(region=kota_bekasi)
    VerifiedScore.objects.create(
        participation=bekasi,
        indicator=round_.instrument.indicators.get(code="BL-01"),
        level=2,
        comment="awal",
        set_by=manager,
    )
    return round_


def rows_csv(rows: list[list[object]], delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def row(region: str, indicator: str, level: object, comment: str = "") -> list[object]:
    return [region, "", indicator, "", "", "", "", level, comment]


def snapshot() -> list[tuple]:
    return list(
        VerifiedScore.objects.order_by("pk").values_list(
            "participation_id", "indicator_id", "level", "comment", "version"
        )
    )


def test_the_template_lists_every_participant_and_indicator(round_):
    rows = list(csv.reader(io.StringIO(scores_io.template_csv(round_).decode("utf-8-sig"))))
    assert rows[0] == HEADER
    assert len(rows) == 1 + 2 * 10  # Kota Bandung and Kota Bekasi × 10 indicators
    first_bekasi = next(r for r in rows if r[0] == "32.75" and r[2] == "BL-01")
    assert first_bekasi[7:] == ["2", "awal"]  # pre-filled with the current verified level

    workbook = load_workbook(io.BytesIO(scores_io.template_xlsx(round_)))
    sheet = workbook["nilai"]
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet.max_row == 21
    assert sheet.data_validations.dataValidation[0].formula1 == "0"


def test_excluded_participants_are_left_out_of_the_template(round_, manager, kota_bandung):
    bandung = round_.participations.get(region=kota_bandung)
    round_svc.participation_exclude(participation=bandung, by=manager, reason="Mundur")
    rows = list(csv.reader(io.StringIO(scores_io.template_csv(round_).decode("utf-8-sig"))))
    assert {r[0] for r in rows[1:]} == {"32.75"}


def test_a_good_upload_sets_verified_levels_with_history(round_, manager):
    data = rows_csv(
        [
            row("32.75", "BL-01", 4, "naik setelah tinjauan"),
            row("32.75", "BL-02", "3"),
            row("32.73", "OP-01", 5),
            row("32.73", "OP-02", ""),  # no level: skipped
        ]
    )
    report = scores_io.verified_levels_import(
        round=round_, data=data, filename="nilai.csv", by=manager
    )
    assert report == scores_io.ImportReport(created=2, updated=1, unchanged=0, skipped=1)
    changed = VerifiedScore.objects.get(
        indicator__code="BL-01", participation__region__code="32.75"
    )
    assert (changed.level, changed.comment, changed.version) == (4, "naik setelah tinjauan", 1)
    assert VerifiedScore.history.filter(history_user=manager).count() == 3


def test_a_bad_upload_reports_every_faulty_row_and_changes_nothing(round_, manager):
    before = snapshot()
    data = rows_csv(
        [
            row("32.75", "BL-02", 4),  # row 2: fine
            row("32.99", "BL-01", 3),  # row 3: unknown region
            row("32.75", "XX-99", 3),  # row 4: unknown indicator
            row("32.75", "OP-01", 7),  # row 5: level out of range
            row("32.75", "OP-02", "tiga"),  # row 6: not a number
            row("32.75", "BL-02", 2),  # row 7: duplicate of row 2
            row("", "OC-01", 2),  # row 8: region missing
            row("32.73", "", 2),  # row 9: indicator missing
            row("32.75", "OC-02", "2.5"),  # row 10: not whole
        ]
    )
    with pytest.raises(ValidationError) as exc:
        scores_io.verified_levels_import(round=round_, data=data, filename="nilai.csv", by=manager)
    assert exc.value.messages == [
        "Baris 3, kolom A (kode_wilayah): wilayah “32.99” bukan peserta putaran ini.",
        "Baris 4, kolom C (kode_indikator): indikator “XX-99” tidak ada di instrumen putaran ini.",
        "Baris 5, kolom H (level): level “7” harus bilangan bulat 0 sampai 5.",
        "Baris 6, kolom H (level): level “tiga” harus bilangan bulat 0 sampai 5.",
        "Baris 7, kolom C (kode_indikator): wilayah dan indikator ini sudah ada di baris 2.",
        "Baris 8, kolom A (kode_wilayah): wajib diisi.",
        "Baris 9, kolom C (kode_indikator): wajib diisi.",
        "Baris 10, kolom H (level): level “2.5” harus bilangan bulat 0 sampai 5.",
    ]
    assert snapshot() == before


def test_columns_are_found_by_name_and_reported_by_their_letter(round_, manager):
    """A user moved "level" to column B and "kode_wilayah" to column D."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")  # Excel in an Indonesian locale writes ;
    writer.writerow(["kode_indikator", "level", "catatan", "kode_wilayah"])
    writer.writerow(["BL-02", "9", "", "32.75"])
    writer.writerow(["BL-03", "1", "", "99.99"])
    with pytest.raises(ValidationError) as exc:
        scores_io.verified_levels_import(
            round=round_, data=buffer.getvalue().encode(), filename="x.csv", by=manager
        )
    assert exc.value.messages == [
        "Baris 2, kolom B (level): level “9” harus bilangan bulat 0 sampai 5.",
        "Baris 3, kolom D (kode_wilayah): wilayah “99.99” bukan peserta putaran ini.",
        "Baris 3, kolom A (kode_indikator): indikator “BL-03” tidak ada di instrumen putaran ini.",
    ]


def test_a_missing_column_an_empty_file_and_garbage_are_reported(round_, manager):
    cases = [
        (b"kode_wilayah,level\n32.75,3\n", "x.csv", ["Baris 1: kolom “kode_indikator” tidak"]),
        (rows_csv([]), "x.csv", ["Berkas tidak berisi baris nilai."]),
        (b"\xff\xfe\x00garbage", "x.csv", ["Berkas CSV harus ber-encoding UTF-8"]),
        (b"not a zip", "x.xlsx", ["Berkas tidak dapat dibaca sebagai XLSX"]),
    ]
    for data, name, expected in cases:
        with pytest.raises(ValidationError) as exc:
            scores_io.verified_levels_import(round=round_, data=data, filename=name, by=manager)
        assert len(exc.value.messages) == len(expected)
        for message, start in zip(exc.value.messages, expected, strict=True):
            assert message.startswith(start), message


def test_an_xlsx_upload_works_like_a_csv(round_, manager):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "nilai"
    sheet.append(HEADER)
    sheet.append(row("32.75", "BL-01", 5))  # a number cell
    sheet.append(row("32.73", "BL-01", 6.0))  # out of range
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ValidationError) as exc:
        scores_io.verified_levels_import(
            round=round_, data=buffer.getvalue(), filename="nilai.xlsx", by=manager
        )
    assert exc.value.messages == [
        "Baris 3, kolom H (level): level “6” harus bilangan bulat 0 sampai 5."
    ]

    sheet.delete_rows(3)
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = scores_io.verified_levels_import(
        round=round_, data=buffer.getvalue(), filename="nilai.xlsx", by=manager
    )
    assert report.updated == 1


def test_the_downloaded_template_uploads_back_unchanged(round_, manager):
    data = scores_io.template_xlsx(round_)
    report = scores_io.verified_levels_import(
        round=round_, data=data, filename="nilai.xlsx", by=manager
    )
    assert report == scores_io.ImportReport(created=0, updated=0, unchanged=1, skipped=19)


def test_uploads_are_refused_outside_the_review(round_, manager):
    round_.status = RoundStatus.FINALISED
    round_.save(update_fields=["status"])
    with pytest.raises(ValidationError) as exc:
        scores_io.verified_levels_import(
            round=round_, data=rows_csv([row("32.75", "BL-01", 5)]), filename="x.csv", by=manager
        )
    assert exc.value.messages == [str(scores_io.SCORES_LOCKED)]


def test_the_upload_page_lists_every_error_and_saves_nothing(client, round_, manager):
    login(client, manager)
    before = snapshot()
    upload = SimpleUploadedFile(
        "nilai.csv",
        rows_csv([row("32.75", "BL-01", 5), row("32.99", "BL-01", 3), row("32.75", "BL-01", 1)]),
        content_type="text/csv",
    )
    response = client.post(reverse("reviewer:scores_upload", args=[round_.slug]), {"file": upload})
    # Every row is checked by a background job; its page lists the problems.
    assert response.status_code == 302
    body = client.get(response["Location"]).content.decode()
    assert "2 masalah" in body
    assert "Baris 3, kolom A (kode_wilayah)" in body
    assert "Baris 4, kolom C (kode_indikator)" in body
    assert snapshot() == before

    good = SimpleUploadedFile("nilai.csv", rows_csv([row("32.75", "BL-01", 5)]))
    url = reverse("reviewer:scores_upload", args=[round_.slug])
    response = job_next_page(client, client.post(url, {"file": good}))
    # A preview first: what would change, and nothing saved yet.
    assert response.status_code == 200
    assert "0 level baru, 1 diubah" in response.content.decode()
    assert snapshot() == before
    response = client.post(url, {"upload": response.context["pending"].pk, "apply": "1"})
    assert response.status_code == 302
    assert VerifiedScore.objects.get(indicator__code="BL-01").level == 5
    # A preview is applied once; and only by whoever uploaded it.
    again = client.post(url, {"upload": response.wsgi_request.POST["upload"], "apply": "1"})
    assert again.status_code == 404

    wrong_type = SimpleUploadedFile("nilai.pdf", b"%PDF")
    response = client.post(
        reverse("reviewer:scores_upload", args=[round_.slug]), {"file": wrong_type}
    )
    assert response.status_code == 400


def test_results_export_as_csv_and_xlsx_before_publication(client, round_, manager):
    for p in round_.participations.all():
        VerifiedScore.objects.filter(participation=p).delete()
        rf.verify(p, manager, level=4 if p.region.code == "32.75" else 2)
    round_svc.round_finalise(round=round_, by=manager)
    login(client, manager)
    response = client.get(reverse("reviewer:results_export", args=[round_.slug, "csv"]))
    assert response["Content-Disposition"].endswith('.csv"')
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    # The open-data columns (evaluations.opendata), the same as the public download.
    assert [(r["region_name"], r["index"], r["national_rank"]) for r in rows] == [
        ("Kota Bekasi", "4.00", "1"),
        ("Kota Bandung", "2.00", "2"),
    ]
    response = client.get(reverse("reviewer:results_export", args=[round_.slug, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    assert sheet.cell(2, header.index("region_name") + 1).value == "Kota Bekasi"
    assert sheet.cell(2, header.index("index") + 1).value == 4.0
