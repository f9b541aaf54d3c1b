"""Two-factor sign-in: TOTP (django-otp) with single-use recovery codes.

Who needs it is decided once, when the password is accepted (``user_logged_in``), and kept
in the session: round managers, reviewers, admin users, and city staff who enrolled a device
of their own will. Until the session is verified, ``SecondFactorMiddleware`` sends every
page but the sign-in steps to the code (or, the first time, the enrolment) page. Both
markers live in the server-side session, so a page costs no extra query; django-otp's own
middleware would load the device on every request.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from evaluations.roles import is_reviewer

# Set at login: this session must show a second factor before it reaches any workspace.
REQUIRED_SESSION_KEY = "people_2fa_required"
RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery"

# Paths a session that still owes its second factor may open.
_OPEN_PREFIXES = ("/accounts/two-factor/", "/accounts/logout/", "/i18n/", "/static/", "/healthz")


def must_use_second_factor(user: User) -> bool:
    """Kominfo staff always; city staff once they chose to enrol a device."""
    if user.is_staff or user.is_superuser or is_reviewer(user):
        return True
    return has_device(user)


def has_device(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def note_second_factor_requirement(
    sender: Any, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    """``user_logged_in`` receiver: remember whether this session owes a second factor."""
    session = getattr(request, "session", None)
    if session is not None:
        session[REQUIRED_SESSION_KEY] = must_use_second_factor(user)


def is_verified(request: HttpRequest) -> bool:
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


def owes_second_factor(request: HttpRequest) -> bool:
    session = getattr(request, "session", None)
    return bool(
        session is not None
        and session.get(REQUIRED_SESSION_KEY)
        and not session.get(DEVICE_ID_SESSION_KEY)
    )


class SecondFactorMiddleware:
    """Holds a signed-in session that owes its second factor at the code page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            owes_second_factor(request)
            and request.user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            target = reverse("people:two_factor_verify")
            next_url = request.get_full_path()
            if request.method == "GET" and url_has_allowed_host_and_scheme(
                next_url, allowed_hosts={request.get_host()}
            ):
                target += "?" + urlencode({"next": next_url})
            return redirect(target)
        return self.get_response(request)


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device an enrolment shows (the same one until it is confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with ten new single-use ones (shown once)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [
        f"{secrets.token_hex(2)}-{secrets.token_hex(2)}-{secrets.token_hex(2)}"
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify(request: HttpRequest, user: User, code: str) -> bool:
    """Check a TOTP code or a recovery code (used up); on success mark the session."""
    code = "".join(code.split()).lower()
    candidates: list[Any] = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if "-" in code or len(code) > 8:
        candidates = list(StaticDevice.objects.filter(user=user, confirmed=True))
    for device in candidates:
        allowed, _info = device.verify_is_allowed()
        if allowed and device.verify_token(code):
            otp_login(request, device)
            return True
    return False


def mark_verified(request: HttpRequest, device: Any) -> None:
    otp_login(request, device)


def safe_next(request: HttpRequest, default: str = "dashboard") -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return reverse(default)


def device_count(user: User) -> int:
    return TOTPDevice.objects.filter(user=user, confirmed=True).count()


def remaining_recovery_codes(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()
