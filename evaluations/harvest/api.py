"""Selectors of the read-only JSON API: plain JSON-ready data, published results only.

Result objects are the rows of the open-data files (``opendata.result_rows``: the same field
names as the CSV columns), with decimals as JSON numbers. Every function costs a fixed number
of queries, whatever the number of rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from evaluations import opendata
from evaluations.harvest import tables
from evaluations.models import Result, Round
from evaluations.selectors import public as public_reads
from regions.models import Region

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
COMPARE_MIN, COMPARE_MAX = 2, 4

BAD_PAGE = _("Parameter page harus bilangan bulat mulai dari 1.")
BAD_PAGE_SIZE = _("Parameter page_size harus bilangan bulat 1 sampai %(max)s.")
BAD_PROVINCE = _("Parameter province harus kode provinsi dua angka, mis. 32.")
BAD_COMPARE = _("Pilih %(min)s sampai %(max)s wilayah berbeda dengan parameter regions.")
NOT_FOUND = _("Tidak ditemukan.")
PAGE_NOT_FOUND = _("Halaman ini tidak ada.")


class ApiError(Exception):
    """A request the API refuses, with the HTTP status and a message for the client."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def as_json(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message}}


def plain(value: object) -> object:
    """JSON-ready: Decimal as a number, datetime as ISO 8601."""
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def plain_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: plain(v) for k, v in row.items()}


@dataclass(frozen=True)
class PageRequest:
    page: int
    size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size


def page_request(query: QueryDict) -> PageRequest:
    """``page`` and ``page_size`` from the query string, or a 400."""
    try:
        page = int(query.get("page", "1"))
    except ValueError:
        page = 0
    if page < 1:
        raise ApiError(400, "bad_page", str(BAD_PAGE))
    try:
        size = int(query.get("page_size", str(DEFAULT_PAGE_SIZE)))
    except ValueError:
        size = 0
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ApiError(400, "bad_page_size", BAD_PAGE_SIZE % {"max": MAX_PAGE_SIZE})
    return PageRequest(page, size)


def paginated(
    items: list[dict[str, Any]], count: int, request: PageRequest, url: str, query: QueryDict
) -> dict[str, Any]:
    """The page envelope: count, page, page_size, pages, next, previous, results."""
    pages = max(1, -(-count // request.size))
    if request.page > pages:
        raise ApiError(404, "no_page", str(PAGE_NOT_FOUND))

    def link(page: int) -> str | None:
        if not 1 <= page <= pages:
            return None
        q = query.copy()
        q["page"] = str(page)
        q["page_size"] = str(request.size)
        return f"{url}?{q.urlencode()}"

    return {
        "count": count,
        "page": request.page,
        "page_size": request.size,
        "pages": pages,
        "next": link(request.page + 1),
        "previous": link(request.page - 1),
        "results": items,
    }


def round_object(row: dict[str, Any], absolute: Any) -> dict[str, Any]:
    slug = row["slug"]
    return {
        **plain_row(row),
        "links": {
            "rankings": absolute(reverse("api:rankings", kwargs={"slug": slug})),
            "page": absolute(reverse("public:rankings", kwargs={"round_slug": slug})),
            "datapackage": absolute(
                reverse("public:round_datapackage", kwargs={"round_slug": slug})
            ),
        },
    }


def rounds(query: QueryDict, url: str, absolute: Any) -> dict[str, Any]:
    """Published rounds, newest first (1 query)."""
    request = page_request(query)
    rows = list(reversed(tables.round_rows(None)))
    items = [
        round_object(r, absolute) for r in rows[request.offset : request.offset + request.size]
    ]
    return paginated(items, len(rows), request, url, query)


def _round_or_404(slug: str) -> Round:
    found = public_reads.public_rounds().filter(slug=slug).first()
    if found is None:
        raise ApiError(404, "not_found", str(NOT_FOUND))
    return found


def rankings(slug: str, query: QueryDict, url: str) -> dict[str, Any]:
    """A published round's results in national order, a page at a time (3 queries), optionally
    for one province (``province=32``)."""
    request = page_request(query)
    round_ = _round_or_404(slug)
    results: QuerySet[Result] = public_reads.public_round_results(round_).annotate(
        revision=opendata.current_revision()
    )
    province = query.get("province")
    if province is not None and not re.fullmatch(r"[0-9]{2}", province):
        raise ApiError(400, "bad_province", str(BAD_PROVINCE))
    if province:
        results = results.filter(participation__region__province__code=province)
    count = results.count()
    rows = opendata.result_rows(results[request.offset : request.offset + request.size])
    return {
        "round": round_.slug,
        **paginated([plain_row(r) for r in rows], count, request, url, query),
    }


def region_object(region: Region) -> dict[str, Any]:
    return {
        "code": region.code,
        "name": region.name,
        "slug": region.slug,
        "kind": region.kind,
        "province_code": region.province.code,
        "province_name": region.province.name,
    }


def regions(query: QueryDict, url: str) -> dict[str, Any]:
    """Regions with a public profile, by code (1 query)."""
    request = page_request(query)
    rows = tables.region_rows(None)
    items = [plain_row(r) for r in rows[request.offset : request.offset + request.size]]
    return paginated(items, len(rows), request, url, query)


def region_history(slug: str) -> dict[str, Any]:
    """A region and its published results, oldest round first (2 queries)."""
    region = public_reads.public_regions().filter(slug=slug).first()
    if region is None:
        raise ApiError(404, "not_found", str(NOT_FOUND))
    rows = opendata.result_rows(public_reads.public_region_results(region))
    return {"region": region_object(region), "results": [plain_row(r) for r in rows]}


def comparison(query: QueryDict) -> dict[str, Any]:
    """Two to four regions side by side in one round (the newest by default), with their
    whole published history (3 queries)."""
    slugs = list(dict.fromkeys(s.strip() for s in query.getlist("regions") if s.strip()))
    if not COMPARE_MIN <= len(slugs) <= COMPARE_MAX:
        raise ApiError(400, "bad_regions", BAD_COMPARE % {"min": COMPARE_MIN, "max": COMPARE_MAX})
    found = {r.slug: r for r in public_reads.public_compare_regions().filter(slug__in=slugs)}
    missing = [s for s in slugs if s not in found]
    if missing:
        raise ApiError(404, "not_found", f"{NOT_FOUND} regions: {', '.join(missing)}")
    chosen = [found[s] for s in slugs]
    round_slug = query.get("round")
    round_: Round | None
    if round_slug:
        round_ = _round_or_404(round_slug)
    else:
        round_ = public_reads.latest_public_round()
        if round_ is None:  # pragma: no cover - public_compare_regions is empty then
            raise ApiError(404, "not_found", str(NOT_FOUND))
    rows = opendata.result_rows(public_reads.public_results_of_regions(chosen))
    in_round = {r["region_code"]: r for r in rows if r["round"] == round_.slug}
    return {
        "round": round_.slug,
        "regions": [
            {
                **region_object(region),
                "result": plain_row(in_round[region.code]) if region.code in in_round else None,
            }
            for region in chosen
        ],
        "history": [plain_row(r) for r in rows],
    }
