"""Rankings of a published round: national table, per province, per dimension and component."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby
from typing import Any

from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from evaluations import charts
from evaluations.caching import confirm_canonical, public_page, render_public
from evaluations.filters.public import DESCENDING_FIRST, SORT_FIELDS, PublicResultFilter
from evaluations.models import Result, Round
from evaluations.selectors import public as public_reads
from evaluations.templatetags import formatting, public_tags
from evaluations.views.public.common import (
    COMPONENTS,
    DIMENSIONS,
    METRICS,
    band_styles,
    ranked_by,
)
from regions.models import RegionKind


def _round_context(round_: Round, tab: str) -> dict[str, object]:
    """What every page of a round shows around its content: the tabs, the other rounds, and
    the revision the page shows (with the correction notice while it is re-opened)."""
    return {
        "round": round_,
        "tab": tab,
        "public_rounds": list(public_reads.public_rounds().order_by("-year", "-phase")),
        "publication": public_reads.current_publication(round_),
    }


@public_page
@require_safe
def rankings_latest(request: HttpRequest) -> HttpResponse:
    """The newest published round's rankings (the navigation's "Peringkat"), shown here
    rather than redirected to, so the navigation link answers at once (issue 16). The page
    names the round's own URL as canonical; its filters and sort links lead there."""
    round_ = public_reads.latest_public_round()
    if round_ is None:
        return render_public(request, "public/no_results.html")
    return _rankings_page(request, round_.slug)


def _sort_headers(request: HttpRequest, base: str) -> dict[str, dict[str, str]]:
    """For each sortable column: the link (on ``base``, the round's rankings URL) that sorts
    by it and its current ``aria-sort``."""
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
        headers[key] = {"url": f"{base}?{params.urlencode()}", "state": state}
    return headers


def _without_invalid(request: HttpRequest, errors: Mapping[str, object]) -> str:
    params = request.GET.copy()
    for name in list(params):
        if name in errors or not params.get(name):
            del params[name]
    return request.path + ("?" + params.urlencode() if params else "")


def _table_rows(results: QuerySet[Result], styles: Mapping[str, object]) -> list[dict[str, object]]:
    """The national table's rows: plain dicts holding the text each cell shows, read with
    one ``values()`` query.

    At national scale (514 rows) building a model instance with four related objects per
    row, then resolving template lookups through them and calling a filter per cell, cost
    most of the page's time (README, "Benchmark"); ``public/rankings.html`` only places
    the text.
    """
    region_url = reverse("public:region", kwargs={"slug": "__slug__"})
    kinds = dict(RegionKind.choices)
    # Many rows share an index, a change or a rank move: format each value once.
    memo: dict[tuple[str, object], object] = {}

    def once(kind: str, value: object, render: Callable[[Any], object]) -> object:
        key = (kind, value)
        if key not in memo:
            memo[key] = render(value)
        return memo[key]

    rows = []
    for r in results.values(  # type: ignore[misc]  # public_*_change: see selectors.public.public_results
        "national_rank",
        "index",
        "rating_band",
        "public_index_change",
        "public_rank_change",
        slug=F("participation__region__slug"),
        name=F("participation__region__name"),
        kind=F("participation__region__kind"),
        province=F("participation__region__province__name"),
    ):
        change, moved = r["public_index_change"], r["public_rank_change"]
        rows.append(
            {
                "slug": r["slug"],
                "url": region_url.replace("__slug__", r["slug"]),
                "name": r["name"],
                "province": r["province"],
                "kind": kinds.get(r["kind"], r["kind"]),
                "rank": r["national_rank"],
                "index": once("score", r["index"], public_tags.score),
                "bar_width": once("bar", r["index"], public_tags.bar_width),
                "band": public_tags.band_label(r["rating_band"], styles) or "–",
                "band_css": public_tags.band_css(r["rating_band"], styles),
                "change": once("signed", change, formatting.signed),
                "change_css": public_tags.change_class(change),
                "moved_arrow": public_tags.rank_arrow(moved),
                "moved_words": once("moved", moved, public_tags.rank_words),
                "moved_css": public_tags.change_class(moved),
            }
        )
    return rows


@public_page
@require_safe
def rankings(request: HttpRequest, round_slug: str) -> HttpResponse:
    """The national table, with filters and sorting in the query string; for a withdrawn
    round, the withdrawal notice in place of the figures."""
    return _rankings_page(request, round_slug)


def _rankings_page(request: HttpRequest, round_slug: str) -> HttpResponse:
    round_ = public_reads.public_rounds().filter(slug=round_slug).first()
    if round_ is None:
        withdrawn = public_reads.withdrawn_round(round_slug)
        if withdrawn is None:
            raise Http404
        return render_public(request, "public/round_withdrawn.html", {"round": withdrawn})
    bands = list(round_.instrument.rating_bands.all())
    filterset = PublicResultFilter(
        request.GET or None,
        queryset=public_reads.public_round_results(round_),
        round_=round_,
        bands=bands,
    )
    if filterset.is_bound:
        if not filterset.is_valid():
            # An unknown province, kind, cohort, band or sort key: the canonical page with
            # the valid values only (never a cached page per junk value).
            return redirect(_without_invalid(request, filterset.errors))
        confirm_canonical(request)
    styles = band_styles(bands)
    rows = _table_rows(filterset.qs, styles)
    total = public_reads.public_round_results(round_).count() if filterset.active else len(rows)
    context = {
        **_round_context(round_, "national"),
        "rows": rows,
        "total": total,
        "filterset": filterset,
        "sort_headers": _sort_headers(request, round_.get_absolute_url()),
        "styles": styles,
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
    round_ = public_reads.get_public_round_or_404(round_slug)
    bands = list(round_.instrument.rating_bands.all())
    results = public_reads.public_round_results(round_).order_by(
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
    return (sum(present, Decimal(0)) / len(present)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


@public_page
@require_safe
def rankings_metric(
    request: HttpRequest, round_slug: str, metric: str | None = None
) -> HttpResponse:
    """Rankings by one dimension or component score; without ``metric``, the leaders of
    every dimension and component and the national averages."""
    round_ = public_reads.get_public_round_or_404(round_slug)
    chosen = None
    if metric is not None:
        chosen = METRICS.get(metric)
        if chosen is None:
            raise Http404
    results: list[Result] = list(public_reads.public_round_results(round_))
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
