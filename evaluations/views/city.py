"""City Diskominfo workspace: every view starts from ``access.get_workspace_region_or_404``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from evaluations import access


@login_required
def dashboard(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = access.get_workspace_region_or_404(request.user, region_slug)
    participations = access.city_participations(request.user).filter(region=region)
    return render(
        request,
        "evaluations/city/dashboard.html",
        {"region": region, "participations": participations},
    )
