"""A reviewer's pages: my assignments, the participation under review, scoring, the lead's
panel view. Every view starts from ``access`` (panel seat or manager), so a reviewer off
the panel and every city operator get a 403 or 404, whatever URL or form data they send."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from evaluations import access
from evaluations.forms.reviewer import CommentForm, ScoreForm, VerifiedLevelForm
from evaluations.models import (
    ComponentCode,
    Evidence,
    Indicator,
    Participation,
    ReviewerAssignment,
    RoundStatus,
    Score,
    SelfAssessmentAnswer,
    SelfAssessmentStatus,
    VerifiedScore,
)
from evaluations.roles import is_manager
from evaluations.selectors import reviewer as selectors
from evaluations.services import evidence as evidence_service
from evaluations.services import review
from evaluations.services.evidence import evidence_response
from evaluations.services.field_reviews import can_edit_field_review
from evaluations.views import evidence_pages as evidence_pages_view
from evaluations.views.reviewer._common import is_htmx, report_errors, reviewer_required
from smartcity.http import AuthenticatedHttpRequest
from smartcity.security import download_rate_limit, preview_rate_limit

if TYPE_CHECKING:
    pass


@reviewer_required
@require_safe
def assignments(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The reviewer's queue: each participation on their panels in the rounds still under
    way, with their progress; closed rounds as a list of links (``?round=<slug>``)."""
    user = request.user
    chosen = request.GET.get("round", "").strip()[:100]
    province = request.GET.get("province", "").strip()[:100]
    state = request.GET.get("state", "")
    queue = selectors.assignment_queue(user, round_slug=chosen, province=province, state=state)
    return render(
        request,
        "evaluations/reviewer/assignments.html",
        {
            "participations": queue.participations,
            "closed_rounds": queue.closed_rounds,
            "chosen": chosen,
            "filters": {
                "rounds": queue.rounds,
                "provinces": queue.provinces,
                "states": [(k, label) for k, (label, _q) in selectors.QUEUE_STATES.items()],
                "province": province,
                "state": state if state in selectors.QUEUE_STATES else "",
                "active": bool(province or state in selectors.QUEUE_STATES),
            },
            "is_manager": is_manager(user),
        },
    )


# --- The participation under review -----------------------------------------------------------


@dataclass
class Row:
    """One indicator of the participation page, with everything shown beside it."""

    indicator: Indicator
    answer: SelfAssessmentAnswer | None = None
    score: Score | None = None
    verified: VerifiedScore | None = None
    form: ScoreForm | None = None
    saved: bool = False
    panel_levels: list[tuple[ReviewerAssignment, Score | None]] = field(default_factory=list)
    verify_form: VerifiedLevelForm | None = None
    suggested: bool = False

    @property
    def anchor(self) -> str:
        return f"ind-{self.indicator.pk}"

    @property
    def descriptor_rows(self) -> list[dict[str, object]]:
        """The six level descriptors with the marks each carries (the region's claim, my
        level, the verified level), as plain dicts: resolving ``row.answer.claimed_level``
        and its kin in the template for 43 × 6 levels cost a large share of the page."""
        claimed = self.answer.claimed_level if self.answer else None
        mine = self.score.level if self.score else None
        verified = self.verified.level if self.verified else None
        return [
            {
                "level": level,
                "text": text,
                "claimed": level == claimed,
                "mine": level == mine,
                "verified": level == verified,
            }
            for level, text in self.indicator.descriptors
        ]

    @property
    def spread(self) -> int | None:
        levels = [s.level for _, s in self.panel_levels if s is not None]
        return max(levels) - min(levels) if levels else None

    @property
    def claim_gap(self) -> int | None:
        """The region's claim minus the level checked against it: the verified level, else
        the panel's lowest level so far (None while either is missing). Positive: the region
        claimed more than the reviewers found."""
        claimed = self.answer.claimed_level if self.answer else None
        if claimed is None:
            return None
        if self.verified is not None:
            return claimed - self.verified.level
        levels = [s.level for _, s in self.panel_levels if s is not None]
        return claimed - min(levels) if levels else None


def _group(rows: list[Row], by: str) -> list[tuple[str, str, list[Row]]]:
    """Sections of the page: (anchor, heading, rows) per component or per dimension."""
    if by == "dimension":
        sections: dict[Any, list[Row]] = {}
        for row in rows:
            sections.setdefault(row.indicator.dimension, []).append(row)
        ordered = sorted(
            sections.items(), key=lambda kv: (kv[0] is None, kv[0].order if kv[0] else 0)
        )
        return [
            (f"dim-{d.code}" if d else "dim-none", d.name_i18n if d else _("Tanpa dimensi"), r)
            for d, r in ordered
        ]
    return [
        (f"comp-{code}", str(label), [r for r in rows if r.indicator.component == code])
        for code, label in ComponentCode.choices
        if any(r.indicator.component == code for r in rows)
    ]


