"""The workspace dashboard and the region's list of evaluation rounds."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from evaluations import access
from evaluations.models import Dimension, FieldReview, Participation, ProgrammeStatus, RoundStatus
from evaluations.models.programmes import ProgrammeQuerySet
from evaluations.services.self_assessment import with_progress
from evaluations.views.city._common import Workspace, render_ws, workspace_view


def _participations(request: HttpRequest, ws: Workspace) -> QuerySet[Participation]:
    return with_progress(
        access.city_participations(request.user)
        .filter(region=ws.region)
        .select_related("round__instrument")
        .annotate(has_field_review=Exists(FieldReview.objects.filter(participation=OuterRef("pk"))))
        .order_by("-round__year", "-round__phase")
    )


def _register_by_dimension(request: HttpRequest, ws: Workspace) -> list[dict]:
    """Active programmes per dimension: total, running, quick wins (one query + dimensions)."""
    counts = {
        row["dimension"]: row
        for row in cast(ProgrammeQuerySet, access.region_programmes(request.user, ws.region))
        .active()
        .order_by()
        .values("dimension")
        .annotate(
            total=Count("pk"),
            running=Count("pk", filter=Q(status=ProgrammeStatus.RUNNING)),
            completed=Count("pk", filter=Q(status=ProgrammeStatus.COMPLETED)),
            quick_wins=Count("pk", filter=Q(is_quick_win=True)),
        )
    }
    rows = []
    for dimension in Dimension.objects.all():
        row: Any = counts.get(dimension.pk, {})
        total = row.get("total", 0)
        running = row.get("running", 0)
        rows.append(
            {
                "dimension": dimension,
                "total": total,
                "running": running,
                "completed": row.get("completed", 0),
                "quick_wins": row.get("quick_wins", 0),
                "running_pct": round(100 * running / total) if total else None,
            }
        )
    return rows


@workspace_view()
def dashboard(request: HttpRequest, ws: Workspace) -> HttpResponse:
    today = timezone.localdate()
    participations = list(_participations(request, ws))
    # Rounds the region can act on: open for self-assessment, or returned for revision.
    open_rounds = [
        p
        for p in participations
        if p.round.status == RoundStatus.SELF_ASSESSMENT or not p.is_locked_for_region
    ]
    for p in open_rounds:
        p.days_left = (p.round.self_assessment_closes - today).days  # type: ignore[attr-defined]  # for the template
    next_review = (
        access.city_field_reviews(request.user)
        .filter(participation__region=ws.region, end_date__gte=today)
        .order_by("start_date")
        .first()
    )
    latest_result = (
        access.city_results(request.user, ws.region)
        .order_by("-participation__round__year", "-participation__round__phase")
        .first()
    )
    return render_ws(
        request,
        ws,
        "evaluations/city/dashboard.html",
        {
            "open_rounds": open_rounds,
            "other_rounds": [p for p in participations if p not in open_rounds],
            "next_review": next_review,
            "latest_result": latest_result,
            "register": _register_by_dimension(request, ws),
        },
        nav="dashboard",
    )


@workspace_view()
def rounds(request: HttpRequest, ws: Workspace) -> HttpResponse:
    """Every round the region takes part in, with its self-assessment state."""
    return render_ws(
        request,
        ws,
        "evaluations/city/rounds.html",
        {"participations": list(_participations(request, ws)), "today": timezone.localdate()},
        nav="rounds",
    )
