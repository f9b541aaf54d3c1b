"""Kominfo roles: round managers and reviewers are Django groups with fixed names.

City Diskominfo staff are not a group: their rights come from ``RegionMembership``.
"""

from __future__ import annotations

from typing import Any, TypeGuard

from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.contrib.auth.models import User as AuthUser

MANAGER_GROUP = "round_manager"
REVIEWER_GROUP = "reviewer"

# Admin permissions per group. Managers keep the reference data and rounds. Reviewers only
# read reference data there: the admin does not know panels, so anything that belongs to a
# participation (answers, evidence, scores, results, field reviews) is reached through the
# reviewer pages, which evaluations.access scopes to the reviewer's own panels.
_MANAGER_APPS = ("regions", "evaluations")
_REVIEWER_VIEW_MODELS = (
    "province",
    "region",
    "cohort",
    "cohortmembership",
    "digitalgovernmentindex",
    "award",
    "dimension",
    "element",
    "instrument",
    "indicator",
    "ratingband",
    "round",
)

User = AuthUser | AnonymousUser


def _in_group(user: User, name: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    # Cache on the user object: templates and access checks ask several times per request.
    cache: dict[str, bool] = user.__dict__.setdefault("_smartcity_groups", {})
    if name not in cache:
        cache[name] = user.groups.filter(name=name).exists()
    return cache[name]


def is_manager(user: User) -> TypeGuard[AuthUser]:
    """Round managers define instruments and rounds, assign panels, finalise and publish."""
    return bool(user.is_authenticated and user.is_active and user.is_superuser) or _in_group(
        user, MANAGER_GROUP
    )


def is_reviewer(user: User) -> TypeGuard[AuthUser]:
    """Kominfo reviewers score the participations they are assigned to."""
    return _in_group(user, REVIEWER_GROUP) or is_manager(user)


def ensure_groups(**kwargs: Any) -> None:
    """Create the two groups with their admin permissions (idempotent)."""
    manager, _ = Group.objects.get_or_create(name=MANAGER_GROUP)
    reviewer, _ = Group.objects.get_or_create(name=REVIEWER_GROUP)
    app_perms = Permission.objects.filter(content_type__app_label__in=_MANAGER_APPS)
    # Managers pick users (a region's staff) through the admin's user search, which Django
    # only answers for those who may view users.
    view_users = Permission.objects.filter(content_type__app_label="auth", codename="view_user")
    manager.permissions.set(app_perms | view_users)
    reviewer.permissions.set(
        app_perms.filter(
            codename__startswith="view_", content_type__model__in=_REVIEWER_VIEW_MODELS
        )
    )
