"""People pages: invitations, the team of a region, sign-in steps, security, inbox, audit.

Each view is parse → selector/service → render; refusals of a service come back as the
form's errors or a message on the page it returns to.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from evaluations.roles import is_manager
from smartcity.http import AuthenticatedHttpRequest
from smartcity.people import second_factor as twofa
from smartcity.people import selectors, services
from smartcity.people.forms import (
    AcceptForm,
    CodeForm,
    InvitationForm,
    InvitationImportForm,
    PreferencesForm,
    QueuedPasswordResetForm,
    RoleForm,
)
from smartcity.people.importing import InvitationImportError, invitations_import
from smartcity.people.models import (
    InvitationStatus,
    InvitedRole,
    Notification,
    NotificationKind,
    Profile,
)
from smartcity.people.notifications import notify_security
from smartcity.security import _rate, by_ip, login_rate_limit

View = Callable[..., HttpResponse]
RECOVERY_CODES_SESSION_KEY = "people_recovery_codes"


def _errors(exc: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc) or _("Anda tidak berhak melakukan ini.")]


def manager_required(view: View) -> View:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_manager(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return login_required(wrapped)


def inviter_required(view: View) -> View:
    def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.may_invite(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return login_required(wrapped)


# --- Invitations ----------


@inviter_required
@require_safe
def invitation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Pending, accepted, expired and revoked invitations, with resend and revoke."""
    visible = selectors.invitations_visible_to(request.user)
    status = request.GET.get("status", "")
    if status not in InvitationStatus.values:
        status = ""
    page = Paginator(visible.with_status(status) if status else visible, 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "people/invitations/list.html",
        {
            "page": page,
            "status": status,
            "statuses": InvitationStatus.choices,
            "counts": selectors.invitation_counts(visible),
            "now": timezone.now(),
        },
    )


def _roles_for(user: Any) -> list[str]:
    if is_manager(user):
        return [InvitedRole.REVIEWER, InvitedRole.COORDINATOR, InvitedRole.OPERATOR]
    return [InvitedRole.OPERATOR]


