"""Evidence files are checked by content, stored under random names, served as attachments."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluations.models import Evidence
from evaluations.services import evidence as service
from tests import factories
from tests.city import factories as cf
from tests.city import files


def _refusal(name: str, content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        service.validate_evidence_file(files.upload(name, content))
    return caught.value


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("perwal.pdf", files.PDF, "pdf"),
        ("tangkapan layar.PNG", files.image("PNG"), "png"),
        ("foto.jpg", files.image("JPEG"), "jpeg"),
        ("foto.jpeg", files.image("JPEG"), "jpeg"),
        ("laporan.docx", files.docx(), "docx"),
        ("anggaran.xlsx", files.xlsx(), "xlsx"),
        ("paparan.pptx", files.pptx(), "pptx"),
        ("notulen.odt", files.odt(), "odt"),
    ],
)
def test_accepted_kinds_are_recognised_by_content(name, content, kind):
    assert service.validate_evidence_file(files.upload(name, content)).code == kind


def test_a_pdf_that_is_html_is_refused_with_a_clear_message():
    error = _refusal("laporan.pdf", files.HTML)
    assert error.code == "html"
    assert error.messages == [str(service.FILE_IS_HTML % {"ext": "pdf", "expected": "PDF"})]
    assert "halaman web (HTML)" in error.messages[0]


@pytest.mark.parametrize("content", [files.EXE, files.ELF, b"#!/bin/sh\nrm -rf /\n"])
def test_a_pdf_that_is_a_program_is_refused(content):
    error = _refusal("laporan.pdf", content)
    assert error.code == "executable"
    assert "program yang dapat dijalankan" in error.messages[0]


def test_oversized_file_is_refused_with_the_limit_in_the_message(settings):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    content = files.PDF + b"0" * (1536 * 1024)
    error = _refusal("besar.pdf", content)
    assert error.code == "too_large"
    assert "Ukuran maksimum 1 MB" in error.messages[0]
    assert "1,5 MB" in error.messages[0]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("kosong.pdf", b"", "empty"),
        ("halaman.html", files.HTML, "extension"),
        ("setup.exe", files.EXE, "extension"),
        ("tanpa-akhiran", files.PDF, "extension"),
        ("gambar.pdf", files.image("PNG"), "mismatch"),
        ("dokumen.pdf", files.docx(), "mismatch"),
        ("arsip.docx", files.plain_zip(), "mismatch"),
        ("makro.docx", files.docx(macros=True), "macros"),
        ("rusak.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "damaged"),
        ("teks.pdf", b"hanya teks biasa", "unknown"),
    ],
)
def test_impostors_and_unsupported_files_are_refused(name, content, code):
    assert _refusal(name, content).code == code


def test_an_office_package_that_unpacks_too_large_is_refused(monkeypatch):
    monkeypatch.setattr(service, "MAX_ZIP_UNPACKED_BYTES", 100)
    assert _refusal("laporan.docx", files.docx()).code == "zip_bomb"


@pytest.mark.django_db
def test_stored_file_gets_a_random_name_and_keeps_the_original_for_download(kota_bekasi, bekasi):
    evidence = service.evidence_create_file(
        region=kota_bekasi, upload=files.pdf_upload("../../etc/Perwal 12.pdf"), by=bekasi
    )
    assert evidence.file.name is not None
    assert evidence.file.name.startswith("evidence/32.75/")
    assert evidence.file.name.endswith(".pdf")
    assert "Perwal" not in evidence.file.name
    assert evidence.original_name == "Perwal_12.pdf"
    assert evidence.content_type == "application/pdf"
    assert evidence.size == len(files.PDF)
    assert evidence.title == "Perwal 12"


@pytest.mark.django_db
def test_download_is_an_attachment_with_nosniff(bekasi_client, kota_bekasi):
    evidence = cf.make_file_evidence(kota_bekasi, "Perwal 12.pdf")
    response = bekasi_client.get(
        reverse("city:evidence_download", args=[kota_bekasi.slug, evidence.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Perwal_12.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == files.PDF


@pytest.mark.django_db
def test_media_has_no_public_url(settings):
    assert settings.MEDIA_URL is None
    assert not str(settings.MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))


@pytest.mark.django_db
def test_upload_page_refuses_html_named_pdf_and_keeps_the_title(bekasi_client, kota_bekasi):
    response = bekasi_client.post(
        reverse("city:evidence_list", args=[kota_bekasi.slug]),
        {"title": "Perwal Smart City", "file": files.upload("perwal.pdf", files.HTML)},
    )
    assert response.status_code == 200
    assert "isinya halaman web (HTML), bukan PDF" in response.content.decode()
    assert 'value="Perwal Smart City"' in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_upload_page_refuses_oversized_file(bekasi_client, kota_bekasi, settings):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    response = bekasi_client.post(
        reverse("city:evidence_list", args=[kota_bekasi.slug]),
        {"file": files.upload("besar.pdf", files.PDF + b"0" * (2 * 1024 * 1024))},
    )
    assert "Ukuran maksimum 1 MB" in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_upload_page_stores_file_and_link(bekasi_client, kota_bekasi):
    url = reverse("city:evidence_list", args=[kota_bekasi.slug])
    bekasi_client.post(url, {"file": files.upload("foto.png", files.image())})
    bekasi_client.post(url, {"url": "https://bekasikota.go.id/perwal", "title": "Perwal"})
    kinds = sorted((e.content_type, e.url) for e in Evidence.objects.filter(region=kota_bekasi))
    assert kinds == [("", "https://bekasikota.go.id/perwal"), ("image/png", "")]


@pytest.mark.django_db
def test_evidence_in_use_cannot_be_deleted_and_unused_evidence_leaves_storage(
    bekasi_client, kota_bekasi, django_capture_on_commit_callbacks
):
    used = cf.make_file_evidence(kota_bekasi, "dipakai.pdf")
    factories.make_programme(kota_bekasi).evidence.add(used)
    unused = cf.make_file_evidence(kota_bekasi, "lepas.pdf")
    storage, name = unused.file.storage, unused.file.name
    response = bekasi_client.post(
        reverse("city:evidence_delete", args=[kota_bekasi.slug, used.pk]), follow=True
    )
    assert "masih dipakai oleh 1 program" in response.content.decode()
    assert Evidence.objects.filter(pk=used.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        bekasi_client.post(reverse("city:evidence_delete", args=[kota_bekasi.slug, unused.pk]))
    assert not Evidence.objects.filter(pk=unused.pk).exists()
    assert name is not None
    assert not storage.exists(name)
