"""The methodology page, generated from the instrument a published round used."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from evaluations import access
from evaluations.caching import public_page, render_public
from evaluations.models import ComponentCode, Dimension, Instrument
from evaluations.views.public.common import competition_ranks

TWO_PLACES = Decimal("0.01")

# Component scores of the worked example: with weights 10/20/30/20/20 they give exactly
# 3.315, which shows why the rule says Decimal and half-up (float gives 3.3149999…).
EXAMPLE_SCORES = {
    "baseline": Decimal("3.60"),
    "output": Decimal("3.21"),
    "outcome": Decimal("3.23"),
    "impact": Decimal("3.07"),
    "quick_win": Decimal("3.65"),
}
EXAMPLE_INDICES = [Decimal("3.31"), Decimal("3.20"), Decimal("3.20"), Decimal("3.05")]


def example_scores(weights: dict[str, int]) -> dict[str, Decimal]:
    """Component scores for the worked example. Where the weights allow it, one score is
    nudged so that the exact index ends in a half (x.xx5), which is where the rounding rule
    matters; with 10/20/30/20/20 the defaults already give 3.315."""

    def hundredths(scores: dict[str, Decimal]) -> int:
        return sum(weights[c] * int(scores[c] * 100) for c in scores)

    scores = dict(EXAMPLE_SCORES)
    if hundredths(scores) % 100 == 50:
        return scores
    for code in sorted(scores, key=lambda c: -weights[c]):
        for step in range(1, 100):
            trial = {**scores, code: scores[code] + Decimal(step) / 100}
            if trial[code] <= 5 and hundredths(trial) % 100 == 50:
                return trial
    return scores


def worked_example(instrument: Instrument) -> dict[str, object]:
    """The index of example component scores under this instrument's weights, step by step,
    and what float arithmetic would have printed instead."""
    weights = instrument.component_weights()
    scores = example_scores(weights)
    terms = [
        (label, weights[code], scores[code], Decimal(weights[code]) * scores[code])
        for code, label in ComponentCode.choices
    ]
    exact = sum((t[3] for t in terms), Decimal(0)) / Decimal(100)
    rounded = exact.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    as_float = sum(weights[c] * float(scores[c]) for c in scores) / 100
    float_rounded = Decimal(f"{as_float:.2f}")
    return {
        "terms": terms,
        "exact": exact,
        "rounded": rounded,
        "float_rounded": float_rounded if float_rounded != rounded else None,
        "ranks": list(zip(EXAMPLE_INDICES, competition_ranks(EXAMPLE_INDICES), strict=True)),
    }


def band_ranges(bands: list) -> list[tuple[str, Decimal, Decimal | None]]:
    """(name, from, below) for each band, best first; the best has no upper bound."""
    ordered = sorted(bands, key=lambda b: b.min_index, reverse=True)
    return [
        (b.name, b.min_index, ordered[i - 1].min_index if i else None)
        for i, b in enumerate(ordered)
    ]


@public_page
@require_safe
def methodology_latest(request: HttpRequest) -> HttpResponse:
    """The methodology of the newest published round's instrument."""
    round_ = access.latest_public_round()
    if round_ is None:
        return render_public(request, "public/no_results.html")
    return redirect(round_.instrument)


@public_page
@require_safe
def methodology(request: HttpRequest, instrument: str) -> HttpResponse:
    instrument_ = access.get_public_instrument_or_404(instrument)
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
        "rounds": list(access.public_rounds().filter(instrument=instrument_)),
        "other_instruments": list(access.public_instruments().exclude(pk=instrument_.pk)),
        "dimensions": list(Dimension.objects.prefetch_related("elements")),
        "weights": [(labels[c], w) for c, w in weights.items()],
        "components": components,
        "indicator_count": len(indicators),
        "bands": band_ranges(bands),
        "example": worked_example(instrument_),
    }
    return render_public(request, "public/methodology.html", context)
