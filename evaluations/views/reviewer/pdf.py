"""PDF documents (minutes, result letters) rendered from templates by WeasyPrint.

The PDF templates under templates/evaluations/pdf/ carry their own <style>: they are never
served to a browser as HTML, so the page CSP does not apply, and WeasyPrint needs no
network or static-file access to render them.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def pdf_bytes(template: str, context: dict[str, Any], request: HttpRequest | None = None) -> bytes:
    # Imported here: WeasyPrint loads Pango and fonts, which only PDF views need.
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    return HTML(string=html, base_url=None).write_pdf()


def render_pdf(
    request: HttpRequest, template: str, context: dict[str, Any], *, filename: str
) -> HttpResponse:
    """A PDF response, shown inline (``?download=1`` makes it an attachment)."""
    response = HttpResponse(pdf_bytes(template, context, request), content_type="application/pdf")
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
