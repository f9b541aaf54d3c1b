"""Data of a round that is not published (scores, results, findings) appears on no public
page, export or JSON, and its URLs answer 404 — also right after a published round is
re-opened, with the pages already cached."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from evaluations.models import RoundStatus
from tests import factories
from tests.public import factories as pf
from tests.public.scene import SECRET_FINDING, SECRET_INDEX

SECRET_TEXTS = (
    SECRET_FINDING,
    "4,87",  # the hidden index as Indonesian pages print it
    "4.87",  # … and as exports write it
    "evaluasi-2025-tahap-1",
    "Evaluasi 2025 Tahap 1",
    "Berita acara internal",
)


def round_urls(round_) -> list[str]:
    return [
        reverse("public:rankings", kwargs={"round_slug": round_.slug}),
        reverse("public:rankings_provinces", kwargs={"round_slug": round_.slug}),
        reverse("public:rankings_metrics", kwargs={"round_slug": round_.slug}),
        reverse("public:rankings_metric", kwargs={"round_slug": round_.slug, "metric": "living"}),
        reverse("public:export", kwargs={"round_slug": round_.slug, "fmt": "csv"}),
        reverse("public:export", kwargs={"round_slug": round_.slug, "fmt": "xlsx"}),
        reverse("public:export", kwargs={"round_slug": round_.slug, "fmt": "json"}),
        reverse("public:map") + f"?round={round_.slug}",
        reverse("public:compare")
        + f"?regions=kota-bekasi&regions=kota-bandung&round={round_.slug}",
    ]


def every_public_url(scene) -> list[str]:
    urls = [
        reverse("public:home"),
        reverse("public:map"),
        reverse("public:compare"),
        reverse("public:compare") + "?regions=kota-bekasi&regions=kota-bandung",
        reverse("public:compare")
        + "?regions=kota-bekasi&regions=kota-bandung"
        + "&regions=kota-surabaya&regions=kabupaten-sleman",
        reverse("public:opendata"),
        reverse("public:methodology", kwargs={"instrument": scene.instrument.code}),
    ]
    for round_ in (scene.round_2023, scene.round_2024):
        urls += round_urls(round_)
    urls += [region.get_absolute_url() for region in scene.regions]
    return urls


def test_unpublished_round_urls_answer_404(anonymous, published):
    for url in round_urls(published.hidden):
        assert anonymous.get(url).status_code == 404, url


@pytest.mark.parametrize("status", [s for s in RoundStatus.values if s != RoundStatus.PUBLISHED])
def test_rounds_in_every_unpublished_status_stay_hidden(anonymous, published, status):
    published.hidden.status = status
    published.hidden.save(update_fields=["status"])
    assert anonymous.get(published.hidden.get_absolute_url()).status_code == 404


def test_no_public_page_or_file_shows_unpublished_figures(anonymous, published):
    for url in every_public_url(published):
        response = anonymous.get(url)
        assert response.status_code == 200, url
        body = response.content.decode("utf-8", errors="ignore")
        for secret in SECRET_TEXTS:
            assert secret not in body, (url, secret)


def test_latest_rankings_and_home_point_at_the_newest_published_round(
    anonymous, published, settings
):
    settings.PORTAL_URL = "https://smartcity.example.go.id/"
    response = anonymous.get(reverse("public:rankings_latest"))
    assert response.status_code == 200  # shown at once, not redirected (issue 16)
    html = response.content.decode()
    own = published.round_2024.get_absolute_url()
    # Absolute, from PORTAL_URL (not the request's host: the same bytes on every app server).
    assert f'<link rel="canonical" href="https://smartcity.example.go.id{own}">' in html
    assert "Peringkat Evaluasi 2024 Tahap 1" in html
    assert "Evaluasi 2024 Tahap 1" in anonymous.get("/").content.decode()


def test_region_only_in_an_unpublished_round_has_no_profile(anonymous, published, jawa_barat):
    newcomer = factories.make_region("32.79", "Kota Banjar", province=jawa_barat)
    participation = factories.make_participation(published.hidden, newcomer)
    pf.make_result(participation, index=SECRET_INDEX)
    assert anonymous.get(newcomer.get_absolute_url()).status_code == 404
    response = anonymous.get(reverse("public:compare") + "?regions=kota-bekasi&regions=kota-banjar")
    assert "Kota Banjar" not in response.content.decode()


def test_instrument_used_only_by_unpublished_rounds_has_no_methodology(anonymous, published):
    draft_instrument = factories.make_instrument(code="instrumen-rahasia")
    factories.make_round(instrument=draft_instrument, year=2030, status=RoundStatus.REVIEW)
    url = reverse("public:methodology", kwargs={"instrument": "instrumen-rahasia"})
    assert anonymous.get(url).status_code == 404


def test_reopened_round_stays_public_with_a_correction_notice(anonymous, published):
    """Issue 15: re-opening keeps the last publication readable everywhere, with a notice."""
    url = published.round_2024.get_absolute_url()
    csv_url = reverse(
        "public:export", kwargs={"round_slug": published.round_2024.slug, "fmt": "csv"}
    )
    assert "Dalam koreksi" not in anonymous.get(url).content.decode()  # now cached
    pf.reopen(published.round_2024)
    page = anonymous.get(url).content.decode()
    assert "Dalam koreksi sejak" in page
    assert "Koreksi nilai" in page  # the reason
    assert anonymous.get(csv_url).status_code == 200
    profile = anonymous.get("/regions/kota-bekasi/").content.decode()
    assert "Evaluasi 2024 Tahap 1" in profile
    assert "Dalam koreksi sejak" in profile


def test_withdrawn_round_disappears_even_from_cached_pages(anonymous, published):
    url = published.round_2024.get_absolute_url()
    csv_url = reverse(
        "public:export", kwargs={"round_slug": published.round_2024.slug, "fmt": "csv"}
    )
    assert anonymous.get(url).status_code == 200  # now cached
    assert anonymous.get(csv_url).status_code == 200
    first_index = published.results_2024[0].index
    pf.withdraw(published.round_2024, reason="Data sumber tidak sah")
    page = anonymous.get(url).content.decode()
    assert "Data sumber tidak sah" in page  # the reason, in place of the figures
    assert 'data-notice="withdrawn"' in page
    assert "<table" not in page
    assert str(first_index).replace(".", ",") not in page
    assert anonymous.get(csv_url).status_code == 404
    home = anonymous.get("/").content.decode()
    assert "Evaluasi 2024 Tahap 1" not in home
    profile = anonymous.get("/regions/kota-bekasi/").content.decode()
    assert "Evaluasi 2024 Tahap 1" not in profile
    assert "Mall Pelayanan Publik" not in profile  # its finding went with it


def test_change_against_an_unpublished_round_is_not_shown(anonymous, published):
    """2024's improvement is measured against 2023; once 2023 is withdrawn, showing the
    change would disclose 2023's withdrawn index. (Re-opened, 2023 stays published.)"""
    pf.withdraw(published.round_2023)
    bekasi_2024 = published.result(published.results_2024, published.regions[0])
    assert bekasi_2024.index_change is not None
    page = anonymous.get(published.round_2024.get_absolute_url()).content.decode()
    assert "+1,37" not in page
    assert "−1,83" not in page
    data = json.loads(
        anonymous.get(
            reverse(
                "public:export", kwargs={"round_slug": published.round_2024.slug, "fmt": "json"}
            )
        ).content
    )
    assert {row["index_change"] for row in data["results"]} == {None}
    assert {row["rank_change"] for row in data["results"]} == {None}


def test_profile_shows_public_programme_fields_only(anonymous, published):
    body = anonymous.get("/regions/kota-bekasi/").content.decode()
    assert "Program publik 0" in body
    assert "Diskominfo" in body  # the agency
    assert "1.234.567.890" not in body
    assert "1234567890" not in body
    assert "Catatan internal" not in body  # description
