"""The dot map of participating regions, on its own page and on the home page."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from evaluations import charts, mapview
from evaluations.caching import confirm_canonical, public_page, render_public
from evaluations.models import Result, Round
from evaluations.selectors import public as public_reads
from evaluations.views.public.common import BandStyle, band_styles


def round_results_for_map(round_: Round) -> list[Result]:
    """A round's public results with their region and province only: the home page and the
    map show no round or instrument per row, and building those for 514 rows is most of
    the query's cost at national scale (README, "Benchmark")."""
    return list(
        public_reads.public_round_results(round_)
        .select_related(None)
        .select_related("participation__region__province")
        .only(
            "index",
            "rating_band",
            "national_rank",
            "participation__region__name",
            "participation__region__slug",
            "participation__region__latitude",
            "participation__region__longitude",
            "participation__region__province__name",
        )
    )


def map_url(round_: Round | None, view: mapview.View, *, region: str = "") -> str:
    """The map page showing ``view`` (and ``round_``, when it is not the newest)."""
    query = {"round": round_.slug} if round_ is not None else {}
    query.update(view.query())
    if region:
        query["region"] = region
    return reverse("public:map") + ("?" + urlencode(query) if query else "")


def build_map(
    round_: Round,
    results: Sequence[Result],
    styles: dict[str, BandStyle],
    *,
    chart_id: str,
    view: mapview.View | None = None,
    link_round: bool = False,
    focus: str = "",
) -> dict[str, object]:
    """What ``templates/public/includes/map.html`` draws: markers, clusters, coastline,
    zoom and pan links, legend, and the regions it could not place (no coordinates)."""
    view = view or mapview.View()
    places = []
    unplaced = []
    # Once for the 514 points, not once per point: the link, the label's wording, and the
    # text of each distinct index.
    region_url = reverse("public:region", kwargs={"slug": "__slug__"})
    wording = _("%(region)s, %(province)s: indeks %(index)s (%(band)s), peringkat %(rank)s")
    index_text: dict[object, str] = {}
    for r in results:
        region = r.participation.region
        if region.latitude is None or region.longitude is None:
            unplaced.append(r)
            continue
        style = styles.get(r.rating_band)
        if r.index not in index_text:
            index_text[r.index] = charts.fmt(r.index)
        label = wording % {
            "region": region.name,
            "province": region.province.name,
            "index": index_text[r.index],
            "band": r.rating_band or "–",
            "rank": r.national_rank,
        }
        places.append(
            mapview.Place(
                slug=region.slug,
                name=region.name,
                label=label,
                url=region_url.replace("__slug__", region.slug),
                latitude=float(region.latitude),
                longitude=float(region.longitude),
                band_class=style.css if style else "band-none",
                band_shape=style.shape if style else 0,
            )
        )
    laid = mapview.layout(view, places)
    link_to = round_ if link_round else None
    clusters = [
        {
            "x": f"{c.x:.1f}",
            "y": f"{c.y:.1f}",
            "count": c.count,
            "names": c.names,
            "url": map_url(link_to, c.view or view),
        }
        for c in laid.clusters
    ]
    # Lower bands first, so that keyboard order and drawing order are stable and the
    # better-rated markers come last; nothing overlaps any more, so the order is cosmetic.
    markers = sorted(laid.markers, key=lambda m: (m.place.band_class, m.place.name), reverse=True)
    indonesia, neighbours = mapview.land_paths(view)
    controls = {
        "zoom_in": view.zoomed_in(),
        "zoom_out": view.zoomed_out(),
        "north": view.panned(0, 1),
        "south": view.panned(0, -1),
        "west": view.panned(-1, 0),
        "east": view.panned(1, 0),
    }
    return {
        "chart_id": chart_id,
        "title": _("Peta peserta %(round)s") % {"round": round_.name},
        "width": mapview.WIDTH,
        "height": mapview.HEIGHT,
        "hit_radius": mapview.HIT_RADIUS,
        "marker_radius": mapview.MARKER_RADIUS,
        "markers": markers,
        "clusters": clusters,
        "focus": focus,
        "land": indonesia,
        "neighbours": neighbours,
        "view": view,
        "zoom_level": view.z + 1,
        "zoom_levels": mapview.MAX_ZOOM + 1,
        "outside": laid.outside,
        "links": {k: map_url(link_to, v) for k, v in controls.items() if v is not None},
        "whole_url": map_url(link_to, mapview.View()) if view.z else "",
        "legend": list(styles.values()),
        "unplaced": unplaced,
    }


@public_page
@require_safe
def region_map(request: HttpRequest) -> HttpResponse:
    """The map of a published round (``?round=<slug>``, default the newest), at a view
    (``z``, ``x``, ``y``), optionally centred on one region (``?region=<slug>``)."""
    slug = request.GET.get("round")
    round_: Round | None
    if slug:
        round_ = public_reads.get_public_round_or_404(slug)
    else:
        round_ = public_reads.latest_public_round()
        if round_ is None:
            return render_public(request, "public/no_results.html")
    bands = list(round_.instrument.rating_bands.all())
    styles = band_styles(bands)
    results = round_results_for_map(round_)
    focus = request.GET.get("region", "")
    if focus:
        region = next(
            (r.participation.region for r in results if r.participation.region.slug == focus), None
        )
        if region is None or region.latitude is None or region.longitude is None:
            raise Http404
        view = mapview.View.around(
            mapview.MAX_ZOOM - 1, float(region.longitude), float(region.latitude)
        )
    else:
        view = mapview.parse_view(request.GET)
        # One URL per view: clamped or malformed coordinates go to the view they mean, so
        # the page cache holds a bounded set of pages.
        asked = {k: request.GET[k] for k in ("z", "x", "y") if k in request.GET}
        if asked != view.query():
            return redirect(map_url(round_ if slug else None, view))
    confirm_canonical(request)  # round, view and region all checked above
    context = {
        "round": round_,
        "public_rounds": list(public_reads.public_rounds().order_by("-year", "-phase")),
        "results": results,
        "styles": styles,
        "map": build_map(
            round_,
            results,
            styles,
            chart_id="map",
            view=view,
            link_round=bool(slug),
            focus=focus,
        ),
    }
    return render_public(request, "public/map.html", context)
