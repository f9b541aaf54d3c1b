"""Field reviews (tinjauan lapangan): scheduling the visit and its default two-day agenda.

The panel (any member) or a manager records a participation's field review while its
round is open; once the round is finalised the record (and the minutes built from it) is
frozen with the results, like the scores.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from evaluations.models import (
    AgendaItem,
    Dimension,
    FieldReview,
    Participation,
    ReviewMode,
    RoundStatus,
)
from evaluations.roles import is_manager
from smartcity.people import notifications

NOT_ON_PANEL = _("Hanya panel penilai peserta ini atau pengelola putaran yang dapat mengubahnya.")
FIELD_REVIEW_LOCKED = _(
    "Tinjauan lapangan tidak dapat diubah: putaran masih draf atau sudah difinalisasi."
)
DATES_ORDER = _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
AGENDA_NOT_EMPTY = _("Agenda sudah berisi kegiatan; hapus dulu bila ingin membuat ulang.")

OPEN_STATUSES = (RoundStatus.SELF_ASSESSMENT, RoundStatus.REVIEW)


def can_edit_field_review(user: User, participation: Participation) -> bool:
    """Panel members and managers, while the round is open. Reads ``participation.round``."""
    if participation.round.status not in OPEN_STATUSES:
        return False
    return is_manager(user) or participation.panel.filter(reviewer=user).exists()


def _check(user: User, participation: Participation) -> None:
    if not is_manager(user) and not participation.panel.filter(reviewer=user).exists():
        raise PermissionDenied(NOT_ON_PANEL)
    if participation.round.status not in OPEN_STATUSES:
        raise ValidationError(FIELD_REVIEW_LOCKED, code="locked")


@transaction.atomic
def field_review_schedule(
    *,
    participation: Participation,
    by: User,
    mode: str,
    start_date: date,
    end_date: date,
    location: str = "",
    minutes: str | None = None,
) -> FieldReview:
    """Create or reschedule the participation's field review; the panel are its reviewers."""
    _check(by, participation)
    if end_date < start_date:
        raise ValidationError(DATES_ORDER, code="dates")
    if mode not in ReviewMode.values:
        raise ValidationError(_("Moda tinjauan tidak dikenal."), code="mode")
    review, created = FieldReview.objects.select_for_update().get_or_create(
        participation=participation,
        defaults={"mode": mode, "start_date": start_date, "end_date": end_date},
    )
    before = (review.mode, review.location, review.start_date, review.end_date)
    review.mode = mode
    review.location = location.strip()
    review.start_date = start_date
    review.end_date = end_date
    if minutes is not None:
        review.minutes = minutes
    review.save()
    review.reviewers.set(participation.panel.values_list("reviewer", flat=True))
    if created or before != (review.mode, review.location, review.start_date, review.end_date):
        notifications.notify_field_review(review, moved=not created)
    return review


@transaction.atomic
def field_review_default_agenda(*, field_review: FieldReview, by: User) -> int:
    """Fill an empty agenda with the usual two days; returns the number of items.

    Day 1: opening, the regional secretary's (Sekda) presentation of achievements, then a
    discussion of achievements and obstacles per dimension. Day 2: a visit per dimension,
    then the minutes are drafted and signed. Every item stays editable.
    """
    _check(by, field_review.participation)
    if field_review.agenda.exists():
        raise ValidationError(AGENDA_NOT_EMPTY, code="not_empty")
    dimensions = list(Dimension.objects.order_by("order", "code"))
    items: list[AgendaItem] = []

    def add(
        day: int, start: tuple[int, int], end: tuple[int, int], activity: str, **kw: Any
    ) -> None:
        items.append(
            AgendaItem(
                field_review=field_review,
                day=day,
                start_time=time(*start),
                end_time=time(*end),
                activity=activity,
                **kw,
            )
        )

    add(1, (8, 30), (9, 0), gettext("Pembukaan dan perkenalan tim penilai"))
    add(
        1,
        (9, 0),
        (10, 0),
        gettext("Pemaparan capaian Smart City oleh Sekretaris Daerah"),
    )
    # Six 45-minute discussions from 10:00, with a lunch break after the third.
    slots = [(10, 0), (10, 45), (11, 30), (13, 15), (14, 0), (14, 45)]
    for dim, (hour, minute) in zip(dimensions, slots, strict=False):
        end_minutes = hour * 60 + minute + 45
        add(
            1,
            (hour, minute),
            divmod(end_minutes, 60),
            gettext("Diskusi %(dimension)s: capaian dan kendala") % {"dimension": dim.name},
            dimension=dim,
        )
    add(1, (12, 15), (13, 15), gettext("Istirahat"))
    add(1, (15, 30), (16, 0), gettext("Rangkuman hari pertama"))
    visits = [(8, 0), (9, 0), (10, 0), (11, 0), (13, 0), (14, 0)]
    for dim, (hour, minute) in zip(dimensions, visits, strict=False):
        add(
            2,
            (hour, minute),
            (hour + 1, minute),
            gettext("Kunjungan lapangan %(dimension)s") % {"dimension": dim.name},
            dimension=dim,
        )
    add(2, (12, 0), (13, 0), gettext("Istirahat"))
    add(2, (15, 0), (16, 0), gettext("Penyusunan dan penandatanganan berita acara"))
    AgendaItem.objects.bulk_create(items)
    return len(items)


@transaction.atomic
def field_review_section_save(
    *, field_review: FieldReview, formset: BaseInlineFormSet, by: User
) -> None:
    """Save a validated formset of the field review's agenda, attendees or findings, all
    rows or none."""
    _check(by, field_review.participation)
    if formset.instance.pk != field_review.pk:
        raise ValueError("The formset belongs to another field review.")
    formset.save()
