"""A round's publications: every revision with what changed, each one downloadable."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from evaluations.caching import public_page, render_public
from evaluations.selectors import public as public_reads
from smartcity.security import download_rate_limit

FIELD_LABELS = {
    "index": _("Indeks"),
    "rating_band": _("Predikat"),
    "national_rank": _("Peringkat nasional"),
    "index_change": _("Perubahan indeks"),
    "rank_change": _("Perubahan peringkat"),
}


@public_page
@require_safe
def round_revisions(request: HttpRequest, round_slug: str) -> HttpResponse:
    """Every publication of a round (number, date, reason, what moved), newest first."""
    round_ = public_reads.get_published_once_round_or_404(round_slug)
    publications = list(public_reads.public_publications(round_))
    for publication in publications:
        publication.change_rows = [  # type: ignore[attr-defined]  # for the template
            {**change, "label": FIELD_LABELS.get(change["field"], change["field"])}
            for change in publication.changes
        ]
    context = {"round": round_, "publications": publications}
    return render_public(request, "public/revisions.html", context)


@download_rate_limit
@public_page
@require_safe
def round_revision_download(request: HttpRequest, round_slug: str, number: int) -> HttpResponse:
    """One revision's frozen figures as JSON, also once it is superseded."""
    round_ = public_reads.get_published_once_round_or_404(round_slug)
    publication = public_reads.public_publications(round_).filter(number=number).first()
    if publication is None:
        raise Http404
    body = {
        "round": round_.slug,
        "round_name": round_.name,
        "revision": publication.number,
        "kind": publication.kind,
        "published_at": publication.published_at.isoformat(),
        "reason": publication.note,
        "revision_of": publication.caused_by.slug if publication.caused_by else None,
        "instrument_version": publication.instrument_label or round_.instrument.version_label,
        "changes": publication.changes,
        "results": publication.snapshot,
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{round_.slug}-revisi-{publication.number}.json"'
    )
    return response
