"""/verify/<code>/: what an issued document states and whether it still stands."""

from __future__ import annotations

import re

import pytest
import zxingcpp
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from evaluations.documents import services as doc_svc
from evaluations.documents.models import Document
from evaluations.models import VerifiedScore
from evaluations.services import rounds as round_svc
from tests.conftest import login
from tests.documents.conftest import needs_poppler, pages_png, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def letters(published, manager) -> list[Document]:
    return doc_svc.letters_issue(round=published.scenario.round, by=manager)


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_anyone_reads_what_a_current_letter_states(client, letters, published):
    bekasi_letter = next(d for d in letters if d.participation == published.scenario.bekasi)
    response = client.get(reverse("documents:verify", args=[bekasi_letter.code]))
    assert response.status_code == 200
    text = _text(response)
    assert "Dokumen ini asli dan berlaku." in text
    for expected in (
        bekasi_letter.number,
        "Kota Bekasi, Jawa Barat",
        "Evaluasi 2024 Tahap 1",
        "Revisi publikasi 1 – Hasil resmi",
        "Indeks 4,00",
        "Predikat Sangat Baik",
        "Peringkat nasional 1 / 2",
        "Peringkat provinsi 1 / 2",
        bekasi_letter.document_date.strftime("%Y"),
    ):
        assert expected in text, expected


def test_a_letter_of_an_older_revision_is_marked_superseded(client, letters, published, manager):
    scenario = published.scenario
    bekasi_letter = next(d for d in letters if d.participation == scenario.bekasi)
    round_svc.round_reopen(round=scenario.round, by=manager, reason="Koreksi level Bekasi")
    text = _text(client.get(bekasi_letter.get_absolute_url()))
    assert "hasil putarannya sedang dikoreksi" in text
    assert "Alasan: Koreksi level Bekasi" in text
    VerifiedScore.objects.filter(participation=scenario.bekasi).update(level=2)
    round_svc.round_finalise(round=scenario.round, by=manager)
    round_svc.round_publish(round=scenario.round, by=manager, note="Koreksi level Bekasi")
    text = _text(client.get(bekasi_letter.get_absolute_url()))
    assert "Dokumen ini asli tetapi sudah digantikan." in text
    assert "telah direvisi (revisi 2)" in text
    new = doc_svc.letters_issue(round=scenario.round, by=manager)
    new_bekasi = next(d for d in new if d.participation == scenario.bekasi)
    text = _text(client.get(bekasi_letter.get_absolute_url()))
    assert f"Penggantinya bernomor {new_bekasi.number}" in text
    assert new_bekasi.content["revision"]["number"] == 2
    assert "Dokumen ini asli dan berlaku." in _text(client.get(new_bekasi.get_absolute_url()))


def test_an_unknown_code_gets_a_clear_page(client, letters):
    response = client.get(reverse("documents:verify", args=["AAAAAAAAAAAAAAAA"]))
    assert response.status_code == 404
    text = _text(response)
    assert "Tidak ada dokumen dengan kode verifikasi ini." in text
    assert "tidak dapat dianggap asli" in text


def test_codes_are_unguessable(letters):
    codes = [d.code for d in letters]
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert re.fullmatch(r"[A-Za-z0-9_-]{16}", code)  # 96 random bits
    # Nothing about a code follows from the number or the order of issue.
    assert codes[0][:8] != codes[1][:8]


def test_the_verification_page_runs_a_fixed_number_of_queries(client, letters):
    url = letters[0].get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    # the public data version (the page is cached under it); document with participation,
    # region, province, round, publication, letterhead; the newest publication number.
    assert len(queries) == 3, [q["sql"] for q in queries]


@needs_poppler
def test_the_qr_code_on_the_letter_opens_its_verification_page(client, letters, tmp_path, settings):
    settings.PORTAL_URL = "https://smartcity.example.id"
    letter = letters[0]
    path = write(doc_svc.document_pdf(letter), tmp_path)
    (png,) = pages_png(path, tmp_path, "qr", dpi=200)
    found = zxingcpp.read_barcodes(Image.open(png))
    assert [b.text for b in found] == [f"https://smartcity.example.id/verify/{letter.code}/"]
    # The same short address is printed under the code for those who type it.
    assert client.get(f"/verify/{letter.code}/").status_code == 200


def test_minutes_state_their_meeting_and_signatories(client, published, manager):
    minutes = doc_svc.minutes_issue(
        participation=published.scenario.bekasi,
        by=manager,
        region_signatory=published.region_signatory,
    )
    text = _text(client.get(minutes.get_absolute_url()))
    assert "Berita acara tinjauan lapangan" in text
    assert "14 Mei 2024 – 15 Mei 2024 · Luring" in text
    assert "Drs. Reny Hendrawati (Sekretaris Daerah)" in text
    assert minutes.number in text


def test_a_manager_sees_the_same_page(client, letters, manager):
    public = _text(client.get(letters[0].get_absolute_url()))
    login(client, manager)
    response = client.get(letters[0].get_absolute_url())
    assert response.status_code == 200
    assert letters[0].number in _text(response)
    assert _text(response).count(letters[0].number) == public.count(letters[0].number)


def test_a_letter_of_a_withdrawn_round_says_so(client, letters, published, manager):
    round_svc.round_withdraw(round=published.scenario.round, by=manager, reason="Data keliru")
    text = _text(client.get(letters[0].get_absolute_url()))
    assert "hasil putarannya telah ditarik dari publik" in text
    assert "Alasan: Data keliru" in text
