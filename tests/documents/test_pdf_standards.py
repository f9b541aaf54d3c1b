"""Issued letters and minutes are PDF/A-3b and tagged, signed or not; their pages are kept
as PNG in test-artifacts/pdf/ to be looked at."""

from __future__ import annotations

import re

import pytest

from evaluations.documents import services as doc_svc
from tests.documents.conftest import needs_poppler, pages_png, run, write

pytestmark = [pytest.mark.django_db, needs_poppler]


def pdfa_identification(path) -> tuple[str, str]:
    """(part, conformance) from the XMP metadata, as pdfinfo reads it (the stream is
    compressed: grepping the raw bytes would prove nothing)."""
    meta = run("pdfinfo", "-meta", str(path))
    part = re.search(r"pdfaid:part(?:=\"|>)(\d)", meta)
    conformance = re.search(r"pdfaid:conformance(?:=\"|>)([A-Za-z])", meta)
    assert part, meta
    assert conformance, meta
    return part.group(1), conformance.group(1)


def test_letters_and_minutes_are_pdfa_3b_and_tagged(published, manager, tmp_path):
    letter = doc_svc.letters_issue(round=published.scenario.round, by=manager)[0]
    minutes = doc_svc.minutes_issue(
        participation=published.scenario.bekasi,
        by=manager,
        region_signatory=published.region_signatory,
    )
    for name, document in (("letter", letter), ("minutes", minutes)):
        path = write(doc_svc.document_pdf(document), tmp_path, f"{name}.pdf")
        assert pdfa_identification(path) == ("3", "B")
        info = run("pdfinfo", str(path))
        assert re.search(r"^Tagged:\s+yes$", info, re.M), info
        assert re.search(r"^Title:\s+.*" + re.escape(document.number), info, re.M), info
        pngs = pages_png(path, tmp_path, f"standards-{name}", dpi=80)
        assert pngs
        assert all(p.stat().st_size > 10_000 for p in pngs)  # pages with ink on them
    # The usual letter fits on one page.
    assert len(list((tmp_path / "standards-letter-pages").glob("*.png"))) == 1
