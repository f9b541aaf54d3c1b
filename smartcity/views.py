"""Project-level views: the post-login dispatcher, /favicon.ico, the 500 and CSRF failure
pages (the other error pages are Django's handlers with the portal's templates, and the
health checks live in smartcity.health)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

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


@cache_control(max_age=24 * 60 * 60, public=True)
@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages that name no icon (the admin, PDFs)."""
    return redirect(static("img/favicon.svg"))


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page (``handler500``), rendered without the request's context processors, the
    session or the database: the error may be that the database is down. The page carries
    the request id, which the log line of the failure carries too."""
    context = {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "DEMO_MODE": settings.DEMO_MODE,
        "request_id": getattr(request, "request_id", ""),
    }
    return HttpResponseServerError(render_to_string("500.html", context))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form whose CSRF token did not match (``CSRF_FAILURE_VIEW``): say what to do."""
    return render(request, "403_csrf.html", status=403)
