"""City Diskominfo workspace, always under the region's slug (namespace ``city``).

Every URL starts with ``<region_slug>/``; objects inside are addressed by ids or slugs
that the views look up *within* that region (see ``evaluations.views.city``).
"""

from __future__ import annotations

from django.urls import path

from evaluations.views.city import (
    agencies,
    dashboard,
    evidence,
    field_review,
    programmes,
    results,
    self_assessment,
)

app_name = "city"

R = "<slug:region_slug>/"

urlpatterns = [
    path(R, dashboard.dashboard, name="dashboard"),
    path(R + "putaran/", dashboard.rounds, name="rounds"),
    # Programme register
    path(R + "program/", programmes.programme_list, name="programme_list"),
    path(R + "program/baru/", programmes.programme_create, name="programme_create"),
    path(R + "program/impor/", programmes.programme_import, name="programme_import"),
    path(
        R + "program/impor/templat.xlsx",
        programmes.programme_import_template,
        name="programme_import_template",
    ),
    path(R + "program/ekspor.<str:fmt>", programmes.programme_export, name="programme_export"),
    path(R + "program/<int:pk>/", programmes.programme_detail, name="programme_detail"),
    path(R + "program/<int:pk>/ubah/", programmes.programme_edit, name="programme_edit"),
    path(R + "program/<int:pk>/arsipkan/", programmes.programme_archive, name="programme_archive"),
    path(R + "program/<int:pk>/pulihkan/", programmes.programme_restore, name="programme_restore"),
    path(
        R + "program/<int:pk>/bukti/",
        programmes.programme_evidence_add,
        name="programme_evidence_add",
    ),
    path(
        R + "program/<int:pk>/bukti/<int:evidence_pk>/lepas/",
        programmes.programme_evidence_detach,
        name="programme_evidence_detach",
    ),
    # Agencies (OPD)
    path(R + "opd/", agencies.agency_list, name="agency_list"),
    path(R + "opd/baru/", agencies.agency_create, name="agency_create"),
    path(R + "opd/<int:pk>/ubah/", agencies.agency_edit, name="agency_edit"),
    path(R + "opd/<int:pk>/hapus/", agencies.agency_delete, name="agency_delete"),
    # Evidence
    path(R + "bukti/", evidence.evidence_list, name="evidence_list"),
    path(R + "bukti/<int:pk>/unduh/", evidence.evidence_download, name="evidence_download"),
    path(R + "bukti/<int:pk>/hapus/", evidence.evidence_delete, name="evidence_delete"),
    path(R + "bukti/<int:pk>/halaman/", evidence.evidence_pages, name="evidence_pages"),
    path(
        R + "bukti/<int:pk>/halaman/<int:number>/",
        evidence.evidence_page,
        name="evidence_page",
    ),
    # Self-assessment
    path(
        R + "putaran/<slug:round_slug>/penilaian-mandiri/",
        self_assessment.overview,
        name="self_assessment",
    ),
    path(
        R + "putaran/<slug:round_slug>/penilaian-mandiri/kirim/",
        self_assessment.submit,
        name="self_assessment_submit",
    ),
    path(
        R + "putaran/<slug:round_slug>/penilaian-mandiri/<slug:section>/",
        self_assessment.section,
        name="self_assessment_section",
    ),
    # Field review
    path(R + "tinjauan-lapangan/", field_review.field_review_list, name="field_review_list"),
    path(
        R + "putaran/<slug:round_slug>/tinjauan-lapangan/",
        field_review.field_review_detail,
        name="field_review",
    ),
    path(
        R + "putaran/<slug:round_slug>/tinjauan-lapangan/peserta/",
        field_review.attendee_add,
        name="attendee_add",
    ),
    path(
        R + "putaran/<slug:round_slug>/tinjauan-lapangan/peserta/<int:pk>/hapus/",
        field_review.attendee_remove,
        name="attendee_remove",
    ),
    path(
        R + "putaran/<slug:round_slug>/tinjauan-lapangan/konfirmasi/",
        field_review.attendees_confirm,
        name="attendees_confirm",
    ),
    # Results
    path(R + "hasil/", results.result_list, name="result_list"),
    path(R + "hasil/<slug:round_slug>/", results.result_detail, name="result_detail"),
]
