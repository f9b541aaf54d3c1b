"""Admin for the instrument: dimensions and elements, instruments, indicators, rating bands."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.db.models import Count, Field, ForeignKey, Model, Q, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from evaluations import trust
from evaluations.admin.base import (
    CachedChoicesMixin,
    GuardedAdminMixin,
    HistoryAdmin,
    frozen_instrument,
)
from evaluations.models import Dimension, Element, Indicator, Instrument, RatingBand
from evaluations.services.instruments import instrument_duplicate

DUPLICATED = _("Versi draf baru dibuat: %(code)s. Ubah bobot dan indikatornya di sana.")
FROZEN_TRANSLATIONS_ONLY = _(
    "Versi ini sudah dipakai dan dibekukan: hanya teks bahasa Inggrisnya yang dapat diubah. "
    "Untuk metode baru, salin instrumen menjadi versi draf baru."
)


def translation_fields(model: type[Model]) -> list[str]:
    """The English translations of a model's texts (``*_en``): what a frozen version takes."""
    return [f.name for f in model._meta.fields if f.name.endswith("_en")]


def method_fields(model: type[Model]) -> list[str]:
    """Every editable field but the translations: the method, read-only once frozen."""
    return [
        f.name
        for f in model._meta.fields
        if f.editable and not f.primary_key and not f.name.endswith("_en")
    ]


def save_translations(obj: Model, changed: list[str], request: HttpRequest) -> None:
    """Save only the translations that changed: the database guards refuse an UPDATE that
    names any column of a frozen version's method, even with its old value. The history
    (simple_history) records the change and who made it."""
    fields = [name for name in changed if name in translation_fields(type(obj))]
    if fields:
        _record_baseline(obj)
        obj._history_user = request.user  # type: ignore[attr-defined]  # read by simple_history
        obj.save(update_fields=fields)


def _record_baseline(obj: Model) -> None:
    """Rows loaded from fixtures (``load_reference`` uses ``loaddata``, whose raw saves
    simple_history does not record) have no history yet: their state before the first
    correction is recorded first, so the history shows the text that was replaced."""
    history = type(obj).history  # type: ignore[attr-defined]  # simple_history's manager
    if not history.filter(id=obj.pk).exists():
        before = type(obj)._default_manager.get(pk=obj.pk)
        # Nobody wrote that state in the portal: not the manager of the current request.
        before._history_user = None  # type: ignore[attr-defined]  # read by simple_history
        history.bulk_history_create(
            [before], default_change_reason="Keadaan sebelum koreksi pertama (dari fixture)"
        )


class FrozenTranslatableMixin(GuardedAdminMixin):
    """A frozen version's row (see ``evaluations.trust``): its English translations (``*_en``)
    stay editable, as the database allows; every other field is read-only and the row cannot
    be deleted. Only the translations are saved, so a tampered form cannot reach the rest."""

    guarded_message = trust.INSTRUMENT_FROZEN
    # Django's prepopulated_fields, but only where the fields are inputs (not when frozen).
    prepopulated_when_draft: dict[str, list[str]] = {}

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Not GuardedAdminMixin's refusal: the read-only fields below do the guarding.
        return super(GuardedAdminMixin, self).has_change_permission(request, obj)  # type: ignore[misc]  # a ModelAdmin mixin

    def _frozen(self, obj: Model | None) -> bool:
        if obj is None or obj.pk is None:
            return False
        # Asked by several hooks per request: one query per object.
        if "_admin_frozen" not in obj.__dict__:
            obj.__dict__["_admin_frozen"] = self._is_guarded(obj)
        return obj.__dict__["_admin_frozen"]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]  # a ModelAdmin mixin
        if self._frozen(obj):
            fields += [f for f in method_fields(self.model) if f not in fields]  # type: ignore[attr-defined]  # a ModelAdmin mixin
        return fields

    def get_prepopulated_fields(
        self, request: HttpRequest, obj: Model | None = None
    ) -> dict[str, Any]:
        if self._frozen(obj):
            return {}
        return {**super().get_prepopulated_fields(request, obj), **self.prepopulated_when_draft}  # type: ignore[misc]  # a ModelAdmin mixin

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> Any:
        obj = kwargs.get("obj")
        if (
            request.method == "GET"
            and self._frozen(obj)
            and self.has_change_permission(request, obj)
        ):
            messages.info(request, FROZEN_TRANSLATIONS_ONLY)
        return super().render_change_form(request, context, *args, **kwargs)  # type: ignore[misc]  # a ModelAdmin mixin

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        if change and self._frozen(obj):
            save_translations(obj, form.changed_data, request)
            return
        super().save_model(request, obj, form, change)  # type: ignore[misc]  # a ModelAdmin mixin


