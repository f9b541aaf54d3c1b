"""Read-only admin screens for the register copied at publication and the import files
waiting for their uploader to apply them (issue 12)."""

from __future__ import annotations

from django.contrib import admin

from evaluations.admin.base import ReadOnlyAdminMixin
from evaluations.models import ImportUpload, PublishedProgramme


@admin.register(PublishedProgramme)
class PublishedProgrammeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "region", "dimension", "status", "publication"]
    list_filter = ["dimension", "status"]
    list_select_related = ["region", "dimension", "publication__round"]
    search_fields = ["title", "region__name"]


@admin.register(ImportUpload)
class ImportUploadAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["filename", "kind", "region", "round", "uploaded_by", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["region", "round", "uploaded_by"]
    # The file's bytes are not shown: only its uploader applies it, from the import page.
    fields = ["filename", "kind", "region", "round", "uploaded_by", "created_at"]
    readonly_fields = fields  # type: ignore[assignment]  # names only, no groups
