"""Background work of the people app (``django.tasks``): every function takes ids or plain
values and can run again without effect, so a retried job never sends a message twice."""

from __future__ import annotations

import secrets
from hashlib import sha256

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from smartcity.people.models import Invitation, Notification


def _message_id(kind: str, pk: int, number: int = 0) -> str:
    # A stable Message-ID: should a send be repeated after a crash between the SMTP answer and
    # the commit, mail systems see the same message.
    host = settings.PORTAL_URL.split("//")[-1].split("/")[0].split(":")[0] or "portal"
    return f"<{kind}-{pk}-{number}@{host}>"


@task
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification unless it was sent already (``emailed_at`` is the marker,
    written in the same transaction that holds the row locked while sending)."""
    with transaction.atomic():
        note = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=notification_id)
            .first()
        )
        if note is None or note.emailed_at is not None or not note.email_wanted:
            return False
        if not note.user.email or not note.user.is_active:
            return False
        message = EmailMultiAlternatives(
            subject=note.subject,
            body=note.body,
            to=[note.user.email],
            headers={"Message-ID": _message_id("notification", note.pk)},
        )
        if note.ics:
            message.attach("tinjauan-lapangan.ics", note.ics, "text/calendar")
        message.send()
        note.emailed_at = timezone.now()
        note.save(update_fields=["emailed_at"])
    return True


def new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, sha256(token.encode()).hexdigest()


@task
def send_invitation_email(invitation_id: int, send_number: int) -> bool:
    """Send the invitation's link. The secret is made here, only its hash is stored, and it
    is never in the queue; a send already done (``emailed_count``) is not repeated."""
    from smartcity.people.notifications import absolute

    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("region", "invited_by")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.emailed_count >= send_number:
            return False
        if invitation.accepted_at or invitation.revoked_at:
            return False
        token, invitation.token_hash = new_token()
        link = absolute(reverse("people:accept", args=[token]))
        with translation.override(invitation.language):
            text = render_to_string(
                "people/email/invitation.txt", {"invitation": invitation, "link": link}
            ).strip()
        subject, _sep, body = text.partition("\n")
        EmailMultiAlternatives(
            subject=subject.strip(),
            body=body.strip(),
            to=[invitation.email],
            headers={"Message-ID": _message_id("invitation", invitation.pk, send_number)},
        ).send()
        invitation.emailed_count = send_number
        invitation.save(update_fields=["token_hash", "emailed_count"])
    return True


@task
def send_plain_email(subject: str, body: str, to: str) -> None:
    """Security mail written during a request (password reset): sent outside it."""
    EmailMultiAlternatives(subject=subject, body=body, to=[to]).send()


@task
def send_deadline_reminders_task() -> int:
    """Daily: reminders 7 days and 1 day before each open self-assessment's deadline."""
    from smartcity.people.notifications import send_deadline_reminders

    return send_deadline_reminders()