def _can_score(seat: ReviewerAssignment | None, participation: Participation) -> bool:
    return (
        seat is not None
        and seat.completed_at is None
        and participation.round.accepts_scores
        and not participation.excluded
    )


def _score_form(row: Row, participation: Participation, data: Any = None) -> ScoreForm:
    initial: dict[str, Any] = {"version": row.score.version if row.score else 0}
    if row.score:
        initial.update(level=row.score.level, comment=row.score.comment)
    return ScoreForm(data=data, initial=initial, prefix=f"i{row.indicator.pk}")


def _participation_context(
    request: AuthenticatedHttpRequest,
    participation: Participation,
    *,
    bound: tuple[int, ScoreForm] | None = None,
) -> dict[str, Any]:
    user = request.user
    seat = access.panel_assignment(user, participation)
    indicators = selectors.indicators_of(participation)
    answers = selectors.answers_by_indicator(participation, user)
    scores = selectors.scores_by_indicator(participation, user)
    verified = selectors.verified_by_indicator(participation)
    can_score = _can_score(seat, participation)
    rows = []
    for ind in indicators:
        row = Row(
            indicator=ind,
            answer=answers.get(ind.pk),
            score=scores.get(ind.pk),
            verified=verified.get(ind.pk),
        )
        if can_score:
            if bound and bound[0] == ind.pk:
                row.form = bound[1]
            else:
                row.form = _score_form(row, participation)
        rows.append(row)
    group_by = "dimension" if request.GET.get("group") == "dimension" else "component"
    is_lead = is_manager(user) or bool(seat and seat.is_lead)
    return {
        "participation": participation,
        "round": participation.round,
        "region": participation.region,
        "seat": seat,
        "can_score": can_score,
        "is_lead": is_lead,
        "sections": _group(rows, group_by),
        "group_by": group_by,
        "scored": sum(1 for r in rows if r.score),
        "total": len(rows),
        "verified_count": len(verified),
        "can_return": _can_return(participation),
        "return_form": CommentForm(),
        "can_edit_field_review": can_edit_field_review(user, participation),
    }


def _can_return(participation: Participation) -> bool:
    return participation.self_assessment_status == SelfAssessmentStatus.SUBMITTED and (
        participation.round.status in (RoundStatus.SELF_ASSESSMENT, RoundStatus.REVIEW)
    )


@reviewer_required
@require_safe
def participation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The city's claims, narrative and evidence beside the level descriptors, with the
    reviewer's own scoring form per indicator."""
    participation = access.get_reviewer_participation_or_404(request.user, pk)
    return render(
        request,
        "evaluations/reviewer/participation.html",
        _participation_context(request, participation),
    )


