"""The region's side of a field review's attendance list (daftar hadir).

The region adds and removes its own attendees, then confirms the list; after confirmation
(or once the round has moved past review) only the reviewers change it, in the admin.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations.models import Attendee, AttendeeSide, FieldReview, RoundStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import User

ATTENDANCE_LOCKED = _(
    "Daftar hadir sudah dikonfirmasi atau putaran sudah selesai. Hubungi tim penilai bila "
    "perlu perubahan."
)
ATTENDANCE_EMPTY = _("Tambahkan paling sedikit satu peserta dari pemerintah daerah.")

_CLOSED = (RoundStatus.FINALISED, RoundStatus.PUBLISHED)


def attendance_locked(field_review: FieldReview) -> bool:
    return (
        field_review.attendees_confirmed_at is not None
        or field_review.participation.round.status in _CLOSED
    )


def _lock(field_review: FieldReview) -> FieldReview:
    locked = (
        FieldReview.objects.select_for_update(of=("self",))
        .select_related("participation__round")
        .get(pk=field_review.pk)
    )
    if attendance_locked(locked):
        raise ValidationError(ATTENDANCE_LOCKED, code="locked")
    return locked


@transaction.atomic
def attendee_add(
    *,
    field_review: FieldReview,
    by: User,
    name: str,
    position: str = "",
    agency: str = "",
) -> Attendee:
    locked = _lock(field_review)
    attendee = Attendee(
        field_review=locked,
        name=name.strip(),
        position=position.strip(),
        agency=agency.strip(),
        side=AttendeeSide.REGION,
    )
    attendee.full_clean()
    attendee.save()
    return attendee


@transaction.atomic
def attendee_remove(*, attendee: Attendee, by: User) -> None:
    if attendee.side != AttendeeSide.REGION:
        raise ValidationError(ATTENDANCE_LOCKED, code="other_side")
    _lock(attendee.field_review)
    attendee.delete()


@transaction.atomic
def attendees_confirm(*, field_review: FieldReview, by: User) -> FieldReview:
    locked = _lock(field_review)
    if not locked.attendees.filter(side=AttendeeSide.REGION).exists():
        raise ValidationError(ATTENDANCE_EMPTY, code="empty")
    locked.attendees_confirmed_at = timezone.now()
    locked.attendees_confirmed_by = by
    locked.save(update_fields=["attendees_confirmed_at", "attendees_confirmed_by"])
    field_review.attendees_confirmed_at = locked.attendees_confirmed_at
    field_review.attendees_confirmed_by = by
    return locked
