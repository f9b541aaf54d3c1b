"""The read-only JSON API (``/api/v1/``, namespace ``api``), described by OpenAPI 3.1 at
``/data/openapi.json``.

Views are thin: parse, call a selector of ``evaluations.harvest.api``, answer JSON. They are
cached and validated like the public pages (``caching.public_page``), share the download rate
limit, and get CORS from ``harvest.http.OpenDataCorsMiddleware``. A parameter an endpoint does
not read is dropped by a redirect (``caching.PAGE_PARAMS``). Errors are JSON too:
``{"error": {"code": ..., "message": ...}}`` with 400 or 404.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.views.decorators.http import require_safe

from evaluations.caching import confirm_canonical, public_page
from evaluations.harvest import api
from smartcity.security import download_rate_limit

JSON = "application/json; charset=utf-8"


def _json(document: Any, status: int = 200) -> HttpResponse:
    return HttpResponse(
        json.dumps(document, ensure_ascii=False).encode(), content_type=JSON, status=status
    )


def api_view(view: Callable[..., Any]) -> Callable[..., HttpResponseBase]:
    """A view returning a JSON-ready document; ``ApiError`` becomes a JSON error answer."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            document = view(request, *args, **kwargs)
        except api.ApiError as error:
            return _json(error.as_json(), status=error.status)
        confirm_canonical(request)  # every parameter was checked: the answer may be cached
        return _json(document)

    return download_rate_limit(public_page(require_safe(wrapper)))


def _url(request: HttpRequest) -> str:
    return request.build_absolute_uri(request.path)


@api_view
def index(request: HttpRequest) -> dict[str, Any]:
    absolute = request.build_absolute_uri
    return {
        "rounds": absolute(reverse("api:rounds")),
        "regions": absolute(reverse("api:regions")),
        "compare": absolute(reverse("api:compare")),
        "openapi": absolute(reverse("public:openapi")),
        "datapackage": absolute(reverse("public:datapackage")),
    }


@api_view
def rounds(request: HttpRequest) -> dict[str, Any]:
    return api.rounds(request.GET, _url(request), request.build_absolute_uri)


@api_view
def rankings(request: HttpRequest, slug: str) -> dict[str, Any]:
    return api.rankings(slug, request.GET, _url(request))


@api_view
def regions(request: HttpRequest) -> dict[str, Any]:
    return api.regions(request.GET, _url(request))


@api_view
def region_history(request: HttpRequest, slug: str) -> dict[str, Any]:
    return api.region_history(slug)


@api_view
def compare(request: HttpRequest) -> dict[str, Any]:
    return api.comparison(request.GET)
