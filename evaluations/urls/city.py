"""City Diskominfo workspace, always under the region's slug (namespace ``city``)."""

from __future__ import annotations

from django.urls import path

from evaluations.views import city

app_name = "city"

urlpatterns = [
    path("<slug:region_slug>/", city.dashboard, name="dashboard"),
]
