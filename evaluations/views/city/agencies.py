"""The region's agencies (OPD): every member reads the list, the coordinator manages it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from evaluations import access
from evaluations.forms.city import AgencyForm
from evaluations.services import programmes as service
from evaluations.views.city._common import Workspace, render_ws, workspace_view
from regions.models import Agency
from smartcity.http import AuthenticatedHttpRequest


@workspace_view()
def agency_list(request: HttpRequest, ws: Workspace) -> HttpResponse:
    agencies = (
        access.region_agencies(request.user, ws.region)
        .annotate(
            programme_count=Count("programmes", filter=Q(programmes__archived_at__isnull=True))
        )
        .order_by("name", "pk")
    )
    return render_ws(
        request, ws, "evaluations/city/agencies/list.html", {"agencies": agencies}, nav="agencies"
    )


def _agency_form(
    request: AuthenticatedHttpRequest, ws: Workspace, agency: Agency | None
) -> HttpResponse:
    access.require_coordinator(ws.membership)
    instance = agency or Agency(region=ws.region)
    form = AgencyForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = service.agency_save(agency=form.save(commit=False), by=request.user)
        messages.success(request, _("OPD “%(name)s” disimpan.") % {"name": saved.name})
        return redirect("city:agency_list", ws.region.slug)
    return render_ws(
        request,
        ws,
        "evaluations/city/agencies/form.html",
        {"form": form, "agency": agency},
        nav="agencies",
    )


@workspace_view(methods=("GET", "POST"), keeps_unsaved=True)
def agency_create(request: AuthenticatedHttpRequest, ws: Workspace) -> HttpResponse:
    return _agency_form(request, ws, None)


@workspace_view(methods=("GET", "POST"), keeps_unsaved=True)
def agency_edit(request: AuthenticatedHttpRequest, ws: Workspace, pk: int) -> HttpResponse:
    agency = access.get_region_agency_or_404(request.user, ws.region, pk)
    return _agency_form(request, ws, agency)


@workspace_view(methods=("POST",))
def agency_delete(request: AuthenticatedHttpRequest, ws: Workspace, pk: int) -> HttpResponse:
    access.require_coordinator(ws.membership)
    agency = access.get_region_agency_or_404(request.user, ws.region, pk)
    try:
        service.agency_delete(agency=agency, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("OPD “%(name)s” dihapus.") % {"name": agency.name})
    return redirect("city:agency_list", ws.region.slug)
