"""What every city view shares: the workspace decorator and unsaved-input recovery.

Unsaved input across an expired session: when a form is posted by someone whose session
has ended, the text they typed is kept in the (new, anonymous) session before the login
redirect, and the page they were on shows it again after they log in, bound to its form
but *not saved*: they check it and save it themselves (with a fresh CSRF token). Files
cannot be kept this way; the page says so.

The person posting is anonymous at that moment, so what is kept is bounded: only for a
region that exists, at most ``UNSAVED_MAX_BYTES`` of form text (one stash per session, a new
one replaces it), and at most ``UNSAVED_STASH_RATE`` stashes per client address; beyond
that the input is dropped and the page asks to redo the action after logging in.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_ratelimit.core import is_ratelimited

from evaluations import access
from regions.models import MembershipRole, Region, RegionMembership
from smartcity.security import by_ip as _by_ip

UNSAVED_SESSION_KEY = "city_unsaved_post"
UNSAVED_MAX_AGE_SECONDS = 2 * 60 * 60
# A long programme description or a self-assessment page of notes fits; a body stuffed
# to fill the session table does not (finding: 20 posts of 493 KB grew it by 10 MB).
UNSAVED_MAX_BYTES = 32 * 1024
UNSAVED_STASH_RATE = "10/h"

SESSION_ENDED = _(
    "Sesi Anda sudah berakhir sehingga isian belum tersimpan. Masuk lagi: isian Anda akan "
    "ditampilkan kembali untuk diperiksa dan disimpan."
)
SESSION_ENDED_ACTION = _("Sesi Anda sudah berakhir. Masuk lagi lalu ulangi tindakan Anda.")
UNSAVED_RESTORED = _(
    "Isian yang belum tersimpan saat sesi Anda berakhir ditampilkan kembali. Periksa lalu "
    "simpan. Berkas yang dipilih saat itu perlu dipilih ulang."
)


@dataclass(frozen=True)
class Workspace:
    """The region a request works in and the user's role there."""

    membership: RegionMembership

    @property
    def region(self) -> Region:
        return self.membership.region

    @property
    def is_coordinator(self) -> bool:
        return self.membership.role == MembershipRole.COORDINATOR

    def url(self, name: str, *args: Any) -> str:
        return reverse(f"city:{name}", args=[self.region.slug, *args])


def _stash_post(request: HttpRequest, region_slug: str) -> bool:
    """Keep the posted form text for after the login, within the bounds above."""
    data = {k: request.POST.getlist(k) for k in request.POST if k != "csrfmiddlewaretoken"}
    if not data or len(json.dumps(data)) > UNSAVED_MAX_BYTES:
        return False
    if not Region.objects.filter(slug=region_slug).exists():
        return False
    if is_ratelimited(
        request, group="unsaved-stash", key=_by_ip, rate=UNSAVED_STASH_RATE, increment=True
    ):
        return False
    request.session[UNSAVED_SESSION_KEY] = {
        "path": request.path,
        "data": data,
        "at": time.time(),
    }
    return True


def take_unsaved_post(request: HttpRequest) -> QueryDict | None:
    """The input posted to this page when the session had ended, once, or None."""
    stash = request.session.get(UNSAVED_SESSION_KEY)
    if not stash or stash.get("path") != request.path:
        return None
    del request.session[UNSAVED_SESSION_KEY]
    if time.time() - stash.get("at", 0) > UNSAVED_MAX_AGE_SECONDS:
        return None
    data = QueryDict(mutable=True)
    for key, values in stash["data"].items():
        data.setlist(key, [str(v) for v in values])
    messages.info(request, UNSAVED_RESTORED)
    return data


def workspace_view(
    *, methods: tuple[str, ...] = ("GET",), keeps_unsaved: bool = False
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Wrap a city view: login, allowed methods, the URL's region resolved and scoped.

    The view is called as ``view(request, ws, **kwargs)``; a region the user is not a
    member of is a 404 (the same answer as a region that does not exist).
    """

    # Kept input is shown again by the page's GET, so only a page with a GET can keep it.
    assert not keeps_unsaved or {"GET", "POST"} <= set(methods)

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        @never_cache
        def wrapper(request: HttpRequest, region_slug: str, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                if request.method == "POST":
                    if keeps_unsaved and _stash_post(request, region_slug):
                        messages.warning(request, SESSION_ENDED)
                    else:
                        messages.warning(request, SESSION_ENDED_ACTION)
                next_url = (
                    request.get_full_path()
                    if "GET" in methods
                    else reverse("city:dashboard", args=[region_slug])
                )
                return redirect_to_login(next_url)
            # The region first: another region's URL is a 404 whatever the method.
            membership = access.get_workspace_membership_or_404(request.user, region_slug)
            if request.method not in methods and not (
                request.method == "HEAD" and "GET" in methods
            ):
                return HttpResponseNotAllowed(methods)
            return view(request, Workspace(membership), **kwargs)

        wrapper.city_methods = methods  # type: ignore[attr-defined]
        return wrapper

    return decorator


def render_ws(
    request: HttpRequest,
    ws: Workspace,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    nav: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        template,
        {"ws": ws, "region": ws.region, "nav": nav, **(context or {})},
        status=status,
    )
