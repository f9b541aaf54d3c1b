"""Public portal: published results only (namespace ``public``)."""

from __future__ import annotations

from django.urls import path

from evaluations.views import public
from evaluations.views.public import bundles, harvest

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
    path("search/", public.region_search, name="search"),
    path("compare/", public.compare, name="compare"),
    path("map/", public.region_map, name="map"),
    path("methodology/", public.methodology_latest, name="methodology_latest"),
    path("methodology/<slug:instrument>/", public.methodology, name="methodology"),
    path("data/", public.opendata_index, name="opendata"),
    # Machine-readable open data (evaluations/views/public/harvest.py); before the round
    # files, whose pattern would also match "datapackage.json" or "results.csv".
    path("data/datapackage.json", harvest.package_descriptor, name="datapackage"),
    path("data/catalog.jsonld", harvest.catalogue, name="catalogue"),
    path("data/openapi.json", harvest.openapi_description, name="openapi"),
    path("data/results.<str:fmt>", harvest.series, name="series"),
    path("data/tables/<slug:table>.csv", harvest.table_csv, name="table"),
    # Open-data bundles: a ZIP built by a background job (evaluations/harvest/bundles.py).
    path("data/bundle/", bundles.bundle_start, name="bundle_start"),
    path("data/bundles/<uuid:pk>/", bundles.bundle_detail, name="bundle"),
    path("data/bundles/<uuid:pk>/download/", bundles.bundle_download, name="bundle_download"),
    path("data/<slug:round_slug>/bundle/", bundles.bundle_start, name="round_bundle_start"),
    path(
        "data/<slug:round_slug>/datapackage.json",
        harvest.package_descriptor,
        name="round_datapackage",
    ),
    path("data/<slug:round_slug>/<slug:table>.csv", harvest.table_csv, name="round_table"),
    path("robots.txt", harvest.robots_txt, name="robots"),
    path("sitemap.xml", harvest.sitemap_xml, name="sitemap"),
    path(
        "data/<slug:round_slug>.<str:fmt>",
        public.export,
        name="export",
    ),
]
