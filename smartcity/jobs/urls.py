"""Job progress pages: ``jobs:``."""

from __future__ import annotations

from django.urls import path

from smartcity.jobs import views

app_name = "jobs"

urlpatterns = [
    path("<uuid:pk>/", views.job_detail, name="detail"),
    path("<uuid:pk>/download/", views.job_download, name="download"),
]
