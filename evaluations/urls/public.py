"""Public portal: published results only (namespace ``public``)."""

from __future__ import annotations

from django.urls import path

from evaluations.views import public

app_name = "public"

urlpatterns = [
    path("", public.home, name="home"),
]
