"""The region search: the header's search box lands here."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from evaluations import search
from evaluations.caching import public_page, render_public


@public_page
@require_safe
def region_search(request: HttpRequest) -> HttpResponse:
    """Regions whose name or Kemendagri code matches ``q`` (typos and "Kab."/"Kota" allowed)."""
    raw = request.GET.get("q", "")
    query = search.parse(raw)
    regions = search.search_regions(raw)
    return render_public(
        request,
        "public/search.html",
        {"q": query.text, "searched": not query.empty, "regions": regions},
    )
