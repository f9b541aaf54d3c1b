"""Round lifecycle actions for the admin's round list.

Each action calls ``evaluations.services.rounds`` for every selected round, so the admin
follows exactly the rules of the manager pages (and records the same RoundEvents); a round
the rule refuses is reported by name with the reason, the others proceed. Re-opening asks
for the reason on an intermediate page. Adding participants by cohort or province happens
on the manager page, to which an action leads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from evaluations.models import Round
from evaluations.roles import is_manager
from evaluations.services import rounds as svc
from smartcity.http import AuthenticatedHttpRequest

if TYPE_CHECKING:  # django-stubs is a development dependency
    from django_stubs_ext import StrOrPromise


def _run(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[Round],
    step: Callable[[Round], Any],
    done: str,
) -> None:
    if not is_manager(request.user):
        raise PermissionDenied
    for round_ in queryset.select_related("instrument"):
        try:
            step(round_)
        except ValidationError as exc:
            for message in exc.messages:
                modeladmin.message_user(request, f"{round_.name}: {message}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"{round_.name}: {done}", messages.SUCCESS)


def _lifecycle_action(
    name: str, step: Callable[..., Any], description: StrOrPromise, done: StrOrPromise
) -> Callable[[admin.ModelAdmin, AuthenticatedHttpRequest, QuerySet[Round]], None]:
    """An admin action running one lifecycle service (``step(round=..., by=...)``) on every
    selected round; ``done`` is said after each round's name when it succeeds."""

    def action(
        modeladmin: admin.ModelAdmin, request: AuthenticatedHttpRequest, queryset: QuerySet[Round]
    ) -> None:
        _run(modeladmin, request, queryset, lambda r: step(round=r, by=request.user), str(done))

    # The admin names an action by its function's name (the POSTed "action" value).
    action.__name__ = action.__qualname__ = name
    return admin.action(description=description)(action)


open_self_assessment = _lifecycle_action(
    "open_self_assessment",
    svc.round_open_self_assessment,
    _("Buka penilaian mandiri"),
    _("penilaian mandiri dibuka."),
)
start_review = _lifecycle_action(
    "start_review",
    svc.round_start_review,
    _("Mulai tahap penilaian (kunci penilaian mandiri)"),
    _("tahap penilaian dimulai."),
)
finalise = _lifecycle_action(
    "finalise",
    svc.round_finalise,
    _("Finalisasi dan hitung hasil"),
    _("difinalisasi, hasil dihitung."),
)
publish = _lifecycle_action(
    "publish", svc.round_publish, _("Publikasikan hasil"), _("hasil dipublikasikan.")
)


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan membuka kembali"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        max_length=4000,
    )


@admin.action(description=_("Buka kembali untuk penilaian (dengan alasan)"))
def reopen(
    modeladmin: admin.ModelAdmin, request: AuthenticatedHttpRequest, queryset: QuerySet[Round]
) -> HttpResponse | None:
    """Asks for the reason first (an intermediate page), then re-opens the selected rounds."""
    if not is_manager(request.user):
        raise PermissionDenied
    form = ReopenForm(request.POST if "confirm" in request.POST else None)
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        _run(
            modeladmin,
            request,
            queryset,
            lambda r: svc.round_reopen(round=r, by=request.user, reason=reason),
            gettext("dibuka kembali untuk penilaian."),
        )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": gettext("Buka kembali putaran"),
        "rounds": queryset,
        "form": form,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
    }
    return TemplateResponse(request, "evaluations/reviewer/admin/reopen.html", context)


@admin.action(description=_("Kelola peserta dan panel di halaman pengelola"))
def manage_participants(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Round]
) -> HttpResponse | None:
    """Add regions by cohort, province or one by one, and seat panels, on the manager page."""
    if queryset.count() != 1:
        modeladmin.message_user(request, gettext("Pilih satu putaran."), messages.WARNING)
        return None
    return HttpResponseRedirect(reverse("reviewer:round", args=[queryset.get().slug]))


ROUND_ACTIONS = [
    open_self_assessment,
    start_review,
    finalise,
    publish,
    reopen,
    manage_participants,
]
