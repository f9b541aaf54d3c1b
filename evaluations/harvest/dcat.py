"""The DCAT-AP catalogue of the open data, as JSON-LD (``/data/catalog.jsonld``).

A CKAN harvester (ckanext-dcat, as Satu Data Indonesia runs) reads one ``dcat:Catalog`` with a
``dcat:Dataset`` for the whole history and one per published round, each with its
distributions (CSV, XLSX, JSON, the data package) and a ``dcat:DataService`` for the JSON API.
Properties follow DCAT-AP 3 (mandatory and recommended ones for catalogue, dataset,
distribution and data service). The ``@context`` is inline: nothing is fetched to read it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from evaluations import opendata
from evaluations.models import Round
from evaluations.selectors import public as public_reads

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}

EU = "http://publications.europa.eu/resource/authority/"
FILE_TYPES = {"csv": "CSV", "xlsx": "XLSX", "json": "JSON"}
MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
DATA_PACKAGE_SPEC = "https://specs.frictionlessdata.io/data-package/"


def _text(value: str) -> dict[str, str]:
    return {"@value": value, "@language": (get_language() or "id").split("-")[0]}


def _iri(value: str) -> dict[str, str]:
    return {"@id": value}


def _datetime(value: datetime) -> dict[str, str]:
    return {"@value": value.isoformat(), "@type": "xsd:dateTime"}


def _date(value: date) -> dict[str, str]:
    return {"@value": value.isoformat(), "@type": "xsd:date"}


def _period(first_year: int, last_year: int) -> dict[str, Any]:
    return {
        "@type": "dct:PeriodOfTime",
        "dcat:startDate": _date(date(first_year, 1, 1)),
        "dcat:endDate": _date(date(last_year, 12, 31)),
    }


def _distribution(
    url: str, fmt: str, title: str, *, modified: datetime | None, conforms: str | None = None
) -> dict[str, Any]:
    licence = opendata.licence()
    dist: dict[str, Any] = {
        "@id": url,
        "@type": "dcat:Distribution",
        "dct:title": _text(title),
        "dcat:accessURL": _iri(url),
        "dcat:downloadURL": _iri(url),
        "dct:format": _iri(EU + "file-type/" + FILE_TYPES[fmt]),
        "dcat:mediaType": _iri("https://www.iana.org/assignments/media-types/" + MEDIA_TYPES[fmt]),
        "dct:license": _iri(licence["url"]),
    }
    if modified is not None:
        dist["dct:modified"] = _datetime(modified)
    if conforms:
        dist["dct:conformsTo"] = _iri(conforms)
    return dist


def catalogue(*, base_url: str) -> dict[str, Any]:
    """The catalogue document. Reads the published rounds (1 query)."""
    portal = base_url.rstrip("/")

    def url(path: str) -> str:
        return portal + path

    licence = opendata.licence()
    publisher: dict[str, Any] = {
        "@id": url("/#publisher"),
        "@type": "foaf:Agent",
        "foaf:name": _text(str(settings.PORTAL_NAME)),
        "foaf:homepage": _iri(url("/")),
    }
    contact = {
        "@type": "vcard:Organization",
        "vcard:fn": str(settings.PORTAL_NAME),
        "vcard:hasURL": _iri(url(reverse("public:opendata"))),
    }
    common = {
        "dct:publisher": _iri(publisher["@id"]),
        "dcat:contactPoint": contact,
        "dcat:theme": _iri(EU + "data-theme/GOVE"),
        "dct:spatial": _iri(EU + "country/IDN"),
        "dct:language": _iri(EU + "language/IND"),
        "dct:accessRights": _iri(EU + "access-right/PUBLIC"),
        "dcat:keyword": [
            _text(k) for k in ("smart city", "Indonesia", _("indeks"), _("peringkat"))
        ],
    }
    rounds: list[Round] = list(public_reads.public_rounds().order_by("year", "phase"))
    datasets: list[dict[str, Any]] = []
    newest = max((r.published_at for r in rounds if r.published_at), default=None)
    if rounds:
        series_formats = [
            _distribution(
                url(reverse("public:series", kwargs={"fmt": fmt})),
                fmt,
                _("Seluruh hasil terpublikasi (%(fmt)s)") % {"fmt": fmt.upper()},
                modified=newest,
                conforms=url(reverse("public:datapackage")) if fmt == "csv" else None,
            )
            for fmt in opendata.FORMATS
        ]
        series_formats.append(
            _distribution(
                url(reverse("public:datapackage")),
                "json",
                _("Data Package (Frictionless) seluruh putaran"),
                modified=newest,
                conforms=DATA_PACKAGE_SPEC,
            )
        )
        datasets.append(
            {
                "@id": url(reverse("public:opendata") + "#series"),
                "@type": "dcat:Dataset",
                "dct:identifier": "smartcity-results-all",
                "dct:title": _text(_("Hasil evaluasi smart city, seluruh putaran (deret waktu)")),
                "dct:description": _text(
                    _(
                        "Setiap hasil terpublikasi setiap putaran evaluasi Gerakan Menuju 100 "
                        "Smart City (wilayah × putaran): indeks, predikat, peringkat, skor "
                        "komponen dan dimensi, versi instrumen dan revisi."
                    )
                ),
                "dcat:landingPage": _iri(url(reverse("public:opendata"))),
                "dct:issued": _datetime(min(r.published_at for r in rounds if r.published_at))
                if newest
                else None,
                "dct:modified": _datetime(newest) if newest else None,
                "dct:temporal": _period(rounds[0].year, rounds[-1].year),
                "dcat:distribution": series_formats,
                **common,
            }
        )
    for round_ in rounds:
        distributions = [
            _distribution(
                url(reverse("public:export", kwargs={"round_slug": round_.slug, "fmt": fmt})),
                fmt,
                f"{round_.name} ({fmt.upper()})",
                modified=round_.published_at,
                conforms=(
                    url(reverse("public:round_datapackage", kwargs={"round_slug": round_.slug}))
                    if fmt == "csv"
                    else None
                ),
            )
            for fmt in opendata.FORMATS
        ]
        distributions.append(
            _distribution(
                url(reverse("public:round_datapackage", kwargs={"round_slug": round_.slug})),
                "json",
                _("Data Package (Frictionless) %(round)s") % {"round": round_.name},
                modified=round_.published_at,
                conforms=DATA_PACKAGE_SPEC,
            )
        )
        dataset: dict[str, Any] = {
            "@id": url(reverse("public:opendata") + f"#round-{round_.slug}"),
            "@type": "dcat:Dataset",
            "dct:identifier": f"smartcity-results-{round_.slug}",
            "dct:title": _text(_("Hasil %(round)s") % {"round": round_.name}),
            "dct:description": _text(
                _(
                    "Hasil %(round)s Gerakan Menuju 100 Smart City: indeks, predikat, "
                    "peringkat nasional dan provinsi, skor komponen dan dimensi setiap "
                    "kabupaten/kota peserta."
                )
                % {"round": round_.name}
            ),
            "dcat:landingPage": _iri(url(round_.get_absolute_url())),
            "dct:temporal": _period(round_.year, round_.year),
            "dcat:distribution": distributions,
            "dct:conformsTo": _iri(url(round_.instrument.get_absolute_url())),
            **common,
        }
        if round_.published_at:
            dataset["dct:issued"] = _datetime(round_.published_at)
            dataset["dct:modified"] = _datetime(round_.published_at)
        datasets.append(dataset)
    datasets = [{k: v for k, v in d.items() if v is not None} for d in datasets]
    service: dict[str, Any] = {
        "@id": url("/api/v1/"),
        "@type": "dcat:DataService",
        "dct:title": _text(_("API JSON hasil evaluasi smart city")),
        "dct:description": _text(
            _("Putaran, peringkat, riwayat wilayah dan perbandingan, hanya-baca, dalam JSON.")
        ),
        "dcat:endpointURL": _iri(url("/api/v1/")),
        "dcat:endpointDescription": _iri(url(reverse("public:openapi"))),
        "dct:conformsTo": _iri("https://spec.openapis.org/oas/v3.1.0"),
        "dcat:servesDataset": [_iri(d["@id"]) for d in datasets],
        "dct:license": _iri(licence["url"]),
        "dct:publisher": _iri(publisher["@id"]),
        "dct:accessRights": _iri(EU + "access-right/PUBLIC"),
    }
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "@graph": [
            {
                "@id": url(reverse("public:catalogue")),
                "@type": "dcat:Catalog",
                "dct:title": _text(_("Data terbuka %(portal)s") % {"portal": settings.PORTAL_NAME}),
                "dct:description": _text(
                    _(
                        "Hasil terpublikasi evaluasi Gerakan Menuju 100 Smart City: setiap "
                        "putaran, deret waktu seluruh putaran, dan API JSON. Atribusi: "
                        "%(credit)s"
                    )
                    % {"credit": opendata.credit()}
                ),
                "dct:publisher": _iri(publisher["@id"]),
                "foaf:homepage": _iri(url(reverse("public:opendata"))),
                "dct:language": _iri(EU + "language/IND"),
                "dct:license": _iri(licence["url"]),
                "dct:spatial": _iri(EU + "country/IDN"),
                "dcat:themeTaxonomy": _iri(EU + "data-theme"),
                **({"dct:modified": _datetime(newest)} if newest else {}),
                "dcat:dataset": [_iri(d["@id"]) for d in datasets],
                "dcat:service": [_iri(service["@id"])],
            },
            publisher,
            {
                "@id": licence["url"],
                "@type": "dct:LicenseDocument",
                "rdfs:label": licence["name"],
            },
            *datasets,
            service,
        ],
    }
    return document
