"""Field-review pages: schedule, agenda, attendees, findings, and the minutes (HTML, PDF).

Readable by the participation's panel and managers; editable by them while the round is
open (``can_edit_field_review``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST, require_safe

from evaluations import access
from evaluations.forms.reviewer import (
    AgendaFormSet,
    AttendeeFormSet,
    FieldReviewForm,
    FindingFormSet,
)
from evaluations.roles import is_manager
from evaluations.selectors import reviewer as selectors
from evaluations.services.field_reviews import (
    can_edit_field_review,
    field_review_default_agenda,
    field_review_schedule,
    field_review_section_save,
)
from evaluations.views.reviewer._common import report_errors, reviewer_required
from evaluations.views.reviewer.pdf import render_pdf
from smartcity.http import AuthenticatedHttpRequest
from smartcity.security import download_rate_limit

if TYPE_CHECKING:
    from evaluations.models import FieldReview, Participation


@reviewer_required
def field_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The schedule (create or change it) and the way to agenda, attendees and findings."""
    participation = access.get_reviewer_participation_or_404(request.user, pk)
    review = selectors.field_review_of(participation)
    editable = can_edit_field_review(request.user, participation)
    form = FieldReviewForm(request.POST or None, instance=review)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                field_review_schedule(
                    participation=participation,
                    by=request.user,
                    mode=data["mode"],
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                    location=data["location"],
                    minutes=data["minutes"],
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, _("Jadwal tinjauan lapangan tersimpan."))
                return redirect("reviewer:field_review", pk=participation.pk)
    counts = {}
    if review:
        counts = {
            "agenda": review.agenda.count(),
            "attendees": review.attendees.count(),
            "findings": review.findings.count(),
        }
    return render(
        request,
        "evaluations/reviewer/field_review/detail.html",
        {
            "participation": participation,
            "round": participation.round,
            "region": participation.region,
            "review": review,
            "form": form,
            "editable": editable,
            "counts": counts,
        },
        status=400 if form.errors else 200,
    )


SECTIONS: dict[str, dict[str, Any]] = {
    "agenda": {
        "formset": AgendaFormSet,
        "title": gettext_noop("Agenda tinjauan lapangan"),
    },
    "attendees": {
        "formset": AttendeeFormSet,
        "title": gettext_noop("Daftar hadir"),
    },
    "findings": {
        "formset": FindingFormSet,
        "title": gettext_noop("Temuan per dimensi"),
    },
}


@reviewer_required
def field_review_section(request: AuthenticatedHttpRequest, pk: int, section: str) -> HttpResponse:
    """Agenda, attendees or findings as one editable table (a formset)."""
    spec = SECTIONS.get(section)
    if spec is None:
        raise Http404
    participation = access.get_reviewer_participation_or_404(request.user, pk)
    review = selectors.field_review_of(participation)
    if review is None:
        messages.info(request, _("Jadwalkan tinjauan lapangan terlebih dahulu."))
        return redirect("reviewer:field_review", pk=participation.pk)
    editable = can_edit_field_review(request.user, participation)
    formset_class = spec["formset"]
    queryset = selectors.field_review_section_rows(review, section)
    formset = formset_class(request.POST or None, instance=review, queryset=queryset)
    if request.method == "POST" and "add_rows" in request.POST:
        # "Tambah baris" without JavaScript: the same table again, everything typed kept,
        # with more blank rows; nothing is saved yet.
        if not editable:
            raise PermissionDenied
        formset = formset_class(
            _with_more_rows(request.POST, formset.prefix),
            instance=review,
            queryset=queryset,
        )
        return _section_page(request, participation, review, formset, spec, section, editable)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if formset.is_valid():
            field_review_section_save(field_review=review, formset=formset, by=request.user)
            messages.success(request, _("Perubahan tersimpan."))
            return redirect("reviewer:field_review_section", pk=participation.pk, section=section)
        messages.error(request, _("Periksa isian yang ditandai."))
    return _section_page(
        request,
        participation,
        review,
        formset,
        spec,
        section,
        editable,
        status=400 if request.method == "POST" else 200,
    )


# Blank rows one "Tambah baris" adds when the page works without JavaScript.
ADDED_ROWS = 3


def _with_more_rows(data: QueryDict, prefix: str) -> QueryDict:
    """The posted table with ``ADDED_ROWS`` more blank forms (bounded by the formset's own
    maximum, which the formset enforces anyway)."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key, "0"))
    except ValueError:
        total = 0
    data[key] = str(max(total, 0) + ADDED_ROWS)
    return data


def _section_page(
    request: HttpRequest,
    participation: Participation,
    review: FieldReview,
    formset: Any,
    spec: dict[str, Any],
    section: str,
    editable: bool,
    *,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "evaluations/reviewer/field_review/section.html",
        {
            "participation": participation,
            "round": participation.round,
            "region": participation.region,
            "review": review,
            "formset": formset,
            "section": section,
            "title": _(spec["title"]),
            "editable": editable,
        },
        status=status,
    )


@reviewer_required
@require_POST
def field_review_default_agenda_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    participation = access.get_reviewer_participation_or_404(request.user, pk)
    review = selectors.field_review_of(participation)
    if review is None:
        raise Http404
    try:
        count = field_review_default_agenda(field_review=review, by=request.user)
    except ValidationError as exc:
        report_errors(request, exc)
    else:
        messages.success(
            request, _("Agenda bawaan dua hari dibuat (%(count)s kegiatan).") % {"count": count}
        )
    return redirect("reviewer:field_review_section", pk=participation.pk, section="agenda")


@reviewer_required
@require_safe
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable minutes (berita acara) of the field review."""
    participation = access.get_reviewer_participation_or_404(request.user, pk)
    context = selectors.minutes_context(participation)
    lead = context["lead"]
    # The panel lead or a manager issues numbered minutes
    # (evaluations.documents.access.can_issue_minutes, answered here from the lead already
    # loaded).
    can_issue = is_manager(request.user) or (lead is not None and lead.pk == request.user.pk)
    return render(
        request,
        "evaluations/reviewer/field_review/minutes.html",
        {**context, "can_issue": can_issue},
    )


@download_rate_limit
@reviewer_required
@require_safe
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    participation = access.get_reviewer_participation_or_404(request.user, pk)
    return render_pdf(
        request,
        "evaluations/pdf/minutes.html",
        selectors.minutes_context(participation),
        filename=f"berita-acara-{participation.round.slug}-{participation.region.slug}.pdf",
    )
