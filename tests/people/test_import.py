"""Invitations from CSV/XLSX: everyone or nobody, problems listed by row."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from smartcity.people.models import Invitation
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _csv(text: str, name: str = "undangan.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv")


def _xlsx(rows: list[list[object]]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile(
        "undangan.xlsx",
        data.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _post(client, upload, capture):
    with capture(execute=True):
        return client.post(reverse("people:invitation_import"), {"file": upload, "language": "id"})


def test_manager_invites_reviewers_and_coordinators_from_csv(
    client, manager, kota_bekasi, kota_bandung, django_capture_on_commit_callbacks
):
    login(client, manager)
    upload = _csv(
        "nama,email,peran,kode wilayah\n"
        "Ani Lestari,ani@kominfo.go.id,penilai,\n"
        "Budi Santoso,budi@bekasikota.go.id,koordinator,32.75\n"
        "Citra Dewi;citra@bandung.go.id;koordinator;32.73\n".replace(";", ",")
    )
    response = _post(client, upload, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert sorted(Invitation.objects.values_list("email", "role", "region__code")) == [
        ("ani@kominfo.go.id", "reviewer", None),
        ("budi@bekasikota.go.id", "coordinator", "32.75"),
        ("citra@bandung.go.id", "coordinator", "32.73"),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ani@kominfo.go.id",
        "budi@bekasikota.go.id",
        "citra@bandung.go.id",
    ]


def test_xlsx_with_english_headers(
    client, manager, kota_bekasi, django_capture_on_commit_callbacks
):
    login(client, manager)
    upload = _xlsx(
        [
            ["Name", "E-mail", "Role", "Region code"],
            ["Dian", "dian@bekasikota.go.id", "operator", "32.75"],
        ]
    )
    assert _post(client, upload, django_capture_on_commit_callbacks).status_code == 302
    assert Invitation.objects.get().region == kota_bekasi


def test_bad_rows_invite_nobody_and_are_listed_by_row(
    client, manager, bekasi, kota_bekasi, django_capture_on_commit_callbacks
):
    bekasi.email = "dipakai@bekasikota.go.id"
    bekasi.save()
    login(client, manager)
    upload = _csv(
        "nama,email,peran,kode wilayah\n"
        "Baik,baik@kominfo.go.id,penilai,\n"  # row 2: fine
        "Tanpa wilayah,k@bekasikota.go.id,koordinator,\n"  # row 3
        "Wilayah salah,w@x.go.id,operator,99.99\n"  # row 4
        "Alamat rusak,bukan-email,penilai,\n"  # row 5
        "Dipakai,dipakai@bekasikota.go.id,operator,32.75\n"  # row 6
        "Peran aneh,p@x.go.id,walikota,32.75\n"  # row 7
        "Ganda,baik@kominfo.go.id,penilai,\n"  # row 8
    )
    response = _post(client, upload, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    rows = {p.row: p.message for p in response.context["problems"]}
    assert set(rows) == {3, 4, 5, 6, 7, 8}
    assert "wilayah" in rows[3].lower()
    assert "99.99" in rows[4]
    assert "bukan-email" in rows[5]
    assert "sudah dipakai" in rows[6]
    assert "walikota" in rows[7]
    assert "lebih dari sekali" in rows[8]
    assert not Invitation.objects.exists()
    assert not mail.outbox
    html = response.content.decode()
    assert "Tidak ada yang diundang" in html


def test_coordinator_import_is_limited_to_their_region(
    client, bekasi_coordinator, kota_bandung, kota_bekasi, django_capture_on_commit_callbacks
):
    login(client, bekasi_coordinator)
    upload = _csv(
        "nama,email,peran,kode wilayah\n"
        "Op Bekasi,op@bekasikota.go.id,operator,32.75\n"
        "Op Bandung,op@bandung.go.id,operator,32.73\n"
        "Penilai,r@kominfo.go.id,penilai,\n"
    )
    response = _post(client, upload, django_capture_on_commit_callbacks)
    rows = {p.row: p.message for p in response.context["problems"]}
    assert set(rows) == {3, 4}
    assert "Kota Bandung" in rows[3]
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01\x02binary", "CSV"),
        (b"nama,email\nA,a@b.id\n", "peran"),
        (b"nama,email,peran\n", "tidak berisi"),
        (b"PK\x03\x04 not really a zip", "XLSX"),
        ("nama,email,peran\n\xff".encode("latin-1"), "CSV"),
    ],
)
def test_unreadable_files_get_a_clear_error(client, manager, content, message):
    login(client, manager)
    response = client.post(
        reverse("people:invitation_import"),
        {"file": SimpleUploadedFile("x.csv", content), "language": "id"},
    )
    assert response.status_code == 200
    assert any(message in p.message for p in response.context["problems"])
    assert not Invitation.objects.exists()


def test_a_file_over_one_megabyte_is_refused(client, manager):
    login(client, manager)
    big = SimpleUploadedFile("big.csv", b"nama,email,peran\n" + b"a" * (1024 * 1024 + 1))
    response = client.post(reverse("people:invitation_import"), {"file": big, "language": "id"})
    assert response.status_code == 200
    assert "1 MB" in response.content.decode()
    assert not Invitation.objects.exists()
