"""Open data for machines: data packages and their tables, the long time series, the DCAT
catalogue and the API's OpenAPI description (all under ``/data/``).

Every view reads through ``selectors.public`` and ``harvest.tables`` (published data only), is
cached with the public pages (``caching.public_page``: ETag, Last-Modified of the newest
publication, ``Cache-Control: public``) and shares the download rate limit. CORS is added by
``harvest.http.OpenDataCorsMiddleware``.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from evaluations import opendata
from evaluations.caching import public_page
from evaluations.harvest import datapackage, dcat, openapi
from evaluations.harvest.http import stable_xlsx
from evaluations.harvest.tables import TABLES_BY_NAME
from evaluations.models import Round
from evaluations.selectors import public as public_reads
from evaluations.sitemaps import SITEMAPS
from smartcity.security import download_rate_limit

JSON = "application/json; charset=utf-8"
JSON_LD = "application/ld+json; charset=utf-8"
CSV = "text/csv; charset=utf-8"


def json_response(document: Any, *, content_type: str = JSON) -> HttpResponse:
    return HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1).encode(), content_type=content_type
    )


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _describedby(request: HttpRequest, round_: Round | None) -> str:
    """The ``Link`` header of a data file: its package descriptor and licence."""
    if round_ is None:
        package = reverse("public:datapackage")
    else:
        package = reverse("public:round_datapackage", kwargs={"round_slug": round_.slug})
    licence = opendata.licence()
    return (
        f'<{request.build_absolute_uri(package)}>; rel="describedby"; type="application/json", '
        f'<{licence["url"]}>; rel="license"'
    )


@download_rate_limit
@public_page
@require_safe
def package_descriptor(request: HttpRequest, round_slug: str | None = None) -> HttpResponse:
    """``datapackage.json``: the whole history, or one published round."""
    round_ = public_reads.get_public_round_or_404(round_slug) if round_slug else None
    return json_response(datapackage.descriptor(round_, base_url=_base_url(request)))


@download_rate_limit
@public_page
@require_safe
def table_csv(request: HttpRequest, table: str, round_slug: str | None = None) -> HttpResponse:
    """One resource of a data package as CSV."""
    spec = TABLES_BY_NAME.get(table)
    if spec is None:
        raise Http404
    round_ = public_reads.get_public_round_or_404(round_slug) if round_slug else None
    response = HttpResponse(datapackage.render_csv(spec, spec.rows(round_)), content_type=CSV)
    scope = round_.slug if round_ else "all"
    response["Content-Disposition"] = f'attachment; filename="smartcity-{table}-{scope}.csv"'
    response["Link"] = _describedby(request, round_)
    return response


@download_rate_limit
@public_page
@require_safe
def series(request: HttpRequest, fmt: str) -> HttpResponse:
    """The long time series: every published result of every round, in CSV, XLSX or JSON."""
    if fmt not in opendata.FORMATS:
        raise Http404
    rows = TABLES_BY_NAME["results"].rows(None)
    meta = {
        "licence": opendata.licence(),
        "credit": opendata.credit(),
        "datapackage": request.build_absolute_uri(reverse("public:datapackage")),
    }
    content = opendata.render_file(rows, fmt, meta=meta)
    if fmt == "xlsx":
        newest = public_reads.public_rounds().order_by("-published_at").first()
        content = stable_xlsx(content, newest.published_at if newest else None)
    response = HttpResponse(content, content_type=opendata.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="smartcity-results-all.{fmt}"'
    response["Link"] = _describedby(request, None)
    return response


@download_rate_limit
@public_page
@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    """The DCAT-AP catalogue as JSON-LD."""
    document = dcat.catalogue(base_url=_base_url(request))
    return json_response(document, content_type=JSON_LD)


@public_page
@require_safe
def openapi_description(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3.1 description of the JSON API."""
    return json_response(openapi.description(base_url=_base_url(request)))


@public_page
@require_safe
def sitemap_xml(request: HttpRequest) -> HttpResponse:
    """``/sitemap.xml``: every public page (``evaluations.sitemaps``)."""
    response = sitemap_views.sitemap(request, sitemaps=SITEMAPS)
    response.render()
    return response


@public_page
@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """``/robots.txt``: public pages open to crawlers, workspaces and the admin not, and
    where the sitemap is."""
    context = {"sitemap": request.build_absolute_uri(reverse("public:sitemap"))}
    return render(request, "public/robots.txt", context, content_type="text/plain; charset=utf-8")
