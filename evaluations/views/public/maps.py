"""The dot map of participating regions, on its own page and on the home page."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from evaluations import access, charts
from evaluations.caching import confirm_canonical, public_page, render_public
from evaluations.models import Result, Round
from evaluations.views.public.common import BandStyle, band_styles
from regions.models import Region


def map_background() -> list[tuple[float, float]]:
    """Every region's centroid (one query): drawn in grey, they outline the islands."""
    return [
        (float(lat), float(lon))
        for lat, lon in Region.objects.filter(
            latitude__isnull=False, longitude__isnull=False
        ).values_list("latitude", "longitude")
    ]


def round_results_for_map(round_: Round) -> list[Result]:
    """A round's public results with their region and province only: the home page and the
    map show no round or instrument per row, and building those for 514 rows is most of
    the query's cost at national scale (README, "Benchmark")."""
    return list(
        access.public_round_results(round_)
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


def build_map(
    round_: Round, results: Sequence[Result], styles: dict[str, BandStyle], *, chart_id: str
) -> dict[str, object]:
    """The map's SVG, its legend and the regions it could not place (no coordinates)."""
    points = []
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
        points.append(
            charts.MapPoint(
                label=label,
                url=region_url.replace("__slug__", region.slug),
                latitude=float(region.latitude),
                longitude=float(region.longitude),
                band_class=style.css if style else "band-none",
                band_shape=style.shape if style else 0,
            )
        )
    svg = charts.dot_map(
        chart_id=chart_id,
        title=_("Peta peserta %(round)s") % {"round": round_.name},
        description=_(
            "Titik berwarna menandai kabupaten/kota peserta menurut koordinatnya, dengan warna "
            "dan bentuk menurut predikat; setiap titik adalah tautan ke profil wilayah. Titik "
            "abu-abu adalah kabupaten/kota lain. Daftar yang sama ada dalam tabel di bawah peta."
        ),
        points=points,
        background=map_background(),
    )
    return {"svg": svg, "legend": list(styles.values()), "unplaced": unplaced}


@public_page
@require_safe
def region_map(request: HttpRequest) -> HttpResponse:
    """The map of a published round (``?round=<slug>``, default the newest)."""
    slug = request.GET.get("round")
    if slug:
        round_ = access.get_public_round_or_404(slug)
        confirm_canonical(request)
    else:
        round_ = access.latest_public_round()
        if round_ is None:
            return render_public(request, "public/no_results.html")
    bands = list(round_.instrument.rating_bands.all())
    styles = band_styles(bands)
    results = round_results_for_map(round_)
    context = {
        "round": round_,
        "public_rounds": list(access.public_rounds().order_by("-year", "-phase")),
        "results": results,
        "styles": styles,
        "map": build_map(round_, results, styles, chart_id="map"),
    }
    return render_public(request, "public/map.html", context)
