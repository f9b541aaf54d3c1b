"""Filters and sorting of a published round's national ranking (plain GET query strings).

``?province=jawa-barat&kind=kota&cohort=2017&band=Baik&sort=-index`` works without
JavaScript; an unknown value is reported on the form and ignored, never a server error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import django_filters
from django import forms
from django.db.models import F, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from evaluations.models import ComponentCode, DimensionCode, Result, Round
from regions.models import Cohort, Province, RegionKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Public sort keys → the column they order by (a leading "-" in the query string reverses).
SORT_FIELDS: dict[str, str] = {
    "rank": "national_rank",
    "region": "participation__region__name",
    "province": "participation__region__province__name",
    "kind": "participation__region__kind",
    "index": "index",
    "change": "public_index_change",
    "rank_change": "public_rank_change",
    **{code: f"score_{code}" for code in ComponentCode.values},
    **{code: f"score_{code}" for code in DimensionCode.values},
}

# The sort menu's labels, lazy so that they follow the reader's language (django-filter's own
# labels are the field names in English, frozen in the language active at import).
SORT_LABELS: dict[str, StrOrPromise] = {
    "rank": _("Peringkat nasional"),
    "region": _("Wilayah"),
    "province": _("Provinsi"),
    "kind": _("Jenis"),
    "index": _("Indeks"),
    "change": _("Perubahan indeks"),
    "rank_change": _("Perubahan peringkat"),
    **dict(ComponentCode.choices),
    **dict(DimensionCode.choices),
}
# django-filter looks ascending labels up by model field, descending ones by "-<sort key>".
SORT_CHOICE_LABELS: dict[str, StrOrPromise] = {
    **{SORT_FIELDS[key]: label for key, label in SORT_LABELS.items()},
    **{
        f"-{key}": format_lazy(_("{label} (menurun)"), label=label)
        for key, label in SORT_LABELS.items()
    },
}

# Columns whose natural reading order is "best first": a first click sorts them descending.
DESCENDING_FIRST = {"index", "change", "rank_change", *ComponentCode.values, *DimensionCode.values}


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Ordering with missing values (no previous round) last in both directions, the same on
    SQLite and PostgreSQL, and ties broken by national rank then region name."""

    def get_ordering_value(self, param: str) -> Any:
        descending = param.startswith("-")
        field = cast(dict[str, str], self.param_map)[param.lstrip("-")]  # set in __init__
        expr = F(field)
        return expr.desc(nulls_last=True) if descending else expr.asc(nulls_last=True)

    def filter(self, qs: QuerySet, value: list[str] | None) -> QuerySet:
        if not value:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        return qs.order_by(*ordering, "national_rank", "participation__region__name")


class PublicResultFilter(django_filters.FilterSet):
    """The national table's filters; choices come from the round being shown."""

    province = django_filters.ModelChoiceFilter(
        label=_("Provinsi"),
        field_name="participation__region__province",
        to_field_name="slug",
        queryset=Province.objects.none(),
        empty_label=_("Semua provinsi"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Jenis"),
        field_name="participation__region__kind",
        choices=RegionKind.choices,
        empty_label=_("Kota dan kabupaten"),
    )
    cohort = django_filters.ChoiceFilter(
        label=_("Angkatan"),
        field_name="cohort_year",
        choices=[],
        empty_label=_("Semua angkatan"),
    )
    band = django_filters.ChoiceFilter(
        label=_("Predikat"),
        field_name="rating_band",
        choices=[],
        empty_label=_("Semua predikat"),
    )
    sort = NullsLastOrderingFilter(
        label=_("Urutkan"),
        fields=[(field, key) for key, field in SORT_FIELDS.items()],
        field_labels=SORT_CHOICE_LABELS,
        empty_label=_("Peringkat nasional"),
    )

    class Meta:
        model = Result
        fields: list[str] = []

    def __init__(self, data: Any = None, *, queryset: QuerySet, round_: Round, bands: list) -> None:
        super().__init__(data, queryset=queryset)
        cast(django_filters.ModelChoiceFilter, self.filters["province"]).queryset = (
            Province.objects.filter(regions__participations__round=round_)
            .distinct()
            .order_by("name")
        )
        self.filters["cohort"].extra["choices"] = [
            (str(c.year), c.name) for c in Cohort.objects.order_by("year")
        ]
        self.filters["band"].extra["choices"] = [(b.name, b.name_i18n) for b in bands]

    @property
    def form(self) -> forms.Form:
        form = super().form
        for name, field in form.fields.items():
            field.widget.attrs.setdefault("class", "form-select form-select-sm")
            if name in form.errors:
                field.widget.attrs["aria-invalid"] = "true"
                field.widget.attrs["aria-describedby"] = f"id_{name}-error"
        return form

    @property
    def active(self) -> bool:
        """True when at least one filter (not sorting) narrows the table."""
        if not self.is_bound or not self.is_valid():
            return False
        return any(v for k, v in self.form.cleaned_data.items() if k != "sort")
