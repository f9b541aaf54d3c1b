"""Open data: the download page and each published round's results as CSV, XLSX and JSON."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from evaluations import opendata
from evaluations.caching import public_page, render_public
from evaluations.harvest.http import stable_xlsx
from evaluations.selectors import public as public_reads
from smartcity.security import download_rate_limit


@public_page
@require_safe
def opendata_index(request: HttpRequest) -> HttpResponse:
    rounds = public_reads.public_rounds().annotate(
        result_count=Count("participations__result", filter=Q(participations__excluded=False))
    )
    context = {
        "rounds": list(rounds.order_by("-year", "-phase")),
        "columns": opendata.COLUMNS,
        "licence": opendata.licence(),
        "credit": opendata.credit(),
        "formats": list(opendata.FORMATS),
    }
    return render_public(request, "public/opendata.html", context)


def export_filename(round_slug: str, fmt: str) -> str:
    return f"smartcity-results-{round_slug}.{fmt}"


@download_rate_limit
@public_page
@require_safe
def export(request: HttpRequest, round_slug: str, fmt: str) -> HttpResponse:
    """A published round's results file; the same rows as the rankings page, national order."""
    if fmt not in opendata.FORMATS:
        raise Http404
    round_ = public_reads.get_public_round_or_404(round_slug)
    rows = opendata.result_rows(public_reads.public_round_results(round_))
    package = reverse("public:round_datapackage", kwargs={"round_slug": round_.slug})
    meta = {**opendata.round_meta(round_), "datapackage": request.build_absolute_uri(package)}
    content = opendata.render_file(rows, fmt, meta=meta)
    if fmt == "xlsx":
        content = stable_xlsx(content, round_.published_at)  # same bytes on every app server
    response = HttpResponse(content, content_type=opendata.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{export_filename(round_.slug, fmt)}"'
    response["Link"] = (
        f'<{request.build_absolute_uri(package)}>; rel="describedby"; type="application/json", '
        f'<{opendata.licence()["url"]}>; rel="license"'
    )
    return response