@reviewer_required
@require_POST
def score_save(request: AuthenticatedHttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    """Save one indicator's draft score. With htmx, answers the indicator's card only."""
    participation = access.get_reviewer_participation_or_404(request.user, pk)
    indicator = selectors.get_indicator_or_404(participation, indicator_pk)
    seat = access.panel_assignment(request.user, participation)
    if seat is None:
        raise PermissionDenied  # a manager may read the page, but scores only from a seat
    row = Row(
        indicator=indicator,
        answer=selectors.answers_by_indicator(participation, request.user).get(indicator.pk),
        score=selectors.score_of(participation, indicator, request.user),
        verified=selectors.verified_of(participation, indicator),
    )
    form = _score_form(row, participation, data=request.POST)
    if form.is_valid():
        try:
            row.score = review.score_save(
                participation=participation,
                indicator=indicator,
                reviewer=request.user,
                level=form.cleaned_data["level"],
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            if not is_htmx(request):
                messages.success(request, _("Nilai %(code)s tersimpan.") % {"code": indicator.code})
                return redirect(f"{participation_url(participation)}#ind-{indicator.pk}")
            row.saved = True
            form = _score_form(row, participation)
    row.form = form
    if is_htmx(request):
        template = "evaluations/reviewer/participation.html"
        card = render_to_string(
            f"{template}#indicator",
            {"row": row, "participation": participation, "can_score": True},
            request,
        )
        # The page's progress counter, swapped out of band.
        scored, total = selectors.scoring_progress(participation, request.user)
        progress = render_to_string(
            f"{template}#progress",
            {"scored": scored, "total": total, "oob": True},
            request,
        )
        return HttpResponse(card + progress)
    context = _participation_context(request, participation, bound=(indicator.pk, form))
    return render(request, "evaluations/reviewer/participation.html", context, status=400)


def participation_url(participation: Participation) -> str:
    return reverse("reviewer:participation", kwargs={"pk": participation.pk})


@reviewer_required
@require_POST
def review_complete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    participation = access.get_reviewer_participation_or_404(request.user, pk)
    try:
        review.review_complete(participation=participation, reviewer=request.user)
    except ValidationError as exc:
        report_errors(request, exc)
    else:
        messages.success(request, _("Penilaian Anda ditandai selesai."))
    return redirect(participation_url(participation))


@reviewer_required
@require_POST
def self_assessment_return(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    participation = access.get_reviewer_participation_or_404(request.user, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan apa yang perlu diperbaiki."))
        return redirect(participation_url(participation))
    try:
        review.self_assessment_return(
            participation=participation, by=request.user, comment=form.cleaned_data["comment"]
        )
    except ValidationError as exc:
        report_errors(request, exc)
    else:
        messages.success(request, _("Penilaian mandiri dikembalikan ke wilayah untuk perbaikan."))
    return redirect(participation_url(participation))


@download_rate_limit
@reviewer_required
@require_safe
def evidence_download(
    request: AuthenticatedHttpRequest, pk: int, evidence_pk: int
) -> HttpResponseBase:
    """An evidence file of the region under review (links open directly)."""
    participation = access.get_reviewer_participation_or_404(request.user, pk)
    evidence: Evidence = access.get_reviewer_evidence_or_404(
        request.user, participation, evidence_pk
    )
    if not evidence.file:
        raise Http404
    # ?preview=1: the same file, same rights, shown inline in the sandboxed preview frame.
    if request.GET.get("preview") and evidence_service.can_preview(evidence):
        return evidence_service.evidence_preview_response(evidence)
    return evidence_response(evidence)


# --- The lead's panel view -------------------------------------------------------------------


def _lead_participation(request: HttpRequest, pk: int) -> Participation:
    participation = access.get_reviewer_participation_or_404(request.user, pk)
    access.require_lead(request.user, participation)
    return participation


def _verify_form(row: Row, data: Any = None) -> VerifiedLevelForm:
    initial: dict[str, Any] = {"version": row.verified.version if row.verified else 0}
    if row.verified:
        initial.update(level=row.verified.level, comment=row.verified.comment)
    else:
        agreed = {s.level for _, s in row.panel_levels if s is not None}
        if len(agreed) == 1:
            initial["level"] = agreed.pop()  # a suggestion: the panel agrees
            row.suggested = True
    return VerifiedLevelForm(data=data, initial=initial, prefix=f"v{row.indicator.pk}")


def _panel_rows(participation: Participation) -> tuple[list[ReviewerAssignment], list[Row]]:
    seats = selectors.panel_seats(participation)
    indicators = selectors.indicators_of(participation)
    claimed = selectors.claims_by_indicator(participation)
    scores = selectors.panel_scores(participation, seats)
    verified = selectors.verified_by_indicator(participation)
    rows = []
    for ind in indicators:
        row = Row(indicator=ind, answer=claimed.get(ind.pk), verified=verified.get(ind.pk))
        row.panel_levels = [(seat, scores.get((ind.pk, seat.reviewer_id))) for seat in seats]
        rows.append(row)
    return seats, rows


def _panel_counts(rows: list[Row]) -> dict[str, int]:
    """The counts in the panel page's heading (the full page and its 400 re-render)."""
    return {
        "verified_count": sum(1 for r in rows if r.verified),
        "disagreements": sum(1 for r in rows if (r.spread or 0) > 0),
    }


@reviewer_required
@require_safe
def panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The panel's levels side by side, their spread, and the verified level per indicator."""
    participation = _lead_participation(request, pk)
    seats, rows = _panel_rows(participation)
    editable = participation.round.accepts_scores and not participation.excluded
    if editable:
        for row in rows:
            row.verify_form = _verify_form(row)
    return render(
        request,
        "evaluations/reviewer/panel.html",
        {
            "participation": participation,
            "round": participation.round,
            "region": participation.region,
            "seats": seats,
            "pending_seats": [s for s in seats if s.completed_at is None],
            "rows": rows,
            "editable": editable,
            **_panel_counts(rows),
        },
    )


@reviewer_required
@require_POST
def verify(request: AuthenticatedHttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    participation = _lead_participation(request, pk)
    indicator = selectors.get_indicator_or_404(participation, indicator_pk)
    seats, rows = _panel_rows(participation)
    row = next(r for r in rows if r.indicator.pk == indicator.pk)
    form = _verify_form(row, data=request.POST)
    if form.is_valid():
        try:
            row.verified = review.verified_level_set(
                participation=participation,
                indicator=indicator,
                level=form.cleaned_data["level"],
                comment=form.cleaned_data["comment"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            if not is_htmx(request):
                messages.success(
                    request, _("Level terverifikasi %(code)s tersimpan.") % {"code": indicator.code}
                )
                return redirect(
                    reverse("reviewer:panel", kwargs={"pk": participation.pk})
                    + f"#ind-{indicator.pk}"
                )
            row.saved = True
            form = _verify_form(row)
    row.verify_form = form
    context = {
        "participation": participation,
        "seats": seats,
        "pending_seats": [s for s in seats if s.completed_at is None],
        "rows": rows,
        "editable": True,
    }
    if is_htmx(request):
        return render(
            request, "evaluations/reviewer/panel.html#verify-row", {**context, "row": row}
        )
    for other in rows:
        if other is not row:
            other.verify_form = _verify_form(other)
    context.update(round=participation.round, region=participation.region, **_panel_counts(rows))
    return render(request, "evaluations/reviewer/panel.html", context, status=400)


@reviewer_required
@require_POST
def verify_agreed(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    participation = _lead_participation(request, pk)
    without = [int(v) for v in request.POST.getlist("without") if v.isdigit()]
    try:
        count = review.verified_levels_from_panel(
            participation=participation, by=request.user, without=without
        )
    except ValidationError as exc:
        report_errors(request, exc)
    else:
        messages.success(
            request,
            _("%(count)s level terverifikasi diambil dari kesepakatan panel.") % {"count": count},
        )
    return redirect("reviewer:panel", pk=participation.pk)


@reviewer_required
@require_POST
def review_reopen(request: AuthenticatedHttpRequest, pk: int, seat_pk: int) -> HttpResponse:
    participation = _lead_participation(request, pk)
    seat = get_object_or_404(participation.panel.select_related("reviewer"), pk=seat_pk)
    try:
        review.review_reopen(participation=participation, reviewer=seat.reviewer, by=request.user)
    except ValidationError as exc:
        report_errors(request, exc)
    else:
        messages.success(
            request,
            _("Penilaian %(name)s dibuka kembali.")
            % {"name": seat.reviewer.get_full_name() or seat.reviewer.username},
        )
    return redirect("reviewer:panel", pk=participation.pk)


__all__ = [
    "assignments",
    "evidence_download",
    "panel",
    "participation_detail",
    "review_complete",
    "review_reopen",
    "score_save",
    "self_assessment_return",
    "verify",
    "verify_agreed",
]


# --- PDF evidence as page images ---------------------------------------------------------


def _pdf_evidence(request: HttpRequest, pk: int, evidence_pk: int) -> tuple[int, Evidence]:
    """The evidence through the same seat and queryset as its download."""
    participation = access.get_reviewer_participation_or_404(request.user, pk)
    evidence = access.get_reviewer_evidence_or_404(request.user, participation, evidence_pk)
    return participation.pk, evidence


@reviewer_required
@require_safe
def evidence_pages(request: AuthenticatedHttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    """The first pages of a PDF evidence file as images, for the preview beside the
    indicator (rendered by a job on the first request; the panel polls until ready)."""
    participation_pk, evidence = _pdf_evidence(request, pk, evidence_pk)
    return evidence_pages_view.pages_panel(
        request,
        evidence=evidence,
        pages_url=reverse("reviewer:evidence_pages", args=[participation_pk, evidence.pk]),
        page_url=lambda n: reverse(
            "reviewer:evidence_page", args=[participation_pk, evidence.pk, n]
        ),
        download_url=reverse("reviewer:evidence", args=[participation_pk, evidence.pk]),
        layout="evaluations/reviewer/layout.html",
    )


@preview_rate_limit
@reviewer_required
@require_safe
def evidence_page(
    request: AuthenticatedHttpRequest, pk: int, evidence_pk: int, number: int
) -> HttpResponseBase:
    """One page image of a PDF evidence file's preview, to a reader of the evidence only."""
    _, evidence = _pdf_evidence(request, pk, evidence_pk)
    return evidence_pages_view.page_image(evidence, number)
