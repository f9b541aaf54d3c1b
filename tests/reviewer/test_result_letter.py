"""The manager's preview of a region's result letter: every figure of the result, unnumbered and
marked as a preview (numbered, signed letters: tests/documents/)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from evaluations.models import Finding
from evaluations.services import rounds as round_svc
from tests import factories
from tests.conftest import login
from tests.reviewer import factories as rf
from tests.reviewer.test_field_reviews import schedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(scenario, manager, reviewer):
    dims = factories.ensure_dimensions()
    rf.verify(scenario.bekasi, manager, level=4)
    rf.verify(scenario.bandung, manager, level=3)
    review = schedule(scenario.bekasi, reviewer)
    Finding.objects.create(
        field_review=review,
        dimension=dims[0],
        kind="recommendation",
        text="Integrasikan MPP dengan aplikasi perizinan daerah.",
    )
    Finding.objects.create(
        field_review=review, dimension=dims[0], kind="obstacle", text="Jaringan belum merata."
    )
    factories.make_programme(scenario.bekasi.region, dimension=dims[3], status="running")
    factories.make_programme(scenario.bekasi.region, dimension=dims[3], status="planned")
    round_svc.round_finalise(round=scenario.round, by=manager)
    round_svc.round_publish(round=scenario.round, by=manager)
    return scenario


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    source = tmp_path / "letter.pdf"
    source.write_bytes(pdf)
    out = subprocess.run(  # noqa: S603 - fixed arguments, our own file
        [shutil.which("pdftotext") or "pdftotext", str(source), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return " ".join(out.stdout.split())  # reading order, whitespace collapsed


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_the_letter_carries_index_components_dimensions_ranks_and_recommendations(
    client, published, manager, tmp_path
):
    login(client, manager)
    url = reverse("reviewer:result_letter", args=[published.round.slug, published.bekasi.pk])
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    pages = tmp_path / "pages"
    pages.mkdir()
    subprocess.run(  # noqa: S603
        [
            shutil.which("pdftoppm") or "pdftoppm",
            "-png",
            "-r",
            "70",
            str(tmp_path / "letter.pdf"),
            str(pages / "p"),
        ],
        check=True,
    )
    artifacts = Path(__file__).resolve().parents[2] / "test-artifacts" / "pdf"
    artifacts.mkdir(parents=True, exist_ok=True)
    for png in pages.glob("*.png"):
        shutil.copy(png, artifacts / f"letter-{png.name}")
    assert "Wali Kota Bekasi" in text
    assert "Perihal : Hasil Evaluasi 2024 Tahap 1" in text
    assert "Hasil evaluasi Evaluasi" not in text
    assert "4,00" in text  # the index, Indonesian number format
    assert "Sangat Baik" in text
    assert "Peringkat nasional Peringkat di Jawa Barat 4,00 Sangat Baik 1/2 1/2" in text
    assert "PRATINJAU – BUKAN DOKUMEN RESMI" in text
    assert "(diberikan saat surat diterbitkan)" in text
    for component in ("Baseline", "Output", "Outcome", "Impact", "Quick Win"):
        assert component in text
    assert "Smart Living" in text
    assert "1/2 (50%)" in text  # programmes running in Smart Living
    assert "Integrasikan MPP dengan aplikasi perizinan daerah." in text
    assert "Jaringan belum merata" not in text  # obstacles are not recommendations
    assert "hasil belum dipublikasikan" not in text  # published


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_a_letter_before_publication_is_marked_draft(client, scenario, manager, tmp_path):
    rf.verify(scenario.bekasi, manager, level=4)
    round_svc.participation_exclude(participation=scenario.bandung, by=manager, reason="Mundur")
    round_svc.round_finalise(round=scenario.round, by=manager)
    login(client, manager)
    url = reverse("reviewer:result_letter", args=[scenario.round.slug, scenario.bekasi.pk])
    text = pdf_text(client.get(url).content, tmp_path)
    assert "DRAF – hasil belum dipublikasikan" in text
    assert "(tanggal publikasi)" in text  # never the download date


def test_no_letter_for_an_excluded_or_unscored_region(client, scenario, manager):
    login(client, manager)
    url = reverse("reviewer:result_letter", args=[scenario.round.slug, scenario.bandung.pk])
    assert client.get(url).status_code == 404


def test_improvement_is_spelled_out_against_the_previous_publication(
    client, published, manager, tmp_path
):
    """Publish a later round in which Kota Bekasi drops: the letter says by how much."""
    later = rf.make_review_round(
        [published.bekasi.region, published.bandung.region],
        instrument=published.round.instrument,
        year=2025,
    )
    bekasi, bandung = (
        later.participations.get(region=published.bekasi.region),
        later.participations.get(region=published.bandung.region),
    )
    rf.verify(bekasi, manager, level=2)
    rf.verify(bandung, manager, level=5)
    round_svc.round_finalise(round=later, by=manager)
    login(client, manager)
    text = pdf_text(
        client.get(reverse("reviewer:result_letter", args=[later.slug, bekasi.pk])).content,
        tmp_path,
    )
    assert "indeks berubah −2,00 dan peringkat nasional turun 1 posisi" in text
