"""The DCAT-AP catalogue (``/data/catalog.jsonld``), parsed as RDF with rdflib: the
properties a CKAN harvester (ckanext-dcat) needs for the catalogue, each dataset, each
distribution and the API's data service; linked from every public page."""

from __future__ import annotations

import pytest
import rdflib.namespace as ns
from django.urls import reverse
from rdflib import Graph, Literal, URIRef

CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")
BASE = "http://testserver"


@pytest.fixture
def graph(anonymous, published) -> Graph:
    response = anonymous.get(reverse("public:catalogue"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    return Graph().parse(data=response.content, format="json-ld")


def one(graph: Graph, subject, predicate):
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, (subject, predicate, values)
    return values[0]


def test_the_catalogue_has_what_dcat_ap_requires(graph):
    catalogue = next(graph.subjects(ns.RDF.type, ns.DCAT.Catalog))
    assert str(one(graph, catalogue, ns.DCTERMS.title)).startswith("Data terbuka")
    assert str(one(graph, catalogue, ns.DCTERMS.description))
    publisher = one(graph, catalogue, ns.DCTERMS.publisher)
    assert (publisher, ns.RDF.type, ns.FOAF.Agent) in graph
    assert str(one(graph, publisher, ns.FOAF.name))
    assert one(graph, catalogue, ns.DCTERMS.license) == CC_BY
    assert one(graph, catalogue, ns.FOAF.homepage) == URIRef(BASE + "/data/")
    assert one(graph, catalogue, ns.DCTERMS.modified).datatype == ns.XSD.dateTime
    assert len(list(graph.objects(catalogue, ns.DCAT.dataset))) == 3  # the series + two rounds
    assert len(list(graph.objects(catalogue, ns.DCAT.service))) == 1


def test_every_dataset_and_distribution_is_complete(graph, published):
    datasets = list(graph.subjects(ns.RDF.type, ns.DCAT.Dataset))
    identifiers = {str(one(graph, d, ns.DCTERMS.identifier)) for d in datasets}
    assert identifiers == {
        "smartcity-results-all",
        f"smartcity-results-{published.round_2023.slug}",
        f"smartcity-results-{published.round_2024.slug}",
    }
    for dataset in datasets:
        dct, dcat = ns.DCTERMS, ns.DCAT
        for prop in (dct.title, dct.description, dct.publisher, dct.modified, dct.issued,
                     dcat.landingPage, dcat.contactPoint):  # fmt: skip
            one(graph, dataset, prop)
        period = one(graph, dataset, ns.DCTERMS.temporal)
        assert one(graph, period, ns.DCAT.startDate).datatype == ns.XSD.date
        assert one(graph, period, ns.DCAT.endDate).datatype == ns.XSD.date
        assert (
            one(graph, dataset, ns.DCAT.contactPoint),
            URIRef("http://www.w3.org/2006/vcard/ns#fn"),
            None,
        ) in graph
        distributions = list(graph.objects(dataset, ns.DCAT.distribution))
        assert len(distributions) == 4  # CSV, XLSX, JSON, data package
        for dist in distributions:
            assert (dist, ns.RDF.type, ns.DCAT.Distribution) in graph
            assert one(graph, dist, ns.DCTERMS.license) == CC_BY
            one(graph, dist, ns.DCTERMS["format"])
            one(graph, dist, ns.DCAT.mediaType)
            url = one(graph, dist, ns.DCAT.accessURL)
            assert url == one(graph, dist, ns.DCAT.downloadURL)
            assert str(url).startswith(BASE + "/data/")
    series = next(d for d in datasets if str(one(graph, d, ns.DCTERMS.identifier)).endswith("-all"))
    period = one(graph, series, ns.DCTERMS.temporal)
    assert one(graph, period, ns.DCAT.startDate) == Literal("2023-01-01", datatype=ns.XSD.date)
    assert one(graph, period, ns.DCAT.endDate) == Literal("2024-12-31", datatype=ns.XSD.date)


def test_every_distribution_url_answers(graph, anonymous):
    """A harvester follows the links: each one is a real download (no 404)."""
    for dist in set(graph.subjects(ns.DCAT.downloadURL, None)):
        url = one(graph, dist, ns.DCAT.downloadURL)
        response = anonymous.get(str(url).removeprefix(BASE))
        assert response.status_code == 200, url
        # The file is what the catalogue says it is, and not empty.
        media_type = str(one(graph, dist, ns.DCAT.mediaType)).rsplit("/media-types/", 1)[-1]
        assert response["Content-Type"].split(";")[0] == media_type, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert len(body) > 100, url


def test_the_api_is_a_data_service_with_its_description(graph, anonymous):
    service = next(graph.subjects(ns.RDF.type, ns.DCAT.DataService))
    assert one(graph, service, ns.DCAT.endpointURL) == URIRef(BASE + "/api/v1/")
    description = one(graph, service, ns.DCAT.endpointDescription)
    assert anonymous.get(str(description).removeprefix(BASE)).status_code == 200
    assert len(list(graph.objects(service, ns.DCAT.servesDataset))) == 3


def test_nothing_unpublished_is_catalogued(graph, published):
    text = graph.serialize(format="nt")
    assert published.hidden.slug not in text


def test_public_pages_link_the_catalogue(anonymous, published):
    for url in ("/", reverse("public:opendata"), published.round_2024.get_absolute_url()):
        html = anonymous.get(url).content.decode()
        assert (
            '<link rel="alternate" type="application/ld+json" title="Katalog data terbuka '
            '(DCAT-AP)" href="/data/catalog.jsonld">'
        ) in html