@inviter_required
def invitation_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    regions = selectors.inviting_regions(request.user)
    form = InvitationForm(
        request.POST or None,
        regions=regions,
        roles=_roles_for(request.user),
        initial={"region": request.GET.get("region") or None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invitation_create(
                by=request.user,
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                region=data["region"],
                language=data["language"],
            )
        except (ValidationError, PermissionDenied) as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(
                request, _("Undangan untuk %(email)s dikirim.") % {"email": invitation.email}
            )
            return redirect("people:invitations")
    return render(request, "people/invitations/form.html", {"form": form})


@inviter_required
def invitation_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = InvitationImportForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            created = invitations_import(
                upload=form.cleaned_data["file"],
                by=request.user,
                language=form.cleaned_data["language"],
            )
        except InvitationImportError as exc:
            problems = exc.problems
        else:
            messages.success(request, _("%(count)s undangan dikirim.") % {"count": len(created)})
            return redirect("people:invitations")
    return render(request, "people/invitations/import.html", {"form": form, "problems": problems})


def _invitation_action(
    request: AuthenticatedHttpRequest, pk: int, action: Callable[..., Any], done: str
) -> HttpResponse:
    invitation = selectors.get_invitation_for_user(request.user, pk)
    try:
        action(invitation=invitation, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(request, done % {"email": invitation.email})
    return redirect("people:invitations")


@inviter_required
@require_POST
def invitation_resend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _invitation_action(
        request, pk, services.invitation_resend, _("Undangan untuk %(email)s dikirim ulang.")
    )


@inviter_required
@require_POST
def invitation_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _invitation_action(
        request, pk, services.invitation_revoke, _("Undangan untuk %(email)s dibatalkan.")
    )


def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link: choose a password; the account is created and signed in, and
    the second-factor enrolment follows where the role needs it."""
    try:
        invitation = services.invitation_for_token(token)
    except ValidationError as exc:
        return render(
            request, "people/invitations/link_error.html", {"errors": exc.messages}, status=410
        )
    form = AcceptForm(request.POST or None, email=invitation.email, full_name=invitation.full_name)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(token=token, password=form.cleaned_data["password1"])
        except ValidationError as exc:
            return render(
                request, "people/invitations/link_error.html", {"errors": exc.messages}, status=410
            )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Akun Anda sudah dibuat. Nama pengguna Anda: %(username)s")
            % {"username": user.get_username()},
        )
        return redirect("dashboard")
    # The token is in the path; the portal's Referrer-Policy (same-origin) keeps it from other
    # sites. (no-referrer would make the browser send "Origin: null" and fail the CSRF check.)
    return render(
        request, "people/invitations/accept.html", {"form": form, "invitation": invitation}
    )


# --- A region's team (coordinators) ----------


@login_required
@require_safe
def team(request: AuthenticatedHttpRequest, region_slug: str) -> HttpResponse:
    region = selectors.get_team_region_for_user(request.user, region_slug)
    return render(
        request,
        "people/team.html",
        {"region": region, "members": list(selectors.team_members(region))},
    )


@login_required
@require_POST
def team_deactivate(request: AuthenticatedHttpRequest, region_slug: str, pk: int) -> HttpResponse:
    region = selectors.get_team_region_for_user(request.user, region_slug)
    membership = selectors.get_membership_for_user(request.user, region, pk)
    try:
        services.operator_deactivate(membership=membership, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(user)s tidak lagi menjadi anggota tim %(region)s.")
            % {"user": membership.user.get_username(), "region": region.name},
        )
    return redirect("people:team", region_slug=region.slug)


# --- Kominfo people and the audit list (managers) ----------


@manager_required
@require_safe
def people_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.kominfo_people(), 50).get_page(request.GET.get("page"))
    return render(request, "people/people.html", {"page": page, "role_form": RoleForm()})


@manager_required
@require_POST
def person_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    person = selectors.get_person_for_manager(pk)
    try:
        if action == "reset-2fa":
            services.second_factor_reset(user=person, by=request.user)
            done = _(
                "Faktor kedua %(user)s diatur ulang; ia mendaftarkan perangkat baru saat masuk."
            )
        elif action == "deactivate":
            services.user_set_active(user=person, active=False, by=request.user)
            done = _("Akun %(user)s dinonaktifkan.")
        elif action == "activate":
            services.user_set_active(user=person, active=True, by=request.user)
            done = _("Akun %(user)s diaktifkan kembali.")
        elif action == "role":
            form = RoleForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Pilih peran yang dikenal."))
            services.user_set_role(user=person, role=form.cleaned_data["role"], by=request.user)
            done = _("Peran %(user)s diubah.")
        else:
            raise ValidationError(_("Tindakan tidak dikenal."))
    except (ValidationError, PermissionDenied) as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(request, done % {"user": person.get_username()})
    return redirect("people:people")


@manager_required
@require_safe
def audit_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.audit_entries(), 50).get_page(request.GET.get("page"))
    return render(request, "people/audit.html", {"page": page})


# --- Two-factor sign-in ----------


@login_required
@login_rate_limit
def two_factor_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The code step after the password (TOTP or a recovery code)."""
    if not twofa.has_device(request.user):
        return redirect(reverse("people:two_factor_setup") + _next_query(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofa.verify(request, request.user, form.cleaned_data["code"]):
            return redirect(twofa.safe_next(request))
        form.add_error("code", _("Kode salah atau sudah dipakai. Coba kode yang baru."))
    return render(
        request,
        "people/two_factor/verify.html",
        {"form": form, "next": request.GET.get("next", request.POST.get("next", ""))},
    )


def _next_query(request: HttpRequest) -> str:
    next_url = request.GET.get("next", "")
    return f"?next={next_url}" if next_url.startswith("/") and not next_url.startswith("//") else ""


def _qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=5, border=2)


@login_required
@login_rate_limit
def two_factor_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Enrolment: scan the code, type one code, receive the recovery codes.

    A session that already passed its second factor may add a device only from here after
    the security page; one that has a device must verify with it first.
    """
    if twofa.has_device(request.user) and not twofa.is_verified(request):
        return redirect(reverse("people:two_factor_verify") + _next_query(request))
    device = twofa.pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _info = device.verify_is_allowed()
        if allowed and device.verify_token("".join(form.cleaned_data["code"].split())):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            request.session[RECOVERY_CODES_SESSION_KEY] = twofa.new_recovery_codes(request.user)
            twofa.mark_verified(request, device)
            request.session[twofa.REQUIRED_SESSION_KEY] = True
            return redirect(reverse("people:recovery_codes") + _next_query(request))
        form.add_error("code", _("Kode tidak cocok. Periksa jam ponsel Anda dan coba lagi."))
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "people/two_factor/setup.html",
        {
            "form": form,
            "qr": _qr_data_uri(device.config_url),
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": request.GET.get("next", ""),
            "required": twofa.must_use_second_factor(request.user)
            or twofa.has_device(request.user),
        },
    )


@login_required
def recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """New recovery codes are shown once; POST makes a new set (the old ones stop working)."""
    if request.method == "POST":
        if not twofa.is_verified(request):
            return redirect("people:two_factor_verify")
        request.session[RECOVERY_CODES_SESSION_KEY] = twofa.new_recovery_codes(request.user)
        return redirect("people:recovery_codes")
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("people:security")
    return render(
        request,
        "people/two_factor/recovery_codes.html",
        {"codes": codes, "next": twofa.safe_next(request)},
    )


# --- Security and preferences ----------


@login_required
def security(request: AuthenticatedHttpRequest) -> HttpResponse:
    profile, _created = Profile.objects.get_or_create(
        user=request.user, defaults={"language": request.LANGUAGE_CODE}
    )
    switchable = [k.value for k in NotificationKind.switchable()]
    form = PreferencesForm(
        request.POST or None,
        initial={
            "language": profile.language,
            "email_kinds": [k for k in switchable if k not in profile.muted_kinds],
        },
    )
    if request.method == "POST" and form.is_valid():
        profile.language = form.cleaned_data["language"]
        profile.muted_kinds = [k for k in switchable if k not in form.cleaned_data["email_kinds"]]
        profile.save(update_fields=["language", "muted_kinds"])
        messages.success(request, _("Pengaturan pemberitahuan disimpan."))
        return redirect("people:security")
    return render(
        request,
        "people/security.html",
        {
            "form": form,
            "has_device": twofa.has_device(request.user),
            "required": twofa.must_use_second_factor(request.user),
            "recovery_left": twofa.remaining_recovery_codes(request.user),
            "is_manager": is_manager(request.user),
            "teams": list(services.coordinated_regions(request.user).order_by("code")),
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view: the current session stays signed in, every other one ends (the
    session hash follows the password); the owner is told by security mail."""

    template_name = "people/password_change.html"
    success_url = reverse_lazy("people:security")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        update_session_auth_hash(self.request, form.user)
        notify_security(
            form.user,
            template="password_changed",
            event_key=f"password:{timezone.now():%Y%m%d%H%M%S%f}",
        )
        messages.success(
            self.request, _("Kata sandi diganti. Sesi di perangkat lain sudah diakhiri.")
        )
        return response


def _reset_key(group: str, request: HttpRequest) -> str:
    return "email:" + request.POST.get("email", "").strip().lower()[:254]


@method_decorator(
    ratelimit(
        group="password_reset", key=by_ip, rate=_rate("RATELIMIT_PASSWORD_RESET"), method=["POST"]
    ),
    name="dispatch",
)
@method_decorator(
    ratelimit(
        group="password_reset_email",
        key=_reset_key,
        rate=_rate("RATELIMIT_PASSWORD_RESET"),
        method=["POST"],
    ),
    name="dispatch",
)
class PasswordResetView(auth_views.PasswordResetView):
    """The same answer whether or not the address has an account; limited per address and
    per client."""

    form_class = QueuedPasswordResetForm
    template_name = "people/password_reset/form.html"
    email_template_name = "people/password_reset/email.txt"
    subject_template_name = "people/password_reset/subject.txt"
    success_url = reverse_lazy("people:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "people/password_reset/confirm.html"
    success_url = reverse_lazy("people:password_reset_complete")
    post_reset_login = False


# --- Inbox ----------


@login_required
@require_safe
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(selectors.inbox(request.user), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "people/inbox.html",
        {"page": page, "unread": selectors.unread_count(request.user)},
    )


@login_required
@require_safe
def inbox_badge(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The unread count in the header (fetched by htmx, so pages keep their query counts)."""
    return render(request, "people/_badge.html", {"unread": selectors.unread_count(request.user)})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notification(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A notification. Reading it (GET) changes nothing: a prefetching browser, a link
    preview or a crawler must not mark it read. Its buttons POST here: "Buka" marks it read
    and goes to what it is about, "Tandai sudah dibaca" marks it read and goes back to the
    inbox."""
    note = selectors.get_notification_for_user(request.user, pk)
    if request.method == "POST":
        Notification.objects.filter(pk=note.pk, read_at__isnull=True).update(read_at=timezone.now())
        if (
            "open" in request.POST
            and note.url
            and url_has_allowed_host_and_scheme(
                note.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            )
        ):
            return redirect(note.url)
        return redirect("people:inbox")
    return render(request, "people/notification.html", {"note": note})


@login_required
@require_POST
def inbox_read_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    selectors.inbox(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("people:inbox")
