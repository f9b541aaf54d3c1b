"""A document's PDF: HTML template → WeasyPrint PDF/A-3b with tags → PAdES signature.

Rendered from the document's frozen content and letterhead version only (see
``evaluations.documents.content``), always in Indonesian. A single document takes a fraction of a
second (README, "Official documents"), so a download renders it on first request and
stores the file; the round's ZIP renders in a background task.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from evaluations.documents import signing
from evaluations.documents.models import Document, DocumentKind, Letterhead
from evaluations.documents.sources import current_publication
from evaluations.models import Result

TEMPLATES = {
    DocumentKind.LETTER: "documents/pdf/letter.html",
    DocumentKind.MINUTES: "documents/pdf/minutes.html",
}


def verification_url(code: str) -> str:
    """The short public address printed on the document and held by its QR code."""
    return settings.PORTAL_URL.rstrip("/") + reverse("documents:verify", kwargs={"code": code})


def qr_data_uri(url: str) -> str:
    """An SVG QR code (error correction M) as a data URI WeasyPrint embeds."""
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=2)


def logo_data_uri(letterhead: Letterhead) -> str:
    if not letterhead.logo:
        return ""
    encoded = base64.b64encode(bytes(letterhead.logo)).decode("ascii")
    return f"data:{letterhead.logo_type};base64,{encoded}"


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    signed: bool

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


def _dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _letter_figures(content: dict[str, Any]) -> dict[str, Any]:
    """Figures are kept as strings in the frozen content (exact decimals in JSON); the
    template formats Decimals the Indonesian way (4,00)."""
    figures = dict(content["figures"])
    figures["index"] = _dec(figures["index"])
    figures["index_change"] = _dec(figures.get("index_change"))
    return {
        **content,
        "figures": figures,
        "components": [{**row, "score": _dec(row["score"])} for row in content["components"]],
        "dimensions": [{**row, "score": _dec(row["score"])} for row in content["dimensions"]],
    }


def stated_content(document: Document) -> dict[str, Any]:
    """The frozen content with figures as Decimals and dates as dates, for templates."""
    if document.kind == DocumentKind.LETTER:
        return _letter_figures(document.content)
    review = document.content["review"]
    return {
        **document.content,
        "review": {
            **review,
            "start_date": date.fromisoformat(review["start_date"]),
            "end_date": date.fromisoformat(review["end_date"]),
        },
    }


def document_context(document: Document, *, signed: bool, preview: bool = False) -> dict[str, Any]:
    is_letter = document.kind == DocumentKind.LETTER
    content = _letter_figures(document.content) if is_letter else document.content
    url = "" if preview else verification_url(document.code)
    context: dict[str, Any] = {
        "document": document,
        "c": content,
        "letterhead": document.letterhead,
        "logo": logo_data_uri(document.letterhead),
        "number": document.number,
        "document_date": document.document_date,
        "verify_url": url,
        "qr": qr_data_uri(url) if url else "",
        "signed": signed,
        "preview": preview,
    }
    if is_letter:
        revision = document.content["revision"]
        context["revision_date"] = date.fromisoformat(revision["date"]) if revision else None
        figures = content["figures"]
        change = figures.get("rank_change")
        context["rank_moved"] = abs(change) if change else 0
    else:
        review = document.content["review"]
        context["start_date"] = date.fromisoformat(review["start_date"])
        context["end_date"] = date.fromisoformat(review["end_date"])
    return context


def html_to_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango and fonts, which only PDF work needs.
    from weasyprint import HTML

    return HTML(string=html, base_url=None).write_pdf(pdf_variant="pdf/a-3b", pdf_tags=True)


def render_document(document: Document) -> Rendered:
    """The document's PDF/A-3b, signed when a certificate is configured."""
    will_sign = signing.signing_configured()
    with translation.override("id"):
        html = render_to_string(
            TEMPLATES[DocumentKind(document.kind)], document_context(document, signed=will_sign)
        )
        reason = f"{document.get_kind_display()} {document.number}"
    pdf = html_to_pdf(html)
    if will_sign:
        pdf = signing.sign_pdf(pdf, reason=reason, location=document.letterhead.place)
    return Rendered(pdf=pdf, signed=will_sign)


def render_letter_preview(result: Result) -> bytes:
    """A manager's preview of a result letter: current figures, the round's letterhead (or a
    placeholder), no number, no verification code, never signed, marked as a preview."""
    from evaluations.documents.content import letter_content

    participation = result.participation
    round_ = participation.round
    publication = current_publication(round_) if round_.is_public else None
    letterhead = Letterhead.objects.current_for(round_) or Letterhead(
        round=round_,
        institution="(Kop surat belum diisi)",
        unit="",
        address="",
        place="",
        signatory_name="(Nama penanda tangan)",
        signatory_position="(Jabatan penanda tangan)",
        signatory_nip="",
    )
    document = Document(
        kind=DocumentKind.LETTER,
        participation=participation,
        publication=publication,
        letterhead=letterhead,
        number="(diberikan saat surat diterbitkan)",
        # A preview is never saved: without a publication it has no date yet.
        document_date=timezone.localdate(publication.published_at) if publication else None,  # type: ignore[misc]
    )
    with translation.override("id"):
        document.content = letter_content(result, publication)
        html = render_to_string(
            TEMPLATES[DocumentKind.LETTER],
            {
                **document_context(document, signed=False, preview=True),
                "unpublished": not round_.is_public,
            },
        )
    return html_to_pdf(html)