class FrozenInlineMixin:
    """An inline of a frozen version: no rows added or deleted; its translations (if it
    shows any) stay editable and are the only thing saved."""

    def _frozen(self, obj: Instrument | None) -> bool:
        if obj is None or obj.pk is None:
            return False
        if "_admin_frozen" not in obj.__dict__:
            obj.__dict__["_admin_frozen"] = obj.is_frozen
        return obj.__dict__["_admin_frozen"]

    def has_add_permission(self, request: HttpRequest, obj: Instrument | None = None) -> bool:
        return not self._frozen(obj) and super().has_add_permission(request, obj)  # type: ignore[misc]  # an InlineModelAdmin mixin

    def has_delete_permission(self, request: HttpRequest, obj: Instrument | None = None) -> bool:
        return not self._frozen(obj) and super().has_delete_permission(request, obj)  # type: ignore[misc]  # an InlineModelAdmin mixin

    def get_readonly_fields(self, request: HttpRequest, obj: Instrument | None = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]  # an InlineModelAdmin mixin
        if self._frozen(obj):
            fields += [f for f in method_fields(self.model) if f not in fields]  # type: ignore[attr-defined]  # an InlineModelAdmin mixin
        return fields


class FrozenInstrumentPartMixin(FrozenTranslatableMixin):
    """Indicators and bands of a frozen instrument: only their translations are editable;
    new ones only for drafts."""

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
class InstrumentAdmin(FrozenTranslatableMixin, HistoryAdmin):
    """A frozen instrument version (used by a round that left draft) is read-only here, as
    in the database, but for its English texts; "duplicate" makes an editable draft version
    of it. Every change is in the version's history."""

    # Restoring an old version would rewrite the method: corrections go through the form.
    history_revert = False
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
    # The code is filled from the name on new and draft versions (get_prepopulated_fields):
    # not as ``prepopulated_fields``, which simple_history's page of an old version reads
    # as it is, while a frozen version's code is not in its form.
    prepopulated_fields: dict[str, list[str]] = {}
    prepopulated_when_draft = {"code": ["name"]}
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

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        if change and self._frozen(form.instance):
            # The rows' translations only (nothing else is in their forms, and no row is
            # added or deleted): a full save would name the guarded columns.
            # What formset.save() would leave for the admin's change message (its log).
            formset.new_objects, formset.deleted_objects, formset.changed_objects = [], [], []
            for row in formset.forms:
                if row.instance.pk is not None and row.has_changed():
                    save_translations(row.instance, row.changed_data, request)
                    formset.changed_objects.append((row.instance, row.changed_data))
            return
        super().save_formset(request, form, formset, change)

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
class IndicatorAdmin(FrozenInstrumentPartMixin, HistoryAdmin):
    history_revert = False

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
class RatingBandAdmin(FrozenInstrumentPartMixin, HistoryAdmin):
    history_revert = False
    fields = ["instrument", "name", "name_en", "min_index"]
    list_display = ["name", "min_index", "instrument"]
    list_filter = ["instrument"]
    list_select_related = ["instrument"]
    search_fields = ["name", "instrument__name", "instrument__code"]
    ordering = ["instrument", "-min_index"]
