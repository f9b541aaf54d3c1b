"""What the portal tells people, and when.

Each ``notify_*`` hook is called with one line from the evaluation service that made the
event happen (no signals), inside its transaction: the inbox entries are written with the
event, and the e-mails are queued only once it commits (``smartcity.people.tasks``).
Every message is written in its reader's language (``Profile.language``). The same event
never reaches a person twice: ``Notification.event_key`` is unique per person.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from regions.models import MembershipRole, RegionMembership
from smartcity.people.ics import field_review_calendar
from smartcity.people.models import Notification, NotificationKind, Profile

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from evaluations.models import (
        FieldReview,
        Participation,
        Publication,
        ReviewerAssignment,
        Round,
    )

REMINDER_DAYS = (7, 1)


def absolute(path: str) -> str:
    """A link for an e-mail: the portal's public address (``PORTAL_URL``) and the path."""
    return settings.PORTAL_URL.rstrip("/") + path


def _language(user: Any) -> str:
    try:
        return user.profile.language
    except Profile.DoesNotExist:
        return settings.LANGUAGE_CODE


def _muted(user: Any) -> list[str]:
    try:
        return list(user.profile.muted_kinds)
    except Profile.DoesNotExist:
        return []


def notify(
    *,
    users: Iterable[User],
    kind: str,
    event_key: str,
    template: str,
    context: dict[str, Any],
    url: str = "",
    ics: str = "",
) -> list[Notification]:
    """Write one inbox entry per person (in their language) and queue the e-mails.

    ``template`` names ``people/email/<template>.txt``: its first line is the subject, the
    rest the body. A person who already has ``event_key`` is skipped.
    """
    created: list[Notification] = []
    seen: set[int] = set()
    for user in users:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        with translation.override(_language(user)):
            text = render_to_string(
                f"people/email/{template}.txt",
                {**context, "user": user, "link": absolute(url) if url else ""},
            ).strip()
        subject, _sep, body = text.partition("\n")
        wanted = kind == NotificationKind.SECURITY or kind not in _muted(user)
        try:
            with transaction.atomic():
                note = Notification.objects.create(
                    user=user,
                    kind=kind,
                    event_key=event_key[:120],
                    subject=subject.strip()[:200],
                    body=body.strip(),
                    url=url,
                    ics=ics,
                    email_wanted=wanted and bool(user.email),
                )
        except IntegrityError:  # this person was already told of this event
            continue
        created.append(note)
    _queue_emails(created)
    return created


def _queue_emails(notes: list[Notification]) -> None:
    """One e-mail task per notice whose reader wants e-mail, queued once the transaction
    that wrote the notices commits (a rolled-back notice is never mailed)."""
    ids = [n.pk for n in notes if n.email_wanted]
    if not ids:
        return
    from smartcity.people.tasks import send_notification_email

    def queue() -> None:
        for pk in ids:
            send_notification_email.enqueue(pk)

    transaction.on_commit(queue)


def notify_many(
    *,
    messages: Iterable[tuple[Iterable[User], str, dict[str, Any], str]],
    kind: str,
    template: str,
) -> list[Notification]:
    """:func:`notify` for many events of one kind at once: ``messages`` are
    ``(users, event_key, context, url)``. One query for the people already told, one
    insert for all the entries (a national round's 514 regions would otherwise cost about
    2,000 round trips); the same entries, e-mails and skips as one ``notify`` per message.
    """
    pending: list[tuple[Any, str, dict[str, Any], str]] = []
    for users, event_key, context, url in messages:
        seen: set[int] = set()
        for user in users:
            if user.pk in seen or not user.is_active:
                continue
            seen.add(user.pk)
            pending.append((user, event_key[:120], context, url))
    if not pending:
        return []
    told = set(
        Notification.objects.filter(
            event_key__in={key for _user, key, _context, _url in pending},
            user_id__in={user.pk for user, _key, _context, _url in pending},
        ).values_list("user_id", "event_key")
    )
    entries: list[Notification] = []
    contexts: list[dict[str, Any]] = []
    for user, event_key, context, url in pending:
        if (user.pk, event_key) in told:
            continue
        with translation.override(_language(user)):
            text = render_to_string(
                f"people/email/{template}.txt",
                {**context, "user": user, "link": absolute(url) if url else ""},
            ).strip()
        subject, _sep, body = text.partition("\n")
        wanted = kind == NotificationKind.SECURITY or kind not in _muted(user)
        entries.append(
            Notification(
                user=user,
                kind=kind,
                event_key=event_key,
                subject=subject.strip()[:200],
                body=body.strip(),
                url=url,
                email_wanted=wanted and bool(user.email),
            )
        )
        contexts.append(context)
    try:
        with transaction.atomic():
            created = Notification.objects.bulk_create(entries)
    except IntegrityError:
        # Someone was told of one of these events meanwhile: one at a time, skipping them.
        created = []
        for entry, context in zip(entries, contexts, strict=True):
            created += notify(
                users=[entry.user],
                kind=kind,
                event_key=entry.event_key,
                template=template,
                context=context,
                url=entry.url,
            )
        return created
    _queue_emails(created)
    return created


