"""The read-only JSON API, version 1 (namespace ``api``, mounted at ``/api/v1/``)."""

from __future__ import annotations

from django.urls import path

from evaluations.views import api

app_name = "api"

urlpatterns = [
    path("", api.index, name="index"),
    path("rounds/", api.rounds, name="rounds"),
    path("rounds/<slug:slug>/rankings/", api.rankings, name="rankings"),
    path("regions/", api.regions, name="regions"),
    path("regions/<slug:slug>/history/", api.region_history, name="region_history"),
    path("compare/", api.compare, name="compare"),
]
