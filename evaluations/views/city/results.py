"""The region's published results: history, and per-indicator verified levels."""

from __future__ import annotations

from django.db.models import F
from django.http import HttpRequest, HttpResponse

from evaluations import access
from evaluations.models import ComponentCode, Dimension, SelfAssessmentAnswer, VerifiedScore
from evaluations.views.city._common import Workspace, render_ws, workspace_view


def _dimension_names() -> dict[str, str]:
    return {d.code: d.name_i18n for d in Dimension.objects.all()}


@workspace_view()
def result_list(request: HttpRequest, ws: Workspace) -> HttpResponse:
    """The region's history: one column per published round (oldest first), one row per
    figure, so that the trend of each dimension and component reads across."""
    results = list(
        access.city_results(request.user, ws.region).order_by(
            "participation__round__year", "participation__round__phase"
        )
    )
    names = _dimension_names()
    score_rows = [
        (names.get(code, code), [r.dimension_scores()[code] for r in results]) for code in names
    ] + [
        (label, [r.component_scores()[code] for r in results])
        for code, label in ComponentCode.choices
    ]
    return render_ws(
        request,
        ws,
        "evaluations/city/results/list.html",
        {"results": results, "score_rows": score_rows, "dimension_count": len(names)},
        nav="results",
    )


@workspace_view()
def result_detail(request: HttpRequest, ws: Workspace, round_slug: str) -> HttpResponse:
    """Scores and, the round being published (``city_results`` checks), verified levels."""
    result = access.get_city_result_or_404(request.user, ws.region, round_slug)
    participation = result.participation
    verified = list(
        VerifiedScore.objects.filter(participation=participation)
        .select_related("indicator__dimension")
        # Cross-dimension indicators last on every database (NULL order differs).
        .order_by(
            F("indicator__dimension__order").asc(nulls_last=True),
            "indicator__order",
            "indicator__code",
        )
    )
    claimed = dict(
        SelfAssessmentAnswer.objects.filter(participation=participation).values_list(
            "indicator_id", "claimed_level"
        )
    )
    rows = [(v, claimed.get(v.indicator_id)) for v in verified]
    names = _dimension_names()
    return render_ws(
        request,
        ws,
        "evaluations/city/results/detail.html",
        {
            "result": result,
            "round": participation.round,
            "rows": rows,
            "dimension_scores": [
                (names.get(code, code), value) for code, value in result.dimension_scores().items()
            ],
            "component_scores": [
                (label, result.component_scores()[code]) for code, label in ComponentCode.choices
            ],
        },
        nav="results",
    )
