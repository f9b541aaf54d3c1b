"""The methodology page, generated from the instrument a published round used."""

from __future__ import annotations

from decimal import Decimal
from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from evaluations.caching import public_page, render_public
from evaluations.models import ComponentCode, Dimension, Instrument
from evaluations.selectors import public as public_reads
from evaluations.services.engine import index_from_components, round_half_up
from evaluations.views.public.common import competition_ranks

# Full-precision component scores of the worked example (weighted means of verified
# levels, e.g. 3 + 0.17/0.80 = 3.2125): shown with 2 decimals they recompute to a different
# index than the one computed from them, as in Kominfo's own published results.
EXAMPLE_SCORES = {
    "baseline": Decimal("3.600000"),
    "output": Decimal("3.212500"),
    "outcome": Decimal("3.225000"),
    "impact": Decimal("3.066667"),
    "quick_win": Decimal("3.650000"),
}
EXAMPLE_INDICES = [Decimal("3.31"), Decimal("3.20"), Decimal("3.20"), Decimal("3.05")]


def worked_example(instrument: Instrument) -> dict[str, object]:
    """The index of example component scores under this version's weights, computed live
    with the engine's own rule: from the unrounded scores, rounded half-up only at the end;
    and what recomputing from the shown 2-decimal scores would give instead."""
    weights = instrument.component_weights()
    scores = EXAMPLE_SCORES
    terms = [
        (
            label,
            weights[code],
            scores[code],
            round_half_up(scores[code]),
            Decimal(weights[code]) * scores[code],
        )
        for code, label in ComponentCode.choices
    ]
    exact = index_from_components(scores, weights)
    rounded = round_half_up(exact)
    from_shown = round_half_up(
        index_from_components({c: round_half_up(v) for c, v in scores.items()}, weights)
    )
    return {
        "terms": terms,
        "exact": exact,
        "rounded": rounded,
        "from_shown": from_shown if from_shown != rounded else None,
        "ranks": list(zip(EXAMPLE_INDICES, competition_ranks(EXAMPLE_INDICES), strict=True)),
    }


def band_ranges(bands: list) -> list[tuple[str, Decimal, Decimal | None]]:
    """(name, from, below) for each band, best first; the best has no upper bound."""
    ordered = sorted(bands, key=lambda b: b.min_index, reverse=True)
    return [
        (b.name_i18n, b.min_index, ordered[i - 1].min_index if i else None)
        for i, b in enumerate(ordered)
    ]


@public_page
@require_safe
def methodology_latest(request: HttpRequest) -> HttpResponse:
    """The methodology of the newest published round's instrument, shown here rather than
    redirected to (the navigation's "Metodologi" answers at once; the page names the
    instrument's own URL as canonical)."""
    round_ = public_reads.latest_public_round()
    if round_ is None:
        return render_public(request, "public/no_results.html")
    return _methodology_page(request, round_.instrument.code)


@public_page
@require_safe
def methodology(request: HttpRequest, instrument: str) -> HttpResponse:
    return _methodology_page(request, instrument)


def _methodology_page(request: HttpRequest, instrument: str) -> HttpResponse:
    instrument_ = public_reads.get_public_instrument_or_404(instrument)
    bands = list(instrument_.rating_bands.all())
    indicators = list(
        instrument_.indicators.select_related("dimension", "element").order_by("order", "code")
    )
    order = {code: i for i, code in enumerate(ComponentCode.values)}
    indicators.sort(key=lambda ind: (order.get(ind.component, 99), ind.order, ind.code))
    labels = dict(ComponentCode.choices)
    weights = instrument_.component_weights()
    components = [
        (code, labels.get(code, code), weights.get(code), list(group))
        for code, group in groupby(indicators, key=lambda ind: ind.component)
    ]
    context = {
        "instrument": instrument_,
        "rounds": list(public_reads.public_rounds().filter(instrument=instrument_)),
        "other_instruments": list(public_reads.public_instruments().exclude(pk=instrument_.pk)),
        "dimensions": list(Dimension.objects.prefetch_related("elements")),
        "weights": [(labels[c], w) for c, w in weights.items()],
        "components": components,
        "indicator_count": len(indicators),
        "bands": band_ranges(bands),
        "example": worked_example(instrument_),
    }
    return render_public(request, "public/methodology.html", context)
