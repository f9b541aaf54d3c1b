"""Compare two to four regions side by side: charts and a table, with a shareable URL."""

from __future__ import annotations

from itertools import groupby

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from evaluations import access, charts
from evaluations.caching import confirm_canonical, public_page, render_public
from evaluations.forms.public import COMPARE_MAX, CompareForm
from evaluations.models import Result, Round
from evaluations.views.public.common import COMPONENTS, DIMENSIONS, band_styles, round_label
from evaluations.views.public.regions import component_bars, dimension_radar
from regions.models import Region


def _canonical(request: HttpRequest) -> str | None:
    """The tidy URL of a submitted picker (empty selects dropped), or None if already tidy."""
    raw = request.GET.getlist("regions")
    regions = [v.strip() for v in raw if v.strip()]
    round_slug = request.GET.get("round", "").strip()
    tidy = [("regions", slug) for slug in regions]
    if round_slug:
        tidy.append(("round", round_slug))
    current = [(k, v) for k in request.GET for v in request.GET.getlist(k)]
    if current == tidy:
        return None
    return reverse("public:compare") + ("?" + urlencode(tidy) if tidy else "")


def _history_chart(chosen: list[Region], results: list[Result]) -> charts.Chart:
    rounds: list[Round] = []
    for r in results:
        if r.participation.round not in rounds:
            rounds.append(r.participation.round)
    series = []
    for i, region in enumerate(chosen):
        by_round = {
            r.participation.round_id: r.index
            for r in results
            if r.participation.region_id == region.pk
        }
        series.append(charts.Series(region.name, [by_round.get(rd.pk) for rd in rounds], i))
    return charts.line_chart(
        chart_id="chart-compare-history",
        title=_("Riwayat indeks wilayah yang dibandingkan"),
        description=_(
            "Satu garis untuk setiap wilayah: indeks pada setiap putaran yang dipublikasikan, "
            "skala 0 sampai 5."
        ),
        x_labels=[round_label(rd) for rd in rounds],
        series=series,
        value_header=_("Putaran"),
    )


def _region_options(candidates: list[Region]) -> str:
    """The ``<optgroup>``s of every comparable region, by province, built once for the four
    pickers: at national scale a template loop over 4 × 514 options cost more than all the
    rest of the page (README, "Benchmark")."""
    parts = []
    for province, group in groupby(candidates, key=lambda r: r.province):
        options = format_html_join(
            "", '<option value="{}">{}</option>', ((r.slug, r.name) for r in group)
        )
        parts.append(format_html('<optgroup label="{}">\n{}\n</optgroup>', province.name, options))
    return "\n".join(parts)


def _with_selected(options: str, slug: str) -> SafeString:
    """The options with ``slug``'s marked selected (none for an empty or unknown slug)."""
    if slug:
        value = f'<option value="{escape(slug)}">'
        options = options.replace(value, value[:-1] + " selected>", 1)
    return mark_safe(options)  # built with format_html; the slug is escaped


@public_page
@require_safe
def compare(request: HttpRequest) -> HttpResponse:
    tidy = _canonical(request)
    if tidy is not None:
        return redirect(tidy)
    rounds = list(access.public_rounds().order_by("-year", "-phase"))
    round_slug = request.GET.get("round")
    if round_slug and round_slug not in {r.slug for r in rounds}:
        raise Http404
    candidates = list(access.public_compare_regions())
    # An unknown region is a 404, as an unknown round: never a page of its own.
    known = {r.slug for r in candidates}
    if any(slug not in known for slug in request.GET.getlist("regions")):
        raise Http404
    form = CompareForm(request.GET or None, regions=candidates, rounds=rounds)
    selected = request.GET.getlist("regions")[:COMPARE_MAX]
    options = _region_options(candidates)
    slots = []
    for i in range(COMPARE_MAX):
        slug = selected[i] if i < len(selected) else ""
        slots.append((i + 1, slug, _with_selected(options, slug)))
    context: dict[str, object] = {
        "form": form,
        "candidates": candidates,
        "rounds": rounds,
        "slots": slots,
        "selected_round": round_slug or "",
    }
    if not form.is_bound or form.is_valid():
        confirm_canonical(request)  # every value known; a form error (too few) is not kept
    if form.is_bound and form.is_valid() and rounds:
        by_slug = {r.slug: r for r in candidates}
        chosen = [by_slug[s] for s in form.cleaned_data["regions"]]
        round_ = next((r for r in rounds if r.slug == round_slug), rounds[0])
        results = list(access.public_results_of_regions(chosen))
        in_round = {
            r.participation.region_id: r for r in results if r.participation.round_id == round_.pk
        }
        columns = [(i, region, in_round.get(region.pk)) for i, region in enumerate(chosen)]
        # Each region keeps its colour and pattern even when another one has no result.
        with_result = [(region.name, res, i) for i, region, res in columns if res is not None]
        context.update(
            {
                "round": round_,
                "chosen": chosen,
                "columns": columns,
                "missing": [region for _i, region, res in columns if res is None],
                "styles": band_styles(round_.instrument.rating_bands.all()),
                "dimensions": DIMENSIONS,
                "components": COMPONENTS,
                "share_url": request.build_absolute_uri(),
                "history_chart": _history_chart(chosen, results),
            }
        )
        if with_result:
            context["radar_chart"] = dimension_radar(
                _("Skor enam dimensi, %(round)s") % {"round": round_.name},
                with_result,
                chart_id="chart-compare-radar",
                per=_("wilayah"),
            )
            context["component_chart"] = component_bars(
                _("Skor komponen, %(round)s") % {"round": round_.name},
                with_result,
                chart_id="chart-compare-components",
                weights=round_.instrument.component_weights(),
            )
    return render_public(request, "public/compare.html", context)
