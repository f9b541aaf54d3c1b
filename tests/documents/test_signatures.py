"""PAdES signatures: signed with the configured certificate, validated by pyHanko against a
throwaway CA; a tampered byte fails; without a certificate a document says it is a draft."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from evaluations.documents import services as doc_svc
from evaluations.documents import signing
from evaluations.documents.models import Document
from tests.documents.conftest import needs_poppler, pdf_text, run, write
from tests.documents.pki import make_pki
from tests.documents.test_pdf_standards import pdfa_identification

pytestmark = pytest.mark.django_db


@pytest.fixture
def pki(settings, tmp_path):
    paths = make_pki(tmp_path / "pki")
    settings.DOCUMENT_SIGNING_KEY = str(paths.key)
    settings.DOCUMENT_SIGNING_CERT = str(paths.cert)
    settings.DOCUMENT_SIGNING_CHAIN = [str(paths.ca_cert)]
    signing._load_signer.cache_clear()
    yield paths
    signing._load_signer.cache_clear()


@pytest.fixture
def letter(published, manager) -> Document:
    return doc_svc.letters_issue(round=published.scenario.round, by=manager)[0]


def _status(pdf: bytes, ca_path):
    reader = PdfFileReader(BytesIO(pdf))
    (signature,) = reader.embedded_signatures
    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(ca_path))])
    # pyHanko's validator calls asyncio.run too: keep it out of a loop an earlier browser
    # test (Playwright's sync API) may leave running in this thread.
    return signing.outside_event_loop(lambda: validate_pdf_signature(signature, context))


def test_a_letter_is_signed_pades_and_validates_against_the_ca(letter, pki, tmp_path):
    pdf = doc_svc.document_pdf(letter)
    status = _status(pdf, pki.ca_cert)
    assert status.intact
    assert status.valid
    assert status.trusted
    assert status.bottom_line
    assert status.coverage.name == "ENTIRE_FILE"
    letter.refresh_from_db()
    assert letter.signed is True
    assert "ETSI.CAdES.detached" in pdf.decode("latin-1")  # PAdES subfilter


@needs_poppler
def test_a_signed_letter_says_so_on_its_face_and_stays_pdfa(letter, pki, tmp_path):
    path = write(doc_svc.document_pdf(letter), tmp_path)
    text = pdf_text(path)
    assert "Ditandatangani secara elektronik" in text
    assert "DRAF" not in text
    assert pdfa_identification(path) == ("3", "B")  # the signature is an incremental update
    assert re.search(r"^Tagged:\s+yes$", run("pdfinfo", str(path)), re.M)
    assert "Signature #1" in run("pdfsig", str(path))


def test_one_tampered_byte_fails_validation(letter, pki):
    pdf = bytearray(doc_svc.document_pdf(letter))
    # Change one digit of the printed number inside the signed byte range.
    reader = PdfFileReader(BytesIO(bytes(pdf)))
    (signature,) = reader.embedded_signatures
    start, length = signature.byte_range[0], signature.byte_range[1]
    position = pdf.index(b"/Producer", start, start + length)
    pdf[position + 1] ^= 0x01
    status = _status(bytes(pdf), pki.ca_cert)
    assert not status.intact
    assert not status.bottom_line


def test_a_signature_from_another_ca_is_not_trusted(letter, pki, tmp_path):
    stranger = make_pki(tmp_path / "stranger")
    status = _status(doc_svc.document_pdf(letter), stranger.ca_cert)
    assert status.intact
    assert not status.trusted


@needs_poppler
def test_without_a_certificate_the_letter_is_a_visibly_unsigned_draft(letter, settings, tmp_path):
    settings.DOCUMENT_SIGNING_KEY = settings.DOCUMENT_SIGNING_CERT = ""
    pdf = doc_svc.document_pdf(letter)
    assert list(PdfFileReader(BytesIO(pdf)).embedded_signatures) == []
    text = pdf_text(write(pdf, tmp_path))
    assert "DRAF – TIDAK DITANDATANGANI SECARA ELEKTRONIK" in text
    assert "Draf: belum ditandatangani secara elektronik." in text
    letter.refresh_from_db()
    assert letter.signed is False


def test_a_draft_stored_before_the_certificate_is_signed_later_and_then_kept(
    letter, settings, tmp_path
):
    settings.DOCUMENT_SIGNING_KEY = settings.DOCUMENT_SIGNING_CERT = ""
    draft = doc_svc.document_pdf(letter)
    assert doc_svc.document_pdf(Document.objects.get(pk=letter.pk)) == draft  # stored
    paths = make_pki(tmp_path / "pki")
    settings.DOCUMENT_SIGNING_KEY, settings.DOCUMENT_SIGNING_CERT = str(paths.key), str(paths.cert)
    settings.DOCUMENT_SIGNING_CHAIN = []
    signing._load_signer.cache_clear()
    signed = doc_svc.document_pdf(Document.objects.get(pk=letter.pk))
    assert signed != draft
    assert _status(signed, paths.ca_cert).bottom_line
    # A signed file is the one handed out from now on, byte for byte.
    assert doc_svc.document_pdf(Document.objects.get(pk=letter.pk)) == signed
    signing._load_signer.cache_clear()


def test_signing_works_inside_a_running_event_loop(letter, settings, tmp_path):
    # pyHanko's synchronous API starts its own event loop; under an ASGI server (or after
    # Playwright's sync API in this test process) one is already running in the thread.
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    unsigned = doc_svc.render_document(letter).pdf  # no certificate configured yet
    paths = make_pki(tmp_path / "pki")
    settings.DOCUMENT_SIGNING_KEY = str(paths.key)
    settings.DOCUMENT_SIGNING_CERT = str(paths.cert)
    settings.DOCUMENT_SIGNING_CHAIN = [str(paths.ca_cert)]
    signing._load_signer.cache_clear()
    try:

        async def sign_in_a_loop() -> bytes:
            return signing.sign_pdf(unsigned, reason="uji", location="Jakarta")

        # A fresh thread, whose own loop runs while signing (this thread may have one).
        with ThreadPoolExecutor(max_workers=1) as pool:
            signed = pool.submit(asyncio.run, sign_in_a_loop()).result()
    finally:
        signing._load_signer.cache_clear()
    assert _status(signed, paths.ca_cert).bottom_line
