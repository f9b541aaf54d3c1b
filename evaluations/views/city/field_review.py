"""The region's field reviews: schedule, agenda, its attendees and, once published, findings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from evaluations import access
from evaluations.forms.city import AttendeeForm
from evaluations.models import AttendeeSide, FieldReview, FindingKind
from evaluations.services import attendance as service
from evaluations.views.city._common import Workspace, render_ws, workspace_view
from smartcity.http import AuthenticatedHttpRequest


@workspace_view()
def field_review_list(request: HttpRequest, ws: Workspace) -> HttpResponse:
    reviews = (
        access.city_field_reviews(request.user)
        .filter(participation__region=ws.region)
        .order_by("-start_date")
    )
    return render_ws(
        request, ws, "evaluations/city/field_review/list.html", {"reviews": reviews}, nav="reviews"
    )


def _field_review(request: HttpRequest, ws: Workspace, round_slug: str) -> FieldReview:
    return access.get_city_field_review_or_404(request.user, ws.region, round_slug)


def _render(
    request: AuthenticatedHttpRequest,
    ws: Workspace,
    review: FieldReview,
    form: AttendeeForm,
    status: int = 200,
) -> HttpResponse:
    attendees = list(review.attendees.order_by("side", "name", "pk"))
    findings = list(access.city_findings(request.user, review))
    by_dimension: dict = {}
    for finding in findings:
        group = by_dimension.setdefault(finding.dimension, {k: [] for k in FindingKind.values})
        group[finding.kind].append(finding)
    context = {
        "review": review,
        "round": review.participation.round,
        "agenda": list(review.agenda.select_related("dimension")),
        "region_attendees": [a for a in attendees if a.side == AttendeeSide.REGION],
        "other_attendees": [a for a in attendees if a.side != AttendeeSide.REGION],
        "locked": service.attendance_locked(review),
        "published": review.participation.round.is_published,
        "findings": by_dimension,
        "kinds": FindingKind,
        "form": form,
    }
    template = "evaluations/city/field_review/detail.html"
    if request.htmx:
        template += "#attendance"
    return render_ws(request, ws, template, context, nav="reviews", status=status)


@workspace_view()
def field_review_detail(
    request: AuthenticatedHttpRequest, ws: Workspace, round_slug: str
) -> HttpResponse:
    review = _field_review(request, ws, round_slug)
    return _render(request, ws, review, AttendeeForm())


def _back(ws: Workspace, round_slug: str) -> HttpResponse:
    return redirect("city:field_review", ws.region.slug, round_slug)


@workspace_view(methods=("POST",))
def attendee_add(request: AuthenticatedHttpRequest, ws: Workspace, round_slug: str) -> HttpResponse:
    review = _field_review(request, ws, round_slug)
    form = AttendeeForm(request.POST)
    if form.is_valid():
        try:
            service.attendee_add(field_review=review, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if request.htmx:
                return _render(request, ws, review, AttendeeForm())
            return _back(ws, round_slug)
    return _render(request, ws, review, form)


@workspace_view(methods=("POST",))
def attendee_remove(
    request: AuthenticatedHttpRequest, ws: Workspace, round_slug: str, pk: int
) -> HttpResponse:
    review = _field_review(request, ws, round_slug)
    attendee = get_object_or_404(access.region_attendees(request.user, review), pk=pk)
    try:
        service.attendee_remove(attendee=attendee, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if request.htmx:
        return _render(request, ws, review, AttendeeForm())
    return _back(ws, round_slug)


@workspace_view(methods=("POST",))
def attendees_confirm(
    request: AuthenticatedHttpRequest, ws: Workspace, round_slug: str
) -> HttpResponse:
    review = _field_review(request, ws, round_slug)
    try:
        service.attendees_confirm(field_review=review, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Daftar hadir dikonfirmasi. Terima kasih."))
    return _back(ws, round_slug)
