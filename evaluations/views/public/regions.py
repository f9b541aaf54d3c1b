"""A region's public profile: key facts, results over time, programmes, findings, awards."""

from __future__ import annotations

from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from evaluations import charts
from evaluations.caching import public_page, render_public
from evaluations.models import ComponentCode, DimensionCode, Result
from evaluations.selectors import public as public_reads
from evaluations.views.public.common import (
    band_styles,
    component_labels,
    dimension_labels,
    dimension_short_labels,
    round_label,
)
from regions.models import DigitalGovernmentIndex, Region


def index_history_chart(region: Region, results: list[Result]) -> charts.Chart:
    return charts.line_chart(
        chart_id="chart-history",
        title=_("Riwayat indeks smart city %(region)s") % {"region": region.name},
        description=_(
            "Garis indeks pada setiap putaran evaluasi yang dipublikasikan, skala 0 sampai 5."
        ),
        x_labels=[round_label(r.participation.round) for r in results],
        series=[charts.Series(_("Indeks"), [r.index for r in results])],
        value_header=_("Putaran"),
    )


def dimension_radar(
    title: str, results: list[tuple[str, Result, int]], *, chart_id: str, per: str
) -> charts.Chart:
    """The six dimensions as a spider chart, one polygon per (label, result, series index)."""
    return charts.radar_chart(
        chart_id=chart_id,
        title=title,
        description=_(
            "Diagram radar enam dimensi smart city, skala 0 (pusat) sampai 5 (tepi luar); "
            "satu bidang untuk setiap %(what)s."
        )
        % {"what": per},
        axes=dimension_short_labels(),
        axis_titles=dimension_labels(),
        series=[
            charts.Series(label, [getattr(r, f"score_{c}") for c in DimensionCode.values], i)
            for label, r, i in results
        ],
        axis_header=_("Dimensi"),
    )


def component_bars(
    title: str, results: list[tuple[str, Result, int]], *, chart_id: str, weights: dict[str, int]
) -> charts.Chart:
    """Component scores as grouped bars, one bar per (label, result, series index)."""
    return charts.bar_chart(
        chart_id=chart_id,
        title=title,
        description=_(
            "Batang mendatar: skor setiap komponen evaluasi, skala 0 sampai 5; bobot komponen "
            "dalam indeks tertulis di bawah namanya."
        ),
        categories=component_labels(),
        notes=[_("bobot %(w)s%%") % {"w": weights.get(c, "–")} for c in ComponentCode.values],
        series=[
            charts.Series(label, [getattr(r, f"score_{c}") for c in ComponentCode.values], i)
            for label, r, i in results
        ],
        category_header=_("Komponen"),
    )


def digital_index_chart(region: Region, indices: list[DigitalGovernmentIndex]) -> charts.Chart:
    years = sorted({d.year for d in indices})
    series = []
    for i, (framework, group) in enumerate(groupby(indices, key=lambda d: d.framework)):
        by_year = {d.year: d.value for d in group}
        series.append(charts.Series(framework, [by_year.get(y) for y in years], i))
    return charts.line_chart(
        chart_id="chart-spbe",
        title=_("Riwayat indeks pemerintahan digital %(region)s") % {"region": region.name},
        description=_("Nilai indeks per tahun menurut kerangka penilaiannya, skala 0 sampai 5."),
        x_labels=[str(y) for y in years],
        series=series,
        value_header=_("Tahun"),
    )


@public_page
@require_safe
def region_profile(request: HttpRequest, slug: str) -> HttpResponse:
    region = public_reads.get_public_region_or_404(slug)
    results = list(
        public_reads.public_region_results(region).prefetch_related(
            "participation__round__instrument__rating_bands"
        )
    )
    latest = results[-1] if results else None
    previous = results[-2] if len(results) > 1 else None
    context: dict[str, object] = {
        "region": region,
        "results": results,
        "latest": latest,
        "previous": previous,
    }
    if latest is not None:
        instrument = latest.participation.round.instrument
        context["styles"] = band_styles(instrument.rating_bands.all())
        context["history_chart"] = index_history_chart(region, results)
        radar_series = [(round_label(latest.participation.round), latest, 0)]
        if previous is not None:
            radar_series.append((round_label(previous.participation.round), previous, 1))
        context["radar_chart"] = dimension_radar(
            _("Skor enam dimensi %(region)s") % {"region": region.name},
            radar_series,
            chart_id="chart-radar",
            per=_("putaran"),
        )
        context["component_chart"] = component_bars(
            _("Skor komponen %(region)s, %(round)s")
            % {"region": region.name, "round": latest.participation.round.name},
            [(round_label(latest.participation.round), latest, 0)],
            chart_id="chart-components",
            weights=instrument.component_weights(),
        )
        shares = latest.programme_shares or {}
        context["shares"] = [
            (label, shares.get(code)) for code, label in DimensionCode.choices if shares.get(code)
        ]
    programmes = list(public_reads.public_programmes(region))
    context["programme_groups"] = [
        (dimension, list(group))
        for dimension, group in groupby(programmes, key=lambda p: p.dimension)
    ]
    findings = list(public_reads.public_findings(region))
    context["finding_rounds"] = [
        (
            round_,
            [(dim, list(items)) for dim, items in groupby(group, key=lambda f: f.dimension)],
        )
        for round_, group in groupby(findings, key=lambda f: f.field_review.participation.round)
    ]
    indices = list(public_reads.public_digital_indices(region))
    context["digital_indices"] = indices
    if indices:
        context["digital_chart"] = digital_index_chart(region, indices)
    context["awards"] = list(public_reads.public_awards(region))
    return render_public(request, "public/region.html", context)
