"""PAdES signatures with pyHanko, from a certificate and key named by the environment.

``DOCUMENT_SIGNING_KEY`` and ``DOCUMENT_SIGNING_CERT`` are paths to PEM (or DER) files;
``DOCUMENT_SIGNING_CHAIN`` lists intermediate certificates (comma-separated paths) and
``DOCUMENT_SIGNING_KEY_PASSPHRASE`` unlocks an encrypted key. Without a key and
certificate nothing is signed and every document says, on its face, that it is an unsigned
draft (see the PDF templates).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from pyhanko.sign.signers import SimpleSigner

SIGNATURE_FIELD = "TandaTanganElektronik"


def signing_configured() -> bool:
    return bool(settings.DOCUMENT_SIGNING_KEY and settings.DOCUMENT_SIGNING_CERT)


@functools.cache
def _load_signer(key: str, cert: str, chain: tuple[str, ...], passphrase: str) -> SimpleSigner:
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load(
        key,
        cert,
        ca_chain_files=chain or None,
        key_passphrase=passphrase.encode() if passphrase else None,
    )
    if signer is None:  # pyHanko logs the reason and returns None
        raise ImproperlyConfigured(
            "DOCUMENT_SIGNING_KEY / DOCUMENT_SIGNING_CERT could not be loaded (wrong path, "
            "format or passphrase)."
        )
    return signer


def signer() -> SimpleSigner | None:
    """The configured signer, loaded once per process; None when signing is not set up."""
    if not signing_configured():
        return None
    return _load_signer(
        settings.DOCUMENT_SIGNING_KEY,
        settings.DOCUMENT_SIGNING_CERT,
        tuple(settings.DOCUMENT_SIGNING_CHAIN),
        settings.DOCUMENT_SIGNING_KEY_PASSPHRASE,
    )


def signer_name() -> str:
    """The common name on the signing certificate ("" when none is configured)."""
    current = signer()
    if current is None:
        return ""
    return current.signing_cert.subject.native.get(  # type: ignore[union-attr]  # a loaded signer has its certificate
        "common_name", ""
    )


def sign_pdf(pdf: bytes, *, reason: str, location: str) -> bytes:
    """Sign ``pdf`` (PAdES baseline B, SHA-256) as an incremental update, so that a PDF/A
    file stays PDF/A; raises when no signer is configured."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    current = signer()
    if current is None:
        raise ImproperlyConfigured("No signing certificate is configured.")
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )
    out = outside_event_loop(lambda: signers.sign_pdf(writer, meta, signer=current))
    return out.getvalue()


def outside_event_loop[T](work: Callable[[], T]) -> T:
    """Run ``work`` here, or in a short-lived thread when this thread already runs an
    asyncio event loop: pyHanko's synchronous API calls ``asyncio.run``, which refuses to
    start inside a running loop (an ASGI server, or Playwright's sync API in tests)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()
