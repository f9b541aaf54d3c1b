"""Reviewer and round-manager pages (namespace ``reviewer``)."""

from __future__ import annotations

from django.urls import path

from evaluations.views import reviewer

app_name = "reviewer"

urlpatterns = [
    path("", reviewer.assignments, name="assignments"),
]
