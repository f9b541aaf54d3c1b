"""Project-level views: the post-login dispatcher, the health check and /favicon.ico."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_safe

from evaluations import access
from evaluations.roles import is_reviewer


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """Send each kind of user to their own workspace."""
    if is_reviewer(request.user):
        return redirect("reviewer:assignments")
    regions = list(access.workspace_regions(request.user)[:2])
    if regions:
        return redirect("city:dashboard", region_slug=regions[0].slug)
    return render(request, "registration/no_workspace.html", status=403)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for the load balancer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@cache_control(max_age=24 * 60 * 60, public=True)
@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages that name no icon (the admin, PDFs)."""
    return redirect(static("img/favicon.svg"))
