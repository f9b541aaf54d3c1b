"""django-filter filter sets of the city workspace."""

from __future__ import annotations

from typing import Any, cast

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from evaluations.forms.city import ElementChoiceField
from evaluations.models import Dimension, Element, Programme, ProgrammeStatus
from regions.models import Agency


class ElementFilter(django_filters.ModelChoiceFilter):
    field_class = ElementChoiceField  # type: ignore[assignment]  # any ModelChoiceField works


class ProgrammeFilter(django_filters.FilterSet):
    """Filters of the programme register; the queryset given is already region-scoped."""

    q = django_filters.CharFilter(method="search", label=_("Cari"))
    dimension = django_filters.ModelChoiceFilter(
        queryset=Dimension.objects.all(), label=_("Dimensi"), empty_label=_("Semua dimensi")
    )
    element = ElementFilter(
        queryset=Element.objects.select_related("dimension"),
        label=_("Elemen"),
        empty_label=_("Semua elemen"),
    )
    status = django_filters.ChoiceFilter(
        choices=ProgrammeStatus.choices, label=_("Status"), empty_label=_("Semua status")
    )
    agency = django_filters.ModelChoiceFilter(
        queryset=Agency.objects.none(), label=_("OPD"), empty_label=_("Semua OPD")
    )
    is_quick_win = django_filters.ChoiceFilter(
        choices=[("1", _("Hanya quick win")), ("0", _("Bukan quick win"))],
        method="filter_quick_win",
        label=_("Quick win"),
        empty_label=_("Semua"),
    )
    archived = django_filters.ChoiceFilter(
        choices=[("1", _("Diarsipkan")), ("all", _("Semua"))],
        method="filter_archived",
        label=_("Arsip"),
        empty_label=_("Aktif"),
    )

    class Meta:
        model = Programme
        fields = ["q", "dimension", "element", "status", "agency", "is_quick_win", "archived"]

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(django_filters.ModelChoiceFilter, self.filters["agency"]).queryset = agencies
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} {css}-sm")

    def search(self, queryset: QuerySet[Programme], name: str, value: str) -> QuerySet[Programme]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(agency__name__icontains=value)
            | Q(agency__acronym__icontains=value)
        )

    def filter_quick_win(
        self, queryset: QuerySet[Programme], name: str, value: str
    ) -> QuerySet[Programme]:
        return queryset.filter(is_quick_win=(value == "1")) if value in ("0", "1") else queryset

    def filter_archived(
        self, queryset: QuerySet[Programme], name: str, value: str
    ) -> QuerySet[Programme]:
        if value == "1":
            return queryset.filter(archived_at__isnull=False)
        if value == "all":
            return queryset
        return queryset.filter(archived_at__isnull=True)

    def filter_queryset(self, queryset: QuerySet[Programme]) -> QuerySet[Programme]:
        queryset = super().filter_queryset(queryset)
        # With no "archived" choice filter_archived never runs (django-filter skips empty
        # values): the register then shows active programmes only. Views always bind the
        # filter set (``ProgrammeFilter(request.GET, ...)``) so that this method runs.
        if not self.form.cleaned_data.get("archived"):
            queryset = queryset.filter(archived_at__isnull=True)
        return queryset
