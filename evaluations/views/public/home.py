"""The home page: the newest published round at a glance."""

from __future__ import annotations

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from typing import cast

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from evaluations.caching import public_page, render_public
from evaluations.models import Result
from evaluations.selectors import public as public_reads
from evaluations.views.public.common import band_styles
from evaluations.views.public.maps import build_map, round_results_for_map

TOP = 5


def headline(results: list[Result]) -> dict[str, object]:
    """The round's figures in a sentence: how many, the average and the best index,
    and how many regions in each band."""
    if not results:
        return {"count": 0}
    indices = [r.index for r in results]
    mean = (sum(indices, Decimal(0)) / len(indices)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return {
        "count": len(results),
        "provinces": len({r.participation.region.province_id for r in results}),
        "mean": mean,
        "best": max(indices),
        "bands": Counter(r.rating_band for r in results),
        "improved": sum(
            1  # type: ignore[misc]  # mypy picks sum's bool overload in an object context
            for r in results
            if r.public_index_change is not None and r.public_index_change > 0  # type: ignore[attr-defined]  # annotated by selectors.public.public_results
        ),
    }


def most_improved(results: list[Result], n: int = TOP) -> list[Result]:
    """Largest index gains against the previous published evaluation, then rank gains."""
    improved = [r for r in results if r.public_index_change is not None]  # type: ignore[attr-defined]  # annotated by selectors.public.public_results
    improved.sort(
        key=lambda r: (
            -r.public_index_change,  # type: ignore[attr-defined]  # annotated by selectors.public.public_results
            -(r.public_rank_change or 0),  # type: ignore[attr-defined]  # annotated by selectors.public.public_results
            r.national_rank,
        )
    )
    return [r for r in improved if r.public_index_change > 0][:n]  # type: ignore[attr-defined]  # annotated by selectors.public.public_results


@public_page
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    round_ = public_reads.latest_public_round()
    context: dict[str, object] = {"round": round_}
    if round_ is not None:
        bands = list(round_.instrument.rating_bands.all())
        styles = band_styles(bands)
        results = round_results_for_map(round_)
        figures = headline(results)
        context.update(
            {
                "public_rounds": list(public_reads.public_rounds().order_by("-year", "-phase")),
                "styles": styles,
                "figures": figures,
                "band_counts": [
                    (s, cast(Counter, figures["bands"]).get(s.name, 0)) for s in styles.values()
                ]
                if results
                else [],
                "top": results[:TOP],
                "improved": most_improved(results),
                "map": build_map(round_, results, styles, chart_id="home-map"),
            }
        )
    return render_public(request, "public/home.html", context)
