"""Letterhead and signatory set by a manager and kept per round; what letters and minutes
say: dates, instrument version, revision, no doubled words, signature kept with its
paragraph."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from PIL import Image

from evaluations.documents import services as doc_svc
from evaluations.documents.models import LETTERHEAD_APPEND_ONLY, Document, Letterhead
from evaluations.documents.rendering import render_document
from evaluations.models import FieldReview, Finding
from tests.conftest import login
from tests.documents.conftest import (
    LETTERHEAD,
    needs_poppler,
    page_texts,
    pages_png,
    pdf_text,
    write,
)

pytestmark = pytest.mark.django_db


def _png(size: tuple[int, int] = (120, 120)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (11, 79, 138)).save(out, "PNG")
    return out.getvalue()


def _form(**changes: object) -> dict[str, object]:
    return {
        **LETTERHEAD,
        "letter_number_pattern": "{seq:03}/{unit}/SC/{month_roman}/{year}",
        "minutes_number_pattern": "{seq:03}/{unit}/BA-SC/{month_roman}/{year}",
        **changes,
    }


def test_a_manager_sets_the_letterhead_with_a_logo_as_a_new_version(client, manager, published):
    login(client, manager)
    url = reverse("documents:round", args=[published.scenario.round.slug])
    logo = io.BytesIO(_png())
    logo.name = "logo.png"
    response = client.post(url, _form(signatory_name="Ir. Siti Rahma", logo_file=logo))
    assert response.status_code == 302
    current = Letterhead.objects.current_for(published.scenario.round)
    assert current.pk != published.letterhead.pk
    assert current.signatory_name == "Ir. Siti Rahma"
    assert current.logo_type == "image/png"
    assert bytes(current.logo) == _png()
    # The earlier version is kept as it was.
    published.letterhead.refresh_from_db()
    assert published.letterhead.signatory_name == LETTERHEAD["signatory_name"]
    # Saving again without a file keeps the logo; a NIP written in groups is accepted.
    client.post(
        url, _form(signatory_name="Ir. Siti Rahma, M.T.", signatory_nip="1968 0512 1993 0310 02")
    )
    newest = Letterhead.objects.current_for(published.scenario.round)
    assert bytes(newest.logo) == _png()
    assert newest.signatory_nip == "196805121993031002"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"signatory_nip": "19680512199303100"}, "NIP terdiri atas 18 angka"),
        ({"signatory_nip": "19680512199303100A"}, "NIP terdiri atas 18 angka"),
        ({"letter_number_pattern": "{unit}/{year}"}, "harus memuat {seq}"),
        ({"minutes_number_pattern": "{seq}/{bulan}"}, "tidak dikenal: bulan"),
        ({"signatory_name": ""}, "Bidang ini tidak boleh kosong"),
    ],
)
def test_a_bad_letterhead_is_refused_with_a_clear_message(
    client, manager, published, changes, message
):
    login(client, manager)
    url = reverse("documents:round", args=[published.scenario.round.slug])
    response = client.post(url, _form(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Letterhead.objects.count() == 1


def test_a_logo_that_is_not_an_image_is_refused(client, manager, published):
    login(client, manager)
    fake = io.BytesIO(b"<svg onload=alert(1)></svg>")
    fake.name = "logo.png"
    response = client.post(
        reverse("documents:round", args=[published.scenario.round.slug]),
        _form(logo_file=fake),
    )
    assert response.status_code == 400
    assert "Logo harus berkas PNG atau JPEG." in response.content.decode()


def test_a_saved_letterhead_is_never_changed_in_place(published):
    published.letterhead.signatory_name = "Orang lain"
    with pytest.raises(Exception) as excinfo:  # noqa: PT011
        published.letterhead.save()
    assert str(LETTERHEAD_APPEND_ONLY) in str(excinfo.value)


@needs_poppler
def test_an_old_letter_renders_again_exactly_as_issued(manager, published, tmp_path):
    letter = doc_svc.letters_issue(round=published.scenario.round, by=manager)[0]
    first = pdf_text(write(render_document(letter).pdf, tmp_path, "a.pdf"))
    handed_out = doc_svc.document_pdf(letter)
    # Afterwards: a new signatory, the region renamed, the round renamed.
    doc_svc.letterhead_set(
        round=published.scenario.round, by=manager, **{**LETTERHEAD, "signatory_name": "Baru"}
    )
    region = letter.participation.region
    region.name = "Kota Bekasi Raya"
    region.save()
    letter.participation.round.__class__.objects.filter(pk=letter.participation.round_id).update(
        name="Nama baru"
    )
    again = Document.objects.with_context().get(pk=letter.pk)
    assert pdf_text(write(render_document(again).pdf, tmp_path, "b.pdf")) == first
    assert doc_svc.document_pdf(again) == handed_out  # the stored file, byte for byte
    assert LETTERHEAD["signatory_name"] in first
    assert "Kota Bekasi Raya" not in first


def _doubled_words(text: str) -> list[str]:
    return [m.group(0) for m in re.finditer(r"\b(\w{3,})\s+\1\b", text, re.IGNORECASE)]


@needs_poppler
def test_the_letter_names_date_number_version_and_revision_without_doubled_words(
    manager, published, tmp_path
):
    letter = doc_svc.letters_issue(round=published.scenario.round, by=manager)[0]
    path = write(doc_svc.document_pdf(letter), tmp_path)
    text = pdf_text(path)
    pages_png(path, tmp_path, "letter-content", dpi=80)
    assert "Nomor : 001/DJAI/SC/III/2025" in text
    assert "Jakarta, 10 Maret 2025" in text  # the publication date, not today
    assert "Perihal : Hasil Evaluasi 2024 Tahap 1" in text
    instrument = published.scenario.round.instrument
    assert f"dengan {instrument.name} (versi {instrument.code})" in text  # "Instrumen uji (...)"
    assert "publikasi revisi ke-1 tanggal 10 Maret 2025" in text
    assert "Yth. Wali Kota Bekasi" in text
    assert "Dr. Ir. Budi Santoso, M.Sc." in text
    assert "NIP 196805121993031002" in text
    assert "Nama dan NIP" not in text
    assert _doubled_words(text) == []


@needs_poppler
@pytest.mark.parametrize("extra", [4, 9, 14])
def test_a_long_letter_keeps_its_signature_with_the_closing_paragraph(
    manager, published, tmp_path, extra
):
    """The old letters put the signature block alone on page 2. Four more recommendations is
    where the closing first spills over; it must take the last recommendation with it."""
    review = FieldReview.objects.get(participation=published.scenario.bekasi)
    dimension = Finding.objects.filter(field_review=review).first().dimension
    for i in range(extra):
        Finding.objects.create(
            field_review=review,
            dimension=dimension,
            kind="recommendation",
            text=f"Rekomendasi nomor {i + 2}: perluas layanan digital ke kecamatan. " * 2,
        )
    letter = next(
        d
        for d in doc_svc.letters_issue(round=published.scenario.round, by=manager)
        if d.participation == published.scenario.bekasi
    )
    path = write(doc_svc.document_pdf(letter), tmp_path)
    pages = page_texts(path)
    pages_png(path, tmp_path, f"letter-long-{extra}", dpi=70)
    assert len(pages) >= 2
    signature_page = next(p for p in pages if "NIP 196805121993031002" in p)
    assert "Demikian kami sampaikan" in signature_page
    # The signature page carries more than the signature: the letter's last paragraph too.
    assert "Rekomendasi nomor" in signature_page


def test_minutes_are_issued_by_the_panel_lead_with_the_regions_signatory(
    client, reviewer, outsider_reviewer, published
):
    url = reverse("documents:minutes_issue", args=[published.scenario.bekasi.pk])
    login(client, outsider_reviewer)
    assert client.get(url).status_code == 404
    login(client, reviewer)
    assert client.get(url).status_code == 200
    response = client.post(url, {})
    assert response.status_code == 400
    assert "Pilih penanda tangan dari pihak pemerintah daerah." in response.content.decode()
    response = client.post(url, {"region_signatory": published.region_signatory.pk})
    assert response.status_code == 302
    minutes = Document.objects.get(kind="minutes")
    assert minutes.content["signatories"]["region"]["name"] == "Drs. Reny Hendrawati"
    assert minutes.content["signatories"]["lead"]["name"] == "reviewer"
    assert minutes.number in client.get(url).content.decode()


def test_minutes_wait_for_the_meeting(manager, published):
    FieldReview.objects.filter(participation=published.scenario.bekasi).update(
        start_date="2999-01-01", end_date="2999-01-02"
    )
    with pytest.raises(Exception, match="setelah tinjauan lapangan selesai"):
        doc_svc.minutes_issue(
            participation=published.scenario.bekasi,
            by=manager,
            region_signatory=published.region_signatory,
        )
    assert not Document.objects.exists()


@needs_poppler
def test_the_minutes_name_their_number_meeting_date_and_signatories(manager, published, tmp_path):
    minutes = doc_svc.minutes_issue(
        participation=published.scenario.bekasi,
        by=manager,
        region_signatory=published.region_signatory,
    )
    path = write(doc_svc.document_pdf(minutes), tmp_path)
    text = pdf_text(path)
    pages_png(path, tmp_path, "minutes", dpi=80)
    assert "Nomor: 001/DJAI/BA-SC/V/2024" in text
    assert "Selasa, 14 Mei 2024 – Rabu, 15 Mei 2024" in text
    assert "Jakarta, 15 Mei 2024" in text
    assert "Drs. Reny Hendrawati" in text
    assert "Nama dan jabatan" not in text  # no placeholder for the region's signatory
    assert "Kota Bekasi (32.75)" in text
    assert _doubled_words(text) == []
