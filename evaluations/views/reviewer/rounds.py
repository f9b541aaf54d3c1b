"""Round-manager pages: rounds, their lifecycle, participants and panels, results,
bulk scores, history and result letters. Managers only (403 for everyone else)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Prefetch, Q
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from evaluations import access, opendata
from evaluations.documents.rendering import render_letter_preview
from evaluations.forms.reviewer import (
    AddParticipantsForm,
    BulkPanelForm,
    EarlyReviewForm,
    PanelAssignForm,
    PublishForm,
    ReasonForm,
    ScoresUploadForm,
    WithdrawForm,
)
from evaluations.jobs import UPLOAD_GONE
from evaluations.models import (
    ImportKind,
    ImportUpload,
    Indicator,
    Participation,
    Result,
    ReviewerAssignment,
    Round,
    RoundStatus,
    VerifiedScore,
)
from evaluations.models.scoring import SCORES_LOCKED
from evaluations.selectors.reviewer import subquery_count as _subquery_count
from evaluations.services import panels as panel_svc
from evaluations.services import rounds as svc
from evaluations.services import scores_io
from evaluations.services.imports import (
    import_upload_apply,
    import_upload_discard,
    import_upload_keep,
)
from evaluations.views.reviewer._common import (
    attachment,
    manager_required,
    report_errors,
)
from evaluations.views.reviewer.history import round_history
from smartcity.http import AuthenticatedHttpRequest
from smartcity.jobs.models import Job, JobState
from smartcity.jobs.services import job_start
from smartcity.security import download_rate_limit

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@manager_required
@require_safe
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = (
        access.manager_rounds(request.user)
        .annotate(
            participant_count=Count("participations", distinct=True),
            excluded_count=Count(
                "participations", filter=Q(participations__excluded=True), distinct=True
            ),
        )
        .order_by("-year", "-phase")
    )
    return render(request, "evaluations/reviewer/rounds/list.html", {"rounds": rounds})


# What each status lets a manager do next: (action, label, button class, needs a form).
NEXT_STEPS: dict[str, list[tuple[str, str]]] = {
    RoundStatus.DRAFT: [("open", "primary")],
    RoundStatus.SELF_ASSESSMENT: [("review", "primary")],
    RoundStatus.REVIEW: [("finalise", "primary")],
    RoundStatus.FINALISED: [("publish", "success"), ("reopen", "outline-danger")],
    RoundStatus.PUBLISHED: [("reopen", "outline-danger")],
}


def _steps(round_: Round) -> list[tuple[str, StrOrPromise, str]]:
    """The lifecycle as (status, label, done/current/todo), for the progress line."""
    order = RoundStatus.values
    current = order.index(round_.status)
    return [
        (value, label, "done" if i < current else "current" if i == current else "todo")
        for i, (value, label) in enumerate(RoundStatus.choices)
    ]


def _participants(round_: Round) -> list[Participation]:
    """Participants with region, panel, verified count, field review and result (4 queries)."""
    return list(
        Participation.objects.within(round=round_)
        .select_related("region__province", "result", "field_review")
        .prefetch_related(
            Prefetch(
                "panel",
                queryset=ReviewerAssignment.objects.select_related("reviewer").order_by(
                    "-is_lead", "reviewer__username"
                ),
            )
        )
        .annotate(
            verified=_subquery_count(
                VerifiedScore.objects.filter(participation=OuterRef("pk")), "participation"
            )
        )
        .order_by("region__code")
    )


def _progress(participants: list[Participation], indicator_total: int) -> dict[str, Any]:
    """What is scored: active participants with a verified level for every indicator, and
    the others, each with what stops it (no panel, or levels still to verify)."""
    active = [p for p in participants if not p.excluded]
    # ``verified``: annotated by _participants' queryset.
    scored = [p for p in active if indicator_total and p.verified >= indicator_total]  # type: ignore[attr-defined]
    blockers = [
        {
            "participation": p,
            "no_panel": not p.panel.all(),
            "missing": max(indicator_total - p.verified, 0),  # type: ignore[attr-defined]
        }
        for p in active
        if p not in scored
    ]
    return {"active_count": len(active), "scored_count": len(scored), "blockers": blockers}


@manager_required
@require_safe
def round_detail(request: HttpRequest, slug: str) -> HttpResponse:
    round_ = access.get_manager_round_or_404(request.user, slug)
    participants = _participants(round_)
    indicator_total = Indicator.objects.filter(instrument_id=round_.instrument_id).count()
    return render(
        request,
        "evaluations/reviewer/rounds/detail.html",
        {
            "round": round_,
            "participants": participants,
            "indicator_total": indicator_total,
            **_progress(participants, indicator_total),
            "next_steps": [a for a, _ in NEXT_STEPS.get(round_.status, [])]
            + (["withdraw"] if round_.is_public else []),
            "steps": _steps(round_),
            "events": round_.events.select_related("by").order_by("-at", "-pk")[:8],
            "publications": round_.publications.select_related("published_by"),
            "add_form": AddParticipantsForm() if round_.status == RoundStatus.DRAFT else None,
            "publish_form": PublishForm(),
            "reopen_form": ReasonForm(),
            "withdraw_form": WithdrawForm(),
            "early_form": EarlyReviewForm(),
            "before_deadline": timezone.localdate() <= round_.self_assessment_closes,
        },
    )


def _step(action: str) -> Callable[..., Any]:
    return {
        "open": lambda r, u, data: svc.round_open_self_assessment(round=r, by=u),
        "review": lambda r, u, data: svc.round_start_review(
            round=r, by=u, reason=data.get("reason", "")
        ),
        "finalise": lambda r, u, data: svc.round_finalise(round=r, by=u),
        "publish": lambda r, u, data: svc.round_publish(round=r, by=u, note=data.get("note", "")),
        "reopen": lambda r, u, data: svc.round_reopen(round=r, by=u, reason=data.get("reason", "")),
        "withdraw": lambda r, u, data: svc.round_withdraw(
            round=r, by=u, reason=data.get("reason", "")
        ),
    }[action]


STEP_DONE = {
    "open": gettext_noop("Penilaian mandiri dibuka."),
    "review": gettext_noop("Tahap penilaian dimulai; penilaian mandiri dikunci."),
    "finalise": gettext_noop("Putaran difinalisasi dan hasil dihitung."),
    "publish": gettext_noop("Hasil dipublikasikan."),
    "reopen": gettext_noop("Putaran dibuka kembali untuk penilaian."),
    "withdraw": gettext_noop("Hasil putaran ditarik dari publik; alasannya tampil di halamannya."),
}


# The text a step takes (reason, note) goes through its form: bounded, like every input.
STEP_FORMS: dict[str, type[Form]] = {
    "review": EarlyReviewForm,
    "publish": PublishForm,
    "reopen": ReasonForm,
    "withdraw": WithdrawForm,
}


def _form_errors(request: HttpRequest, form: Form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)  # type: ignore[arg-type]  # ErrorList yields str


@manager_required
@require_POST
def round_step(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    """One lifecycle button: open, review, finalise, publish, reopen or withdraw."""
    round_ = access.get_manager_round_or_404(request.user, slug)
    data: dict[str, Any] = {}
    form_class = STEP_FORMS.get(action)
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            _form_errors(request, form)
            return redirect("reviewer:round", slug=round_.slug)
        data = form.cleaned_data
    try:
        _step(action)(round_, request.user, data)
    except ValidationError as exc:
        report_errors(request, exc)
    else:
        messages.success(request, _(STEP_DONE[action]))
    return redirect("reviewer:round", slug=round_.slug)


@manager_required
@require_POST
def participants_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    round_ = access.get_manager_round_or_404(request.user, slug)
    form = AddParticipantsForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)  # type: ignore[arg-type]  # ErrorList yields str
        return redirect("reviewer:round", slug=round_.slug)
    regions = form.selected_regions()
    try:
        added = svc.round_add_participants(round=round_, regions=regions, by=request.user)
    except ValidationError as exc:
        report_errors(request, exc)
    else:
        skipped = len(regions) - len(added)
        messages.success(
            request,
            _("%(added)s peserta ditambahkan, %(skipped)s sudah terdaftar.")
            % {"added": len(added), "skipped": skipped},
        )
    return redirect("reviewer:round", slug=round_.slug)


@manager_required
def panels_bulk(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Top up many panels at once (``services.panels.panel_assign_bulk``), with each
    reviewer's current load in this round beside their name."""
    round_ = access.get_manager_round_or_404(request.user, slug)
    form = BulkPanelForm(request.POST or None, round=round_)
    if request.method == "POST" and form.is_valid():
        chosen = (
            Participation.objects.within(round=round_)
            .filter(excluded=False)
            .select_related("region")
        )
        if form.cleaned_data["province"]:
            chosen = chosen.filter(region__province=form.cleaned_data["province"])
        if form.cleaned_data["cohort"]:
            chosen = chosen.filter(region__cohort_memberships__cohort=form.cleaned_data["cohort"])
        try:
            outcome = panel_svc.panel_assign_bulk(
                round=round_,
                participations=list(chosen),
                reviewers=list(form.cleaned_data["reviewers"]),
                size=form.cleaned_data["size"],
                by=request.user,
            )
        except ValidationError as exc:
            report_errors(request, exc)
        else:
            messages.success(
                request,
                _("%(seated)s kursi panel diisi pada %(panels)s peserta.")
                % {"seated": outcome.seated, "panels": outcome.panels},
            )
            for reviewer, region in outcome.conflicts:
                messages.info(
                    request,
                    _("%(reviewer)s tidak ditempatkan di panel %(region)s: anggota tim wilayah.")
                    % {"reviewer": reviewer, "region": region},
                )
            if outcome.short:
                messages.warning(
                    request,
                    _("Panel masih kurang dari ukuran yang diminta: %(regions)s.")
                    % {"regions": ", ".join(outcome.short)},
                )
            return redirect("reviewer:round", slug=round_.slug)
    load = dict(
        ReviewerAssignment.objects.filter(participation__round=round_)
        .values("reviewer_id")
        .annotate(n=Count("pk"))
        .values_list("reviewer_id", "n")
    )
    reviewers = [(choice, load.get(choice.data["value"].value, 0)) for choice in form["reviewers"]]
    return render(
        request,
        "evaluations/reviewer/rounds/panels_bulk.html",
        {"round": round_, "form": form, "reviewers": reviewers},
    )


