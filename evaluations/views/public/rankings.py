"""Rankings of a published round: national table, per province, per dimension and component."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from evaluations import access, charts
from evaluations.caching import public_page, render_public
from evaluations.filters.public import DESCENDING_FIRST, SORT_FIELDS, PublicResultFilter
from evaluations.models import Result, Round
from evaluations.views.public.common import (
    COMPONENTS,
    DIMENSIONS,
    METRICS,
    band_styles,
    ranked_by,
)


def _round_context(round_: Round, tab: str) -> dict[str, object]:
    """What every page of a round shows around its content: the tabs and the other rounds."""
    return {
        "round": round_,
        "tab": tab,
        "public_rounds": list(access.public_rounds().order_by("-year", "-phase")),
    }


@public_page
@require_safe
def rankings_latest(request: HttpRequest) -> HttpResponse:
    """The newest published round's rankings (the navigation's "Peringkat")."""
    round_ = access.latest_public_round()
    if round_ is None:
        return render_public(request, "public/no_results.html")
    return redirect(round_)


def _sort_headers(request: HttpRequest) -> dict[str, dict[str, str]]:
    """For each sortable column: the link that sorts by it and its current ``aria-sort``."""
    current = request.GET.get("sort", "") or "rank"
    headers = {}
    for key in SORT_FIELDS:
        if current == key:
            state, target = "ascending", f"-{key}"
        elif current == f"-{key}":
            state, target = "descending", key
        else:
            state = "none"
            target = f"-{key}" if key in DESCENDING_FIRST else key
        params = request.GET.copy()
        params["sort"] = target
        for name in list(params):
            if not params.get(name):
                del params[name]
        headers[key] = {"url": "?" + params.urlencode(), "state": state}
    return headers


@public_page
@require_safe
def rankings(request: HttpRequest, round_slug: str) -> HttpResponse:
    """The national table, with filters and sorting in the query string."""
    round_ = access.get_public_round_or_404(round_slug)
    bands = list(round_.instrument.rating_bands.all())
    filterset = PublicResultFilter(
        request.GET or None,
        queryset=access.public_round_results(round_),
        round_=round_,
        bands=bands,
    )
    rows = list(filterset.qs)
    total = access.public_round_results(round_).count() if filterset.active else len(rows)
    context = {
        **_round_context(round_, "national"),
        "rows": rows,
        "total": total,
        "filterset": filterset,
        "sort_headers": _sort_headers(request),
        "styles": band_styles(bands),
        "metrics": DIMENSIONS + COMPONENTS,
    }
    template = "public/rankings.html"
    if getattr(request, "htmx", False):
        template += "#results"
    return render_public(request, template, context)


@public_page
@require_safe
def rankings_provinces(request: HttpRequest, round_slug: str) -> HttpResponse:
    """Rankings within each province, provinces in alphabetical order."""
    round_ = access.get_public_round_or_404(round_slug)
    bands = list(round_.instrument.rating_bands.all())
    results = access.public_round_results(round_).order_by(
        "participation__region__province__name",
        "provincial_rank",
        "participation__region__name",
    )
    provinces = [
        (province, list(group))
        for province, group in groupby(results, key=lambda r: r.participation.region.province)
    ]
    context = {
        **_round_context(round_, "provinces"),
        "provinces": provinces,
        "styles": band_styles(bands),
    }
    return render_public(request, "public/rankings_provinces.html", context)


def _mean(values: list[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    if not present:
        return None
    return (sum(present) / len(present)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@public_page
@require_safe
def rankings_metric(
    request: HttpRequest, round_slug: str, metric: str | None = None
) -> HttpResponse:
    """Rankings by one dimension or component score; without ``metric``, the leaders of
    every dimension and component and the national averages."""
    round_ = access.get_public_round_or_404(round_slug)
    chosen = None
    if metric is not None:
        chosen = METRICS.get(metric)
        if chosen is None:
            raise Http404
    results: list[Result] = list(access.public_round_results(round_))
    context: dict[str, object] = {
        **_round_context(round_, "metrics"),
        "metric": chosen,
        "dimensions": DIMENSIONS,
        "components": COMPONENTS,
        "count": len(results),
    }
    if chosen is not None:
        context["ranked"] = ranked_by(results, chosen)
    else:
        context["leaders"] = [(m, ranked_by(results, m)[:3]) for m in DIMENSIONS + COMPONENTS]
        averages = charts.Series(
            _("Rata-rata nasional"),
            [_mean([getattr(r, m.field) for r in results]) for m in DIMENSIONS + COMPONENTS],
        )
        context["averages_chart"] = charts.bar_chart(
            chart_id="chart-averages",
            title=_("Rata-rata nasional per dimensi dan komponen, %(round)s")
            % {"round": round_.name},
            description=_(
                "Batang mendatar: rata-rata skor seluruh peserta untuk setiap dimensi dan "
                "komponen, skala 0 sampai 5."
            ),
            categories=[str(m.label) for m in DIMENSIONS + COMPONENTS],
            series=[averages],
            category_header=_("Dimensi atau komponen"),
        )
    return render_public(request, "public/rankings_metric.html", context)
