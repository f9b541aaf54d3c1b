"""The read-only JSON API: its OpenAPI 3.1 description is valid (openapi-spec-validator),
and every answer, errors included, matches it (openapi-core); pages, filters, and published
data only."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from openapi_spec_validator import validate

from evaluations import opendata
from tests.public.scene import SECRET_INDEX


@pytest.fixture
def spec(anonymous, published) -> dict:
    response = anonymous.get(reverse("public:openapi"))
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.fixture
def api(spec) -> OpenAPI:
    return OpenAPI.from_dict(spec)


def checked(client, api: OpenAPI, url: str, *, status: int = 200) -> dict:
    """GET ``url`` and check request and answer against the OpenAPI description."""
    response = client.get(url)
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    parts = urlsplit(url)
    request = MockRequest(
        "http://testserver",
        "get",
        parts.path,
        args=dict(parse_qsl(parts.query)),
    )
    if "regions=" in parts.query:  # a repeated parameter: MockRequest takes a MultiDict
        from werkzeug.datastructures import ImmutableMultiDict

        request.parameters.query = ImmutableMultiDict(parse_qsl(parts.query))
    answer = MockResponse(
        response.content, status_code=response.status_code, content_type="application/json"
    )
    if status == 200:  # error cases send what the description forbids, on purpose
        api.validate_request(request)
    api.validate_response(request, answer)
    return json.loads(response.content)


def test_the_description_is_valid_openapi_3_1(spec):
    validate(spec)
    assert spec["openapi"] == "3.1.0"
    assert spec["servers"] == [{"url": "http://testserver/api/v1"}]
    assert set(spec["paths"]) == {
        "/", "/rounds/", "/rounds/{slug}/rankings/", "/regions/", "/regions/{slug}/history/",
        "/compare/",
    }  # fmt: skip
    # The result object is the open-data row: same names as the CSV columns.
    assert list(spec["components"]["schemas"]["Result"]["properties"]) == opendata.COLUMN_NAMES


def test_rounds_list_published_rounds_newest_first(anonymous, api, published):
    page = checked(anonymous, api, reverse("api:rounds"))
    assert [r["slug"] for r in page["results"]] == [
        published.round_2024.slug,
        published.round_2023.slug,
    ]
    assert page["count"] == 2
    assert page["next"] is None
    first = page["results"][0]
    assert first["participants"] == 4
    assert first["revision"] == 1
    assert first["links"]["rankings"].endswith(
        f"/api/v1/rounds/{published.round_2024.slug}/rankings/"
    )


def test_rankings_come_a_page_at_a_time_in_national_order(anonymous, api, published):
    url = reverse("api:rankings", kwargs={"slug": published.round_2024.slug})
    first = checked(anonymous, api, url + "?page_size=3")
    assert (first["count"], first["pages"], first["page"]) == (4, 2, 1)
    assert first["previous"] is None
    second = checked(anonymous, api, first["next"].replace("http://testserver", ""))
    assert second["next"] is None
    rows = first["results"] + second["results"]
    expected = published.results_2024
    assert [r["region_code"] for r in rows] == [r.participation.region.code for r in expected]
    assert [r["index"] for r in rows] == [float(r.index) for r in expected]
    assert [r["national_rank"] for r in rows] == [r.national_rank for r in expected]
    # Province filter: Jawa Barat's two cities only.
    west_java = checked(anonymous, api, url + "?province=32")
    assert {r["region_code"] for r in west_java["results"]} == {"32.75", "32.73"}


def test_region_history_and_comparison(anonymous, api, published, kota_bekasi, kota_bandung):
    history = checked(
        anonymous, api, reverse("api:region_history", kwargs={"slug": kota_bekasi.slug})
    )
    assert history["region"]["code"] == "32.75"
    assert [r["round"] for r in history["results"]] == [
        published.round_2023.slug,
        published.round_2024.slug,
    ]
    url = reverse("api:compare") + f"?regions={kota_bekasi.slug}&regions={kota_bandung.slug}"
    comparison = checked(anonymous, api, url)
    assert comparison["round"] == published.round_2024.slug
    assert [r["code"] for r in comparison["regions"]] == ["32.75", "32.73"]
    bekasi = published.result(published.results_2024, kota_bekasi)
    assert comparison["regions"][0]["result"]["index"] == float(bekasi.index)
    assert len(comparison["history"]) == 4
    older = checked(anonymous, api, url + f"&round={published.round_2023.slug}")
    assert older["round"] == published.round_2023.slug


def test_regions_and_index(anonymous, api, published):
    regions = checked(anonymous, api, reverse("api:regions") + "?page_size=2")
    assert regions["count"] == 4
    assert [r["code"] for r in regions["results"]] == ["32.73", "32.75"]
    links = checked(anonymous, api, reverse("api:index"))
    assert links["openapi"] == "http://testserver/data/openapi.json"


def test_nothing_unpublished_and_clear_errors(anonymous, api, published, kota_bekasi):
    hidden = reverse("api:rankings", kwargs={"slug": published.hidden.slug})
    assert checked(anonymous, api, hidden, status=404)["error"]["code"] == "not_found"
    history = checked(
        anonymous, api, reverse("api:region_history", kwargs={"slug": kota_bekasi.slug})
    )
    assert published.hidden.slug not in {r["round"] for r in history["results"]}
    assert float(SECRET_INDEX) not in {r["index"] for r in history["results"]}
    compare = reverse("api:compare") + f"?regions={kota_bekasi.slug}&regions=kota-bandung"
    checked(anonymous, api, compare + f"&round={published.hidden.slug}", status=404)
    one = checked(anonymous, api, reverse("api:compare") + "?regions=kota-bekasi", status=400)
    assert one["error"]["code"] == "bad_regions"
    rounds = reverse("api:rounds")
    assert checked(anonymous, api, rounds + "?page=0", status=400)["error"]["code"] == "bad_page"
    checked(anonymous, api, rounds + "?page=x", status=400)
    checked(anonymous, api, rounds + "?page_size=1000", status=400)
    checked(anonymous, api, rounds + "?page=3", status=404)
    checked(anonymous, api, reverse("api:region_history", kwargs={"slug": "nowhere"}), status=404)