@manager_required
def participant(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """One participant: its panel (assign, lead, remove), exclusion, progress."""
    round_ = access.get_manager_round_or_404(request.user, slug)
    participation = access.get_manager_participation_or_404(request.user, round_, pk)
    form = PanelAssignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.panel_assign(
                participation=participation,
                reviewer=form.cleaned_data["reviewer"],
                lead=form.cleaned_data["lead"],
                by=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("reviewer", message)
        else:
            messages.success(request, _("Panel penilai diperbarui."))
            return redirect("reviewer:participant", slug=round_.slug, pk=participation.pk)
    return render(
        request,
        "evaluations/reviewer/rounds/participant.html",
        {
            "round": round_,
            "participation": participation,
            "seats": participation.panel.select_related("reviewer").order_by(
                "-is_lead", "reviewer__username"
            ),
            "form": form,
            "exclude_form": ReasonForm(),
            "panel_editable": not round_.is_closed and not participation.excluded,
        },
        status=400 if form.errors else 200,
    )


@manager_required
@require_POST
def participant_action(
    request: AuthenticatedHttpRequest, slug: str, pk: int, action: str
) -> HttpResponse:
    """Exclude (with reason), include again, or remove (draft only) a participant."""
    round_ = access.get_manager_round_or_404(request.user, slug)
    participation = access.get_manager_participation_or_404(request.user, round_, pk)
    try:
        if action == "exclude":
            form = ReasonForm(request.POST)
            if not form.is_valid():
                _form_errors(request, form)
                return redirect("reviewer:participant", slug=round_.slug, pk=participation.pk)
            svc.participation_exclude(
                participation=participation, by=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Peserta dikecualikan dari penilaian."))
        elif action == "include":
            svc.participation_include(participation=participation, by=request.user)
            messages.success(request, _("Peserta diikutkan kembali."))
        else:
            svc.round_remove_participant(participation=participation, by=request.user)
            messages.success(request, _("Peserta dihapus dari putaran."))
            return redirect("reviewer:round", slug=round_.slug)
    except ValidationError as exc:
        report_errors(request, exc)
    return redirect("reviewer:participant", slug=round_.slug, pk=participation.pk)


@manager_required
@require_POST
def panel_remove(
    request: AuthenticatedHttpRequest, slug: str, pk: int, seat_pk: int
) -> HttpResponse:
    round_ = access.get_manager_round_or_404(request.user, slug)
    participation = access.get_manager_participation_or_404(request.user, round_, pk)
    seat = get_object_or_404(participation.panel.select_related("participation__round"), pk=seat_pk)
    try:
        svc.panel_remove(assignment=seat, by=request.user)
    except ValidationError as exc:
        report_errors(request, exc)
    else:
        messages.success(request, _("Penilai dikeluarkan dari panel."))
    return redirect("reviewer:participant", slug=round_.slug, pk=participation.pk)


# --- Results ---------------------------------------------------------------------------------


def _results(round_: Round) -> Any:
    return (
        Result.objects.within(participation__round=round_)
        .with_region()
        .with_band_names()
        .order_by("national_rank", "participation__region__code")
    )


@manager_required
@require_safe
def results(request: HttpRequest, slug: str) -> HttpResponse:
    round_ = access.get_manager_round_or_404(request.user, slug)
    return render(
        request,
        "evaluations/reviewer/rounds/results.html",
        {
            "round": round_,
            "results": _results(round_),
            "weights": round_.instrument.component_weights(),
            "stale": not round_.is_closed,
        },
    )


@download_rate_limit
@manager_required
@require_safe
def results_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The round's results (also before publication), in the open-data columns."""
    round_ = access.get_manager_round_or_404(request.user, slug)
    rows = opendata.result_rows(_results(round_))
    return attachment(
        opendata.render_file(rows, fmt), f"hasil-{round_.slug}.{fmt}", opendata.FORMATS[fmt]
    )


@download_rate_limit
@manager_required
@require_safe
def result_letter(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A preview of the region's result letter (PDF): current figures, no number, marked
    as a preview. Numbered, signed letters are issued on the round's documents page."""
    round_ = access.get_manager_round_or_404(request.user, slug)
    result = access.get_round_result_or_404(request.user, round_, pk)
    response = HttpResponse(render_letter_preview(result), content_type="application/pdf")
    filename = f"pratinjau-surat-hasil-{round_.slug}-{result.participation.region.slug}.pdf"
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


# --- Bulk scores -----------------------------------------------------------------------------


@download_rate_limit
@manager_required
@require_http_methods(["GET", "HEAD", "POST"])
def scores_template(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The score template is built by a background job (a national round has 30,000 rows):
    a POST starts it and leads to its progress page, which offers the file when it is done."""
    round_ = access.get_manager_round_or_404(request.user, slug)
    if request.method == "POST":
        job = job_start(
            kind="scores.template",
            owner=request.user,
            title=_("Templat nilai %(round)s (%(fmt)s)")
            % {"round": round_.name, "fmt": fmt.upper()},
            params={"round_id": round_.pk, "fmt": fmt},
        )
        return redirect(job)
    return render(
        request, "evaluations/reviewer/rounds/template.html", {"round": round_, "fmt": fmt}
    )


@manager_required
def scores_upload(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Upload verified levels. In the request: rights, size, format and the sheet's declared
    dimension and cell count; then a background job reads and checks every row and compares
    it with the stored levels (a national file has 30,000 rows), and its progress page leads
    back here (``?preview=<job>``) to the changes. The previewed file is applied by another
    job, all or nothing (one bad row and nothing is saved)."""
    round_ = access.get_manager_round_or_404(request.user, slug)
    applying = request.method == "POST" and "apply" in request.POST
    form = ScoresUploadForm(
        None if applying else (request.POST or None), None if applying else (request.FILES or None)
    )
    upload_errors: list[str] = []
    preview: dict[str, Any] | None = None
    pending: ImportUpload | None = None
    if applying:
        try:
            pk = int(request.POST.get("upload") or "")
        except ValueError:
            raise Http404 from None
        pending = get_object_or_404(
            ImportUpload.objects.pending_for(request.user),
            pk=pk,
            kind=ImportKind.SCORES,
            round=round_,
        )
        if not round_.accepts_scores:
            upload_errors.append(str(SCORES_LOCKED))
            import_upload_discard(upload=pending)
            pending = None
        else:
            job = import_upload_apply(
                upload=pending,
                job_kind="scores.import",
                by=request.user,
                title=_("Unggah nilai %(round)s") % {"round": round_.name},
                params={"round_id": round_.pk, "filename": pending.filename},
            )
            return redirect(job)
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        if not round_.accepts_scores:
            upload_errors.append(str(SCORES_LOCKED))
        else:
            try:
                scores_io.precheck_upload(data, upload.name)
            except ValidationError as exc:
                upload_errors = [str(m) for m in exc.messages]
            else:
                pending = import_upload_keep(
                    kind=ImportKind.SCORES,
                    data=data,
                    filename=upload.name,
                    by=request.user,
                    round=round_,
                )
                job = job_start(
                    kind="scores.preview",
                    owner=request.user,
                    title=_("Pratinjau unggahan nilai %(round)s") % {"round": round_.name},
                    params={"round_id": round_.pk, "upload_id": pending.pk},
                )
                return redirect(job)
    elif "preview" in request.GET:
        preview, pending = _score_preview(request, round_)
        if pending is None:
            upload_errors.append(str(UPLOAD_GONE))
            preview = None
    status = 400 if (form.errors or upload_errors) else 200
    return render(
        request,
        "evaluations/reviewer/rounds/upload.html",
        {
            "round": round_,
            "form": form,
            "upload_errors": upload_errors,
            "preview": preview,
            "preview_rows": preview["rows"] if preview else (),
            "pending": pending,
        },
        status=status,
    )


def _score_preview(
    request: AuthenticatedHttpRequest, round_: Round
) -> tuple[dict[str, Any], ImportUpload | None]:
    """The preview a finished ``scores.preview`` job of this user and round prepared, and
    the kept file it describes (None when it was applied, replaced or expired since)."""
    try:
        job_id = uuid.UUID(request.GET["preview"])
    except ValueError:
        raise Http404 from None
    job = get_object_or_404(
        Job.objects.filter(owner=request.user, kind="scores.preview", state=JobState.SUCCEEDED),
        pk=job_id,
        params__round_id=round_.pk,
    )
    pending = (
        ImportUpload.objects.pending_for(request.user)
        .filter(pk=job.params["upload_id"], kind=ImportKind.SCORES, round=round_)
        .first()
    )
    return job.params["preview"], pending


# --- History ---------------------------------------------------------------------------------


@manager_required
@require_safe
def history(request: HttpRequest, slug: str) -> HttpResponse:
    """Who changed what and when: status steps, scores, verified levels, results."""
    round_ = access.get_manager_round_or_404(request.user, slug)
    return render(
        request,
        "evaluations/reviewer/rounds/history.html",
        round_history(request, round_),
    )
