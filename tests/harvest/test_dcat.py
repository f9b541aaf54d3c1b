"""The DCAT-AP catalogue (``/data/catalog.jsonld``), parsed as RDF with rdflib: the
properties a CKAN harvester (ckanext-dcat) needs for the catalogue, each dataset, each
distribution and the API's data service; linked from every public page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, XSD

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
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
    catalogue = next(graph.subjects(RDF.type, DCAT.Catalog))
    assert str(one(graph, catalogue, DCTERMS.title)).startswith("Data terbuka")
    assert str(one(graph, catalogue, DCTERMS.description))
    publisher = one(graph, catalogue, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in graph
    assert str(one(graph, publisher, FOAF.name))
    assert one(graph, catalogue, DCTERMS.license) == CC_BY
    assert one(graph, catalogue, FOAF.homepage) == URIRef(BASE + "/data/")
    assert one(graph, catalogue, DCTERMS.modified).datatype == XSD.dateTime
    assert len(list(graph.objects(catalogue, DCAT.dataset))) == 3  # the series + two rounds
    assert len(list(graph.objects(catalogue, DCAT.service))) == 1


def test_every_dataset_and_distribution_is_complete(graph, published):
    datasets = list(graph.subjects(RDF.type, DCAT.Dataset))
    identifiers = {str(one(graph, d, DCTERMS.identifier)) for d in datasets}
    assert identifiers == {
        "smartcity-results-all",
        f"smartcity-results-{published.round_2023.slug}",
        f"smartcity-results-{published.round_2024.slug}",
    }
    for dataset in datasets:
        for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCTERMS.modified,
                     DCTERMS.issued, DCAT.landingPage, DCAT.contactPoint):  # fmt: skip
            one(graph, dataset, prop)
        period = one(graph, dataset, DCTERMS.temporal)
        assert one(graph, period, DCAT.startDate).datatype == XSD.date
        assert one(graph, period, DCAT.endDate).datatype == XSD.date
        assert (one(graph, dataset, DCAT.contactPoint), VCARD.fn, None) in graph
        distributions = list(graph.objects(dataset, DCAT.distribution))
        assert len(distributions) == 4  # CSV, XLSX, JSON, data package
        for dist in distributions:
            assert (dist, RDF.type, DCAT.Distribution) in graph
            assert one(graph, dist, DCTERMS.license) == CC_BY
            one(graph, dist, DCTERMS["format"])
            one(graph, dist, DCAT.mediaType)
            url = one(graph, dist, DCAT.accessURL)
            assert url == one(graph, dist, DCAT.downloadURL)
            assert str(url).startswith(BASE + "/data/")
    series = next(d for d in datasets if str(one(graph, d, DCTERMS.identifier)).endswith("-all"))
    period = one(graph, series, DCTERMS.temporal)
    assert one(graph, period, DCAT.startDate) == Literal("2023-01-01", datatype=XSD.date)
    assert one(graph, period, DCAT.endDate) == Literal("2024-12-31", datatype=XSD.date)


def test_every_distribution_url_answers(graph, anonymous):
    """A harvester follows the links: each one is a real download (no 404)."""
    for url in set(graph.objects(None, DCAT.downloadURL)):
        response = anonymous.get(str(url).removeprefix(BASE))
        assert response.status_code == 200, url


def test_the_api_is_a_data_service_with_its_description(graph, anonymous):
    service = next(graph.subjects(RDF.type, DCAT.DataService))
    assert one(graph, service, DCAT.endpointURL) == URIRef(BASE + "/api/v1/")
    description = one(graph, service, DCAT.endpointDescription)
    assert anonymous.get(str(description).removeprefix(BASE)).status_code == 200
    assert len(list(graph.objects(service, DCAT.servesDataset))) == 3


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
