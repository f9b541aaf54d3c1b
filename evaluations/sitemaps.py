"""``sitemap.xml`` (django.contrib.sitemaps): every public page of every published round and
region, the methodology of every public instrument, and the portal's fixed pages.

Each section reads published data only, through ``evaluations.access``, in one query.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse

from evaluations.models import Instrument, Result, Round
from evaluations.selectors import public as public_reads
from evaluations.views.public.common import METRICS
from regions.models import Region


class PortalSitemap(Sitemap):
    """Pages that are always there (the open-data page, comparison, map…)."""

    changefreq = "weekly"

    def items(self) -> list[str]:
        return ["public:home", "public:compare", "public:map", "public:opendata"]

    def location(self, item: str) -> str:
        return reverse(item)


class RoundSitemap(Sitemap):
    """Per published round: the national rankings, the provinces, the score tables per metric
    and the list of revisions."""

    changefreq = "monthly"

    def items(self) -> list[tuple[Round, str, dict[str, Any]]]:
        pages: list[tuple[Round, str, dict[str, Any]]] = []
        for round_ in public_reads.public_rounds().order_by("-year", "-phase"):
            slug = {"round_slug": round_.slug}
            pages.append((round_, "public:rankings", slug))
            pages.append((round_, "public:rankings_provinces", slug))
            pages.append((round_, "public:rankings_metrics", slug))
            pages.append((round_, "public:revisions", slug))
            pages.extend(
                (round_, "public:rankings_metric", {**slug, "metric": code}) for code in METRICS
            )
        return pages

    def location(self, item: tuple[Round, str, dict[str, Any]]) -> str:
        return reverse(item[1], kwargs=item[2])

    def lastmod(self, item: tuple[Round, str, dict[str, Any]]) -> datetime | None:
        return item[0].published_at


class RegionSitemap(Sitemap):
    """Every public region profile, last modified at its newest published result."""

    changefreq = "monthly"

    def items(self) -> list[Region]:
        newest = (
            Result.objects.published()
            .filter(participation__region=OuterRef("pk"), participation__excluded=False)
            .values("participation__region")
            .annotate(at=Max("participation__round__published_at"))
            .values("at")
        )
        return list(
            public_reads.public_regions().annotate(published=Subquery(newest)).order_by("code")
        )

    def location(self, item: Region) -> str:
        return reverse("public:region", kwargs={"slug": item.slug})

    def lastmod(self, item: Region) -> datetime | None:
        return item.published  # type: ignore[attr-defined]


class MethodologySitemap(Sitemap):
    changefreq = "yearly"

    def items(self) -> list[Instrument]:
        return list(public_reads.public_instruments().order_by("-year", "code"))


SITEMAPS: dict[str, type[Sitemap] | Sitemap] = {
    "portal": PortalSitemap,
    "rounds": RoundSitemap,
    "regions": RegionSitemap,
    "methodology": MethodologySitemap,
}
