"""Official documents (namespace ``documents``): public verification at /verify/<code>/,
manager and panel pages under /review/, the region's own documents under /city/."""

from __future__ import annotations

from django.urls import path

from evaluations.documents import views

app_name = "documents"

urlpatterns = [
    path("verify/<str:code>/", views.verify, name="verify"),
    path("review/rounds/<slug:slug>/documents/", views.round_documents, name="round"),
    path(
        "review/rounds/<slug:slug>/documents/issue-letters/",
        views.letters_issue,
        name="letters_issue",
    ),
    path(
        "review/rounds/<slug:slug>/documents/letters-zip/",
        views.letters_zip,
        name="letters_zip",
    ),
    path(
        "review/participations/<int:pk>/field-review/minutes/issue/",
        views.minutes_issue,
        name="minutes_issue",
    ),
    path("review/documents/<int:pk>.pdf", views.reviewer_download, name="reviewer_download"),
    path("city/<slug:region_slug>/dokumen/", views.city_document_list, name="city_list"),
    path("city/<slug:region_slug>/dokumen/<int:pk>.pdf", views.city_download, name="city_download"),
]
