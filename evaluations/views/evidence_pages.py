"""The page-image preview of a PDF evidence file, as the reviewer's and the city's views
answer it once they have checked the reader's right to the evidence (their own scoped
querysets): the panel (an htmx fragment that polls while the pages are being rendered) or,
without JavaScript, the same panel on a page of its own; and one page image."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from evaluations.models import Evidence, EvidencePreview
from evaluations.services import evidence_previews


@dataclass(frozen=True)
class PageImage:
    number: int
    url: str
    width: int
    height: int


def pages_panel(
    request: HttpRequest,
    *,
    evidence: Evidence,
    pages_url: str,
    page_url: Callable[[int], str],
    download_url: str,
    layout: str,
    context: dict[str, object] | None = None,
) -> HttpResponse:
    """Start the rendering on the first request, then show where it is. ``evidence`` comes
    from the caller's scoped queryset; anything but a stored PDF is a 404."""
    if not evidence_previews.is_pdf(evidence):
        raise Http404
    preview = evidence_previews.evidence_pdf_preview(evidence=evidence)
    pages = [
        PageImage(number=n, url=page_url(n), width=page["width"], height=page["height"])
        for n, page in enumerate(preview.pages if preview.is_ready else [], start=1)
    ]
    values = {
        "evidence": evidence,
        "preview": preview,
        "pages": pages,
        "message": evidence_previews.problem_message(preview),
        "pages_url": pages_url,
        "download_url": download_url,
        "layout": layout,
        **(context or {}),
    }
    if getattr(request, "htmx", False):  # django-htmx: the panel alone
        return render(request, "includes/evidence_pages.html#panel", values)
    return render(request, "evaluations/evidence_pages.html", values)


def page_image(evidence: Evidence, number: int) -> HttpResponseBase:
    """Page ``number`` of the evidence's rendered preview (404 while there is none)."""
    preview = EvidencePreview.objects.filter(evidence=evidence).first()
    if preview is None:
        raise Http404
    preview.evidence = evidence  # already in hand: no second query
    response = evidence_previews.page_response(preview, number)
    if response is None:
        raise Http404
    return response
