"""Admin for a region's evidence (bukti dukung) and masterplan programmes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from evaluations.models import Evidence, Programme

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FILE_OR_LINK_MESSAGE = _("Bukti dukung berupa berkas atau tautan, bukan keduanya.")


class EvidenceForm(forms.ModelForm):
    """The admin never takes uploads (files come through the city workspace, which checks
    their type and size) and never links to a stored file (there is no public media URL:
    downloads go through a view that checks the reader's rights). It keeps link evidence,
    so the database's file-or-link rule is checked here, where the file field is absent."""

    class Meta:
        model = Evidence
        fields = ["region", "title", "url", "created_at"]

    def clean(self) -> dict:
        cleaned = cast(dict, super().clean())  # ModelForm.clean returns cleaned_data
        has_file = bool(self.instance.file)
        if has_file == bool(cleaned.get("url")):
            raise ValidationError(FILE_OR_LINK_MESSAGE, code="file_or_link")
        return cleaned


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    form = EvidenceForm
    list_display = ["title", "region", "kind", "original_name", "size_display", "created_at"]
    list_filter = ["region__province", "content_type"]
    list_select_related = ["region"]
    search_fields = ["title", "original_name", "url", "region__name", "region__code"]
    autocomplete_fields = ["region"]
    readonly_fields = ["stored_file", "original_name", "content_type", "size", "uploaded_by"]
    date_hierarchy = "created_at"
    fields = [
        "region",
        "title",
        "url",
        "stored_file",
        "original_name",
        "content_type",
        "size",
        "uploaded_by",
        "created_at",
    ]

    def save_model(self, request: HttpRequest, obj: Evidence, form: Any, change: bool) -> None:
        if not change:
            obj.uploaded_by = cast(User, request.user)  # the admin serves signed-in staff only
        super().save_model(request, obj, form, change)

    @admin.display(description=_("bentuk"))
    def kind(self, obj: Evidence) -> StrOrPromise:
        return _("Tautan") if obj.is_link else _("Berkas")

    @admin.display(description=_("ukuran"), ordering="size")
    def size_display(self, obj: Evidence) -> str:
        return filesizeformat(obj.size) if obj.size is not None else "–"

    @admin.display(description=_("berkas tersimpan"))
    def stored_file(self, obj: Evidence) -> str | None:
        # The storage name only: a URL would bypass the rights check of the download view.
        return obj.file.name if obj.file else "–"


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "region",
        "dimension",
        "element",
        "agency",
        "status",
        "is_quick_win",
        "start_year",
        "budget",
    ]
    list_filter = ["status", "is_quick_win", "dimension", "region__province", "start_year"]
    list_select_related = ["region", "dimension", "element", "agency"]
    search_fields = ["title", "description", "region__name", "region__code", "agency__name"]
    autocomplete_fields = ["region", "agency", "evidence"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["region", "title", "description", ("dimension", "element"), "agency"]}),
        (
            _("Pelaksanaan"),
            {
                "fields": [
                    ("status", "is_quick_win"),
                    ("start_year", "end_year"),
                    "budget",
                    "evidence",
                    "archived_at",
                ]
            },
        ),
        (_("Catatan waktu"), {"fields": [("created_at", "updated_at")]}),
    ]
