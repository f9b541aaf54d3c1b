"""Admin for the instrument: dimensions and elements, instruments, indicators, rating bands."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.db.models import Count, Field, ForeignKey, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from evaluations import trust
from evaluations.admin.base import (
    CachedChoicesMixin,
    GuardedAdminMixin,
    GuardedInlineMixin,
    frozen_instrument,
)
from evaluations.models import Dimension, Element, Indicator, Instrument, RatingBand
from evaluations.services.instruments import instrument_duplicate

DUPLICATED = _("Versi draf baru dibuat: %(code)s. Ubah bobot dan indikatornya di sana.")


class FrozenInlineMixin(GuardedInlineMixin):
    def parent_guarded(self, obj: Instrument) -> bool:
        return obj.is_frozen


class FrozenInstrumentPartMixin(GuardedAdminMixin):
    """Indicators and bands of a frozen instrument: read-only; new ones only for drafts."""

    guarded_message = trust.INSTRUMENT_FROZEN

    def guarded(self) -> Q:
        return frozen_instrument("instrument_id")

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField | None:
        if db_field.name == "instrument":
            kwargs["queryset"] = Instrument.objects.exclude(frozen_instrument("pk"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]  # a ModelAdmin mixin


class ElementInline(admin.TabularInline):
    model = Element
    extra = 0
    fields = ["order", "code", "name", "description", "name_en", "description_en"]

    def formfield_for_dbfield(
        self, db_field: Field, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if db_field.name in ("description", "description_en"):
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 60})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin):
    list_display = ["order", "code", "name", "element_count"]
    list_display_links = ["code", "name"]
    search_fields = ["code", "name", "description"]
    ordering = ["order", "code"]
    inlines = [ElementInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Dimension]:
        return super().get_queryset(request).annotate(_element_count=Count("elements"))

    @admin.display(description=_("jumlah elemen"), ordering="_element_count")
    def element_count(self, obj: Dimension) -> int:
        return obj._element_count  # type: ignore[attr-defined]  # annotated by get_queryset


@admin.register(Element)
class ElementAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "dimension", "order"]
    list_filter = ["dimension"]
    list_select_related = ["dimension"]
    search_fields = ["code", "name", "description"]


class RatingBandInline(FrozenInlineMixin, admin.TabularInline):
    model = RatingBand
    extra = 0
    fields = ["name", "name_en", "min_index"]
    ordering = ["-min_index"]


class IndicatorInline(FrozenInlineMixin, CachedChoicesMixin, admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["order", "code", "name", "component", "dimension", "element", "weight"]
    # Level descriptors are edited on the indicator's own page (the change link).
    show_change_link = True
    cached_choice_fields = ("dimension", "element")
    ordering = ["order", "code"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Indicator]:
        return super().get_queryset(request).select_related("dimension", "element")

    def formfield_for_dbfield(
        self, db_field: Field, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if db_field.name == "name":
            kwargs["widget"] = forms.TextInput(attrs={"size": 36})
        elif db_field.name == "code":
            kwargs["widget"] = forms.TextInput(attrs={"size": 8})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Instrument)
class InstrumentAdmin(GuardedAdminMixin, admin.ModelAdmin):
    """A frozen instrument version (used by a round that left draft) is read-only here, as
    in the database; "duplicate" makes an editable draft version of it."""

    guarded_message = trust.INSTRUMENT_FROZEN
    actions = ["duplicate_as_draft"]
    list_display = [
        "code",
        "name",
        "year",
        "is_default",
        "weights",
        "indicator_count",
        "round_count",
    ]
    list_filter = ["is_default", "year"]
    search_fields = ["code", "name", "description"]
    prepopulated_fields = {"code": ["name"]}
    inlines = [RatingBandInline, IndicatorInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "year", "is_default", "description"]}),
        (_("Bahasa Inggris"), {"fields": ["name_en", "description_en"]}),
        (
            _("Bobot komponen (%)"),
            {
                "description": _("Bobot kelima komponen dijumlahkan harus tepat 100%."),
                "fields": [
                    (
                        "weight_baseline",
                        "weight_output",
                        "weight_outcome",
                        "weight_impact",
                        "weight_quick_win",
                    )
                ],
            },
        ),
    ]

    def guarded(self) -> Q:
        return frozen_instrument("pk")

    @admin.action(description=_("Salin menjadi versi draf baru"), permissions=["add"])
    def duplicate_as_draft(self, request: HttpRequest, queryset: QuerySet[Instrument]) -> None:
        for instrument in queryset:
            copy = instrument_duplicate(
                instrument=instrument,
                by=cast(User, request.user),  # signed-in staff only
            )
            messages.success(request, DUPLICATED % {"code": copy.code})

    def get_queryset(self, request: HttpRequest) -> QuerySet[Instrument]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                _indicator_count=Count("indicators", distinct=True),
                _round_count=Count("rounds", distinct=True),
            )
        )

    @admin.display(description=_("bobot B/Op/Oc/I/QW (%)"))
    def weights(self, obj: Instrument) -> str:
        return "/".join(str(w) for w in obj.component_weights().values())

    @admin.display(description=_("jumlah indikator"), ordering="_indicator_count")
    def indicator_count(self, obj: Instrument) -> int:
        return obj._indicator_count  # type: ignore[attr-defined]  # annotated by get_queryset

    @admin.display(description=_("dipakai putaran"), ordering="_round_count")
    def round_count(self, obj: Instrument) -> int:
        return obj._round_count  # type: ignore[attr-defined]  # annotated by get_queryset


@admin.register(Indicator)
class IndicatorAdmin(FrozenInstrumentPartMixin, admin.ModelAdmin):
    list_display = ["code", "name", "instrument", "component", "dimension", "element", "weight"]
    list_filter = ["instrument", "component", "dimension"]
    list_select_related = ["instrument", "dimension", "element"]
    search_fields = ["code", "name", "description"]
    ordering = ["instrument", "order", "code"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "instrument",
                    ("code", "order"),
                    "name",
                    "description",
                    ("component", "weight"),
                    ("dimension", "element"),
                ]
            },
        ),
        (
            _("Uraian level 0–5"),
            {
                "description": _(
                    "Apa yang harus terlihat agar daerah mencapai setiap level kematangan."
                ),
                "fields": ["level_0", "level_1", "level_2", "level_3", "level_4", "level_5"],
            },
        ),
        (
            _("Bahasa Inggris"),
            {
                "description": _("Teks yang tampil bila pembaca memilih bahasa Inggris."),
                "fields": [
                    "name_en",
                    "description_en",
                    *[f"level_{level}_en" for level in range(6)],
                ],
            },
        ),
    ]

    def formfield_for_dbfield(
        self, db_field: Field, request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        if db_field.name.startswith("level_"):
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 80})
        elif db_field.name in ("name", "name_en"):
            kwargs["widget"] = forms.TextInput(attrs={"size": 80})
        elif db_field.name in ("description", "description_en"):
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3, "cols": 80})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(RatingBand)
class RatingBandAdmin(FrozenInstrumentPartMixin, admin.ModelAdmin):
    list_display = ["name", "min_index", "instrument"]
    list_filter = ["instrument"]
    list_select_related = ["instrument"]
    search_fields = ["name", "instrument__name", "instrument__code"]
    ordering = ["instrument", "-min_index"]