# --- Who is told ----------------------------------------------------------------------------


def _users() -> Any:
    return get_user_model().objects.filter(is_active=True).select_related("profile")


def region_staff(region_id: int) -> Any:
    return _users().filter(region_memberships__region_id=region_id).distinct()


def region_coordinators(region_id: int) -> Any:
    return _users().filter(
        region_memberships__region_id=region_id,
        region_memberships__role=MembershipRole.COORDINATOR,
    )


def panel_members(participation: Participation) -> Any:
    return _users().filter(assignments__participation=participation)


# --- Hooks called by the evaluation services ---------------------------------------------


def notify_self_assessment_opened(round_: Round) -> None:
    participations = round_.participations.filter(excluded=False).select_related("region")
    for participation in participations:
        region = participation.region
        notify(
            users=region_staff(region.pk),
            kind=NotificationKind.SELF_ASSESSMENT_OPENED,
            event_key=f"opened:{participation.pk}",
            template="self_assessment_opened",
            context={"round": round_, "region": region},
            url=reverse("city:self_assessment", args=[region.slug, round_.slug]),
        )


def notify_submitted(participation: Participation, *, by: User) -> None:
    """The receipt to the submitter and the coordinators; the panel is told it arrived."""
    region = participation.region
    round_ = participation.round
    stamp = f"{participation.pk}:{participation.submitted_at:%Y%m%d%H%M%S%f}"
    answers = participation.answers.count()
    evidence = participation.answers.filter(evidence__isnull=False).distinct().count()
    context = {
        "round": round_,
        "region": region,
        "submitted_at": participation.submitted_at,
        "submitted_by": by,
        "answers": answers,
        "evidence": evidence,
    }
    notify(
        users=[by, *region_coordinators(region.pk)],
        kind=NotificationKind.SUBMISSION_RECEIPT,
        event_key=f"receipt:{stamp}",
        template="submission_receipt",
        context=context,
        url=reverse("city:self_assessment", args=[region.slug, round_.slug]),
    )
    notify(
        users=panel_members(participation),
        kind=NotificationKind.SUBMISSION_TO_PANEL,
        event_key=f"submitted:{stamp}",
        template="submission_to_panel",
        context=context,
        url=reverse("reviewer:participation", args=[participation.pk]),
    )


def notify_returned(participation: Participation, *, by: User) -> None:
    region = participation.region
    round_ = participation.round
    notify(
        users=region_staff(region.pk),
        kind=NotificationKind.RETURNED,
        event_key=f"returned:{participation.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
        template="returned",
        context={"round": round_, "region": region, "reason": participation.return_comment},
        url=reverse("city:self_assessment", args=[region.slug, round_.slug]),
    )


def notify_panel_seat(assignment: ReviewerAssignment, *, given: bool) -> None:
    participation = assignment.participation
    notify(
        users=[assignment.reviewer],
        kind=NotificationKind.PANEL_SEAT,
        event_key=(
            f"seat:{'given' if given else 'removed'}:{participation.pk}:"
            f"{timezone.now():%Y%m%d%H%M%S%f}"
        ),
        template="panel_seat_given" if given else "panel_seat_removed",
        context={
            "round": participation.round,
            "region": participation.region,
            "lead": assignment.is_lead,
        },
        url=reverse("reviewer:participation", args=[participation.pk]) if given else "",
    )


