"""Public portal: published results only (namespace ``public``)."""

from __future__ import annotations

from django.urls import path

from evaluations.views import public

app_name = "public"

urlpatterns = [
    path("", public.home, name="home"),
    path("rankings/", public.rankings_latest, name="rankings_latest"),
    path("rounds/<slug:round_slug>/", public.rankings, name="rankings"),
    path(
        "rounds/<slug:round_slug>/provinces/",
        public.rankings_provinces,
        name="rankings_provinces",
    ),
    path("rounds/<slug:round_slug>/revisions/", public.round_revisions, name="revisions"),
    path(
        "rounds/<slug:round_slug>/revisions/<int:number>.json",
        public.round_revision_download,
        name="revision_download",
    ),
    path("rounds/<slug:round_slug>/scores/", public.rankings_metric, name="rankings_metrics"),
    path(
        "rounds/<slug:round_slug>/scores/<slug:metric>/",
        public.rankings_metric,
        name="rankings_metric",
    ),
    path("regions/<slug:slug>/", public.region_profile, name="region"),
    path("compare/", public.compare, name="compare"),
    path("map/", public.region_map, name="map"),
    path("methodology/", public.methodology_latest, name="methodology_latest"),
    path("methodology/<slug:instrument>/", public.methodology, name="methodology"),
    path("data/", public.opendata_index, name="opendata"),
    path(
        "data/<slug:round_slug>.<str:fmt>",
        public.export,
        name="export",
    ),
]
