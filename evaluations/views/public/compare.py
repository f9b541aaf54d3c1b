"""Compare two to four regions side by side: charts and a table, with a shareable URL."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from evaluations import charts, search
from evaluations.caching import confirm_canonical, public_page, render_public
from evaluations.forms.public import COMPARE_MAX, CompareForm
from evaluations.models import Result, Round
from evaluations.selectors import public as public_reads
from evaluations.views.public.common import COMPONENTS, DIMENSIONS, band_styles, round_label
from evaluations.views.public.regions import component_bars, dimension_radar
from regions.models import Region


def _canonical(request: HttpRequest, candidates: list[Region]) -> str | None:
    """The tidy URL of a submitted picker, or None if already tidy.

    Empty fields are dropped; what the reader typed or picked ("Kota Bekasi (32.75)",
    "kab bekasi", "3275") becomes the region's slug when it names exactly one comparable
    region, so the shared URL stays short and stable. Text that names no region, or several,
    is kept as typed: the form then says so and offers the close matches.
    """
    raw = request.GET.getlist("regions")
    regions = [v.strip() for v in raw if v.strip()]
    tidy_regions = []
    for value in regions:
        found = search.resolve_region(value, candidates)
        tidy_regions.append(found.slug if isinstance(found, Region) else value)
    round_slug = request.GET.get("round", "").strip()
    tidy = [("regions", value) for value in tidy_regions]
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


@public_page
@require_safe
def compare(request: HttpRequest) -> HttpResponse:
    candidates = list(public_reads.public_compare_regions())
    tidy = _canonical(request, candidates)
    if tidy is not None:
        return redirect(tidy)
    rounds = list(public_reads.public_rounds().order_by("-year", "-phase"))
    round_slug = request.GET.get("round")
    if round_slug and round_slug not in {r.slug for r in rounds}:
        raise Http404
    selected = request.GET.getlist("regions")
    by_slug = {r.slug: r for r in candidates}
    # A single region (the profile's "compare with another region" link) is the start of a
    # comparison, not a mistake: the picker shows it and asks for one more, without an error.
    starting = len(selected) == 1 and selected[0] in by_slug
    form = CompareForm(
        None if starting else (request.GET or None), regions=candidates, rounds=rounds
    )
    slots = []
    for i in range(COMPARE_MAX):
        value = selected[i] if i < len(selected) else ""
        region = by_slug.get(value)
        suggestions: list[tuple[Region, str]] = []
        if value and region is None:
            found = search.resolve_region(value, candidates)
            for option in found if isinstance(found, list) else [found]:
                picked = [option.slug if j == i else v for j, v in enumerate(selected)]
                query = [("regions", v) for v in picked]
                if round_slug:
                    query.append(("round", round_slug))
                suggestions.append((option, reverse("public:compare") + "?" + urlencode(query)))
        slots.append(
            {
                "number": i + 1,
                "value": f"{region.name} ({region.code})" if region else value,
                "unknown": bool(value) and region is None,
                "suggestions": suggestions,
            }
        )
    context: dict[str, object] = {
        "form": form,
        "candidates": candidates,
        "rounds": rounds,
        "slots": slots,
        "starting": starting,
        "selected_round": round_slug or "",
    }
    if not any(slot["unknown"] for slot in slots) and (not form.is_bound or form.is_valid()):
        # Every value known; typed text that names no region (answered with suggestions)
        # and a form error (too many) are never kept.
        confirm_canonical(request)
    if form.is_bound and form.is_valid() and rounds:
        chosen = [by_slug[s] for s in form.cleaned_data["regions"]]
        round_ = next((r for r in rounds if r.slug == round_slug), rounds[0])
        results = list(public_reads.public_results_of_regions(chosen))
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