def notify_field_review(review: FieldReview, *, moved: bool) -> None:
    """City staff and the panel, each with the same calendar entry (its sequence grows with
    every move, so calendars update the event instead of adding a second one)."""
    participation = review.participation
    region = participation.region
    stamp = f"{review.start_date:%Y%m%d}-{review.end_date:%Y%m%d}-{review.mode}-{review.location}"
    sequence = int(timezone.now().timestamp())
    context = {
        "round": participation.round,
        "region": region,
        "review": review,
        "moved": moved,
    }
    staff_ics = field_review_calendar(
        review,
        sequence=sequence,
        url=absolute(reverse("city:field_review_list", args=[region.slug])),
    )
    notify(
        users=region_staff(region.pk),
        kind=NotificationKind.FIELD_REVIEW,
        event_key=f"field:{review.pk}:{stamp}",
        template="field_review",
        context=context,
        url=reverse("city:field_review_list", args=[region.slug]),
        ics=staff_ics,
    )
    panel_url = reverse("reviewer:field_review", args=[participation.pk])
    notify(
        users=panel_members(participation),
        kind=NotificationKind.FIELD_REVIEW,
        event_key=f"field:{review.pk}:{stamp}",
        template="field_review",
        context=context,
        url=panel_url,
        ics=field_review_calendar(review, sequence=sequence, url=absolute(panel_url)),
    )


def notify_results_published(round_: Round, publication: Publication) -> None:
    participations = list(
        round_.participations.filter(excluded=False).select_related("region").order_by("pk")
    )
    staff: dict[int, list[Any]] = {}
    for membership in (
        RegionMembership.objects.filter(
            region_id__in=[p.region_id for p in participations], user__is_active=True
        )
        .select_related("user__profile")
        .order_by("pk")
    ):
        staff.setdefault(membership.region_id, []).append(membership.user)
    notify_many(
        kind=NotificationKind.RESULTS_PUBLISHED,
        template="results_published",
        messages=[
            (
                staff.get(participation.region_id, []),
                f"results:{publication.pk}:{participation.pk}",
                {
                    "round": round_,
                    "region": participation.region,
                    "profile_link": absolute(
                        reverse("public:region", args=[participation.region.slug])
                    ),
                    "results_link": absolute(
                        reverse("city:result_list", args=[participation.region.slug])
                    ),
                },
                reverse("city:result_detail", args=[participation.region.slug, round_.slug]),
            )
            for participation in participations
        ],
    )


def send_deadline_reminders(*, today: date | None = None) -> int:
    """Remind regions that have not submitted, 7 days and 1 day before the deadline.

    Safe to run any number of times a day: each reminder has its own event key.
    """
    from evaluations.models import Participation, RoundStatus, SelfAssessmentStatus

    today = today or timezone.localdate()
    deadlines = {today + timedelta(days=d): d for d in REMINDER_DAYS}
    pending = (
        Participation.objects.filter(
            round__status=RoundStatus.SELF_ASSESSMENT,
            round__self_assessment_closes__in=list(deadlines),
            excluded=False,
        )
        .exclude(self_assessment_status=SelfAssessmentStatus.SUBMITTED)
        .select_related("round", "region")
    )
    sent = 0
    for participation in pending:
        round_ = participation.round
        days = deadlines[round_.self_assessment_closes]
        with transaction.atomic():
            sent += len(
                notify(
                    users=region_staff(participation.region_id),
                    kind=NotificationKind.DEADLINE_REMINDER,
                    event_key=f"reminder:{participation.pk}:{days}",
                    template="deadline_reminder",
                    context={"round": round_, "region": participation.region, "days": days},
                    url=reverse(
                        "city:self_assessment", args=[participation.region.slug, round_.slug]
                    ),
                )
            )
    return sent


def notify_security(user: User, *, template: str, event_key: str, **context: Any) -> None:
    """Mail about the account itself (password changed, second factor reset): always sent."""
    notify(
        users=[user],
        kind=NotificationKind.SECURITY,
        event_key=event_key,
        template=template,
        context=context,
        url=reverse("people:security"),
    )
