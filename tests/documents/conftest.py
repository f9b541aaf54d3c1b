"""Documents: a published round (Kota Bekasi first, Kota Bandung second) with a letterhead,
a field review with attendees and findings, and helpers to read PDFs as a person would."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from evaluations.documents import services as doc_svc
from evaluations.documents.models import Letterhead
from evaluations.models import Attendee, AttendeeSide, Finding, Publication
from evaluations.services import rounds as round_svc
from tests import factories
from tests.reviewer import factories as rf
from tests.reviewer.test_field_reviews import schedule

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "pdf"

needs_poppler = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="poppler-utils not installed"
)

LETTERHEAD: dict[str, Any] = {
    "institution": "Kementerian Komunikasi dan Digital",
    "unit": "Direktorat Jenderal Aplikasi Informatika",
    "unit_code": "DJAI",
    "address": "Jl. Medan Merdeka Barat No. 9, Jakarta Pusat 10110",
    "contact": "(021) 3452841 · komdigi.go.id",
    "place": "Jakarta",
    "signatory_name": "Dr. Ir. Budi Santoso, M.Sc.",
    "signatory_position": "Direktur Jenderal Aplikasi Informatika",
    "signatory_nip": "196805121993031002",
}


# Publication rows are never changed once written, so a past publication date is given at
# publication time: 10 March 2025, 09:00 in Jakarta.
PUBLISHED_AT = datetime(2025, 3, 10, 2, 0, tzinfo=UTC)


def published_on(moment: datetime) -> mock._patch:
    """Publish "at" ``moment`` (``auto_now_add`` reads django.utils.timezone.now)."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


@dataclass
class Published:
    scenario: object
    publication: Publication
    letterhead: Letterhead
    region_signatory: Attendee


@pytest.fixture
def scenario(kota_bekasi, kota_bandung, reviewer, manager):
    """Evaluasi 2024 Tahap 1 under review; ``reviewer`` leads Kota Bekasi's panel."""
    return rf.make_scenario(kota_bekasi, kota_bandung, reviewer)


@pytest.fixture
def published(scenario, manager, reviewer) -> Published:
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
    signatory = Attendee.objects.create(
        field_review=review,
        name="Drs. Reny Hendrawati",
        position="Sekretaris Daerah",
        agency="Pemerintah Kota Bekasi",
        side=AttendeeSide.REGION,
    )
    round_svc.round_finalise(round=scenario.round, by=manager)
    with published_on(PUBLISHED_AT):
        publication = round_svc.round_publish(round=scenario.round, by=manager, note="Hasil resmi")
    letterhead = doc_svc.letterhead_set(round=scenario.round, by=manager, **LETTERHEAD)
    return Published(scenario, publication, letterhead, signatory)


def run(*args: str) -> str:
    return subprocess.run(  # noqa: S603 - fixed tools, our own files
        [shutil.which(args[0]) or args[0], *args[1:]], check=True, capture_output=True, text=True
    ).stdout


def write(pdf: bytes, tmp_path: Path, name: str = "doc.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def pdf_text(path: Path) -> str:
    return " ".join(run("pdftotext", str(path), "-").split())


def page_texts(path: Path) -> list[str]:
    return [" ".join(p.split()) for p in run("pdftotext", "-layout", str(path), "-").split("\f")][
        :-1
    ] or [""]


def pages_png(path: Path, tmp_path: Path, prefix: str, dpi: int = 70) -> list[Path]:
    """Render the pages as PNG (kept in test-artifacts/pdf/ to look at)."""
    out = tmp_path / f"{prefix}-pages"
    out.mkdir(exist_ok=True)
    run("pdftoppm", "-png", "-r", str(dpi), str(path), str(out / "p"))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pngs = sorted(out.glob("*.png"))
    for png in pngs:
        shutil.copy(png, ARTIFACTS / f"{prefix}-{png.name}")
    return pngs
