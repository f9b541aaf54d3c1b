"""Pieces shared by the evaluation admin screens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import ForeignKey, Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from evaluations import trust
from evaluations.roles import MANAGER_GROUP, REVIEWER_GROUP


def kominfo_users() -> QuerySet[User]:
    """Users who can sit on a panel or score: reviewers and round managers."""
    return (
        User.objects.filter(
            Q(groups__name__in=(REVIEWER_GROUP, MANAGER_GROUP)) | Q(is_superuser=True),
            is_active=True,
        )
        .distinct()
        .order_by("username")
    )


class CachedChoicesMixin:
    """Render the choices of ``cached_choice_fields`` once per request.

    A select in an inline row runs its own query per row; with 40 indicator rows that is
    80 queries for two small lists. The choices are the same for every row, so they are
    built once and reused (validation still checks the submitted value against the
    queryset). These are small reference lists, so the rows also drop the add/change/
    delete/view icons next to each select: nobody edits a dimension from an indicator row.
    """

    cached_choice_fields: tuple[str, ...] = ()

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]  # a ModelAdmin mixin
        if formfield is not None and db_field.name in self.cached_choice_fields:
            cache: dict = request.__dict__.setdefault("_admin_choices", {})
            key = (db_field.model, db_field.name)
            if key not in cache:
                cache[key] = list(formfield.choices)
            formfield.choices = cache[key]
            # The admin wraps the select (add/change links); give the inner widget the list.
            widget = formfield.widget
            while hasattr(widget, "widget"):
                for link in ("add", "change", "delete", "view"):
                    setattr(widget, f"can_{link}_related", False)
                widget = widget.widget
                widget.choices = cache[key]
        return formfield


class ReadOnlyAdminMixin:
    """Readable by whoever may view it; nobody adds, edits or deletes rows by hand.

    For records that services write (results, publications, round events): a published
    figure must never change through a form.
    """

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True


class HistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's admin, where restoring an old version is a change like any other.

    simple_history saves a form posted to a history record's page ("revert") for anyone who
    may merely *view* the history: a reviewer with view rights could overwrite a colleague's
    score, and a read-only result could be rewritten. Restoring therefore needs the right to
    change the row; a model whose rows only services may write sets ``history_revert = False``.
    """

    history_revert = True

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method == "POST" and not (
            self.history_revert and self.has_change_permission(request)
        ):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Hide the button too where restoring is refused.
        if not (self.history_revert and self.has_change_permission(request, obj)):
            return True
        return super().revert_disabled(request, obj)


class GuardedAdminMixin:
    """Rows the database guards (``evaluations.trust``) are read-only in the admin.

    A guarded row's change page becomes a view page and its delete page is refused;
    "delete selected" skips guarded rows with a message instead of failing in the
    database. Subclasses say which rows are guarded with :meth:`guarded`.
    """

    guarded_message: Any = trust.ROUND_CLOSED

    def guarded(self) -> Q:
        raise NotImplementedError

    def _is_guarded(self, obj: Model) -> bool:
        return type(obj)._default_manager.filter(self.guarded(), pk=obj.pk).exists()

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if obj is not None and obj.pk is not None and self._is_guarded(obj):
            return False
        return super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if obj is not None and obj.pk is not None and self._is_guarded(obj):
            return False
        return super().has_delete_permission(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        guarded = queryset.filter(self.guarded())
        if guarded.exists():
            messages.error(request, self.guarded_message)
            queryset = queryset.exclude(pk__in=guarded.values("pk"))
        super().delete_queryset(request, queryset)  # type: ignore[misc]


class GuardedInlineMixin:
    """An inline whose parent is guarded offers no add, change or delete."""

    def parent_guarded(self, obj: Any) -> bool:
        raise NotImplementedError

    def _guarded(self, obj: Model | None) -> bool:
        return obj is not None and obj.pk is not None and self.parent_guarded(obj)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return not self._guarded(obj) and super().has_add_permission(request, obj)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return not self._guarded(obj) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return not self._guarded(obj) and super().has_delete_permission(request, obj)  # type: ignore[misc]


CLOSED_STATUSES = ("finalised", "published")


def closed_round(prefix: str) -> Q:
    """Rows of a finalised or published round (``prefix`` leads to the round)."""
    return Q(**{f"{prefix}__status__in": CLOSED_STATUSES})


def frozen_instrument(prefix: str) -> Q:
    """Rows of an instrument used by a round that has left draft."""
    from evaluations.models import Round, RoundStatus

    used = Round.objects.exclude(status=RoundStatus.DRAFT).values("instrument_id")
    return Q(**{f"{prefix}__in": used})
