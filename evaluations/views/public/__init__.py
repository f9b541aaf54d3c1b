"""Public pages. They read only through ``selectors.public``: published results only.

Every view is wrapped in ``caching.public_page`` (cached per data version and language,
ETag and Last-Modified) and renders through ``caching.render_public``.
"""

from evaluations.views.public.compare import compare
from evaluations.views.public.home import home
from evaluations.views.public.maps import region_map
from evaluations.views.public.methodology import methodology, methodology_latest
from evaluations.views.public.opendata import export, opendata_index
from evaluations.views.public.rankings import (
    rankings,
    rankings_latest,
    rankings_metric,
    rankings_provinces,
)
from evaluations.views.public.regions import region_profile
from evaluations.views.public.revisions import round_revision_download, round_revisions
from evaluations.views.public.search import region_search

__all__ = [
    "compare",
    "export",
    "home",
    "methodology",
    "methodology_latest",
    "opendata_index",
    "rankings",
    "rankings_latest",
    "rankings_metric",
    "rankings_provinces",
    "region_map",
    "region_profile",
    "region_search",
    "round_revision_download",
    "round_revisions",
]
