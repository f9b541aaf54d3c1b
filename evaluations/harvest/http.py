"""HTTP for machines: CORS on the open data and the API, and stable XLSX bytes.

CORS is open (any origin, no credentials) for GET and HEAD under ``/data/`` and ``/api/``
only: a browser application elsewhere may read the published data, and nothing else. The
answers carry no cookie-dependent data worth protecting (anonymous readers share them), and
``Access-Control-Allow-Credentials`` is never sent, so a cross-site page cannot read anything
as a signed-in user.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse

OPEN_PREFIXES = ("/data/", "/api/")
ALLOWED_METHODS = "GET, HEAD"
ALLOWED_HEADERS = "Accept, Accept-Language, If-None-Match, If-Modified-Since, Range"
EXPOSED_HEADERS = "ETag, Last-Modified, Link, Content-Disposition, Content-Language"
PREFLIGHT_MAX_AGE = "86400"


def is_open(request: HttpRequest) -> bool:
    return request.path_info.startswith(OPEN_PREFIXES)


class OpenDataCorsMiddleware:
    """``Access-Control-Allow-Origin: *`` on GET/HEAD answers under ``/data/`` and ``/api/``,
    and the answer to a browser's preflight for them; other paths and methods get nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_open(request):
            return self.get_response(request)
        wanted = request.headers.get("Access-Control-Request-Method", "")
        if request.method == "OPTIONS" and "Origin" in request.headers and wanted:
            response = HttpResponse(status=204)
            if wanted.upper() in ("GET", "HEAD"):
                response["Access-Control-Allow-Origin"] = "*"
                response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
                response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
                response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
            return response
        response = self.get_response(request)
        if request.method in ("GET", "HEAD"):
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        return response


_CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def stable_xlsx(content: bytes, when: datetime | None) -> bytes:
    """The same workbook with every time in it set to ``when`` (the publication), so that the
    same data gives the same bytes, hence the same ETag, on every app server and every day.

    openpyxl stamps the document properties and each zip member with the current time.
    """
    moment = (when or datetime(2017, 1, 1, tzinfo=UTC)).astimezone(UTC)
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    date_time = (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute,
                 moment.second)  # fmt: skip
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _CORE_TIMES.sub(rb"\g<1>" + stamp + rb"\g<3>", data)
            member = zipfile.ZipInfo(info.filename, date_time=date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            target.writestr(member, data)
    return out.getvalue()
