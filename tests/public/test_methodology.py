"""The methodology page is generated from the instrument of a published round."""

from __future__ import annotations

from django.urls import reverse

from evaluations.models import Indicator
from tests import factories
from tests.public import factories as pf


def page(client, instrument) -> str:
    response = client.get(instrument.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_latest_methodology_shows_the_newest_rounds_instrument(anonymous, published, settings):
    settings.PORTAL_URL = "https://smartcity.example.go.id"
    response = anonymous.get(reverse("public:methodology_latest"))
    assert response.status_code == 200  # shown at once, not redirected (issue 16)
    # Absolute from PORTAL_URL, not from the request's host (same bytes on every app server).
    canonical = "https://smartcity.example.go.id" + published.instrument.get_absolute_url()
    assert f'<link rel="canonical" href="{canonical}">' in response.content.decode()
    assert page(anonymous, published.instrument).count("<tr") == response.content.decode().count(
        "<tr"
    )


def test_dimensions_components_weights_and_bands(anonymous, published):
    html = page(anonymous, published.instrument)
    for dimension in ("Smart Governance", "Smart Environment", "Smart Living 2"):
        assert dimension in html
    for component, weight in (("Baseline", 10), ("Output", 20), ("Outcome", 30), ("Impact", 30)):
        assert f'<th scope="row">{component}</th><td class="num">{weight}%</td>' in html
    assert "indeks ≥ 4,20" in html
    assert "3,50 ≤ indeks &lt; 4,20" in html
    assert "0,00 ≤ indeks &lt; 1,80" in html


def test_indicators_with_level_descriptors(anonymous, published):
    indicator = Indicator.objects.filter(instrument=published.instrument).first()
    indicator.level_3 = "Kebijakan sudah ditetapkan dan dilaksanakan sebagian OPD"
    with factories.guards_lifted():  # the instrument is frozen: set up as a restore would
        indicator.save()
    html = page(anonymous, published.instrument)
    assert indicator.code in html
    assert indicator.name in html
    assert "Kebijakan sudah ditetapkan dan dilaksanakan sebagian OPD" in html
    assert (
        html.count("Deskripsi level")
        >= Indicator.objects.filter(instrument=published.instrument).count()
    )


def test_rounding_ranking_and_improvement_rules_with_a_worked_example(anonymous, db):
    instrument = factories.make_instrument(code="jambi-2022", weights=(10, 20, 30, 20, 20))
    pf.make_round_with_results(pf.make_regions(2), year=2022, instrument=instrument)
    html = page(anonymous, instrument)
    assert "dibulatkan setengah ke atas menjadi 2 desimal" in html
    # Issue 15: the index comes from the unrounded component scores.
    assert "indeks dihitung dari skor komponen yang belum dibulatkan" in html
    assert "(1, 2, 2, 4)" in html
    assert "perubahan indeks = indeks sekarang − indeks sebelumnya" in html
    # 10/20/30/20/20 with 3.6, 3.2125, 3.225, 3.066667, 3.65 gives 3.313333 → 3.31,
    # where the shown components (3.60, 3.21, 3.23, 3.07, 3.65) would give 3.32.
    assert "3,313333 → indeks <strong>3,31</strong>" in html
    assert "hasilnya 3,32" in html
    assert "3,20 → 2; 3,20 → 2; 3,05 → 4" in html


def test_the_example_is_computed_live_from_the_versions_weights(anonymous, published):
    html = page(anonymous, published.instrument)  # 10/20/30/30/10
    # 0.36 + 0.6425 + 0.9675 + 0.92 + 0.365 = 3.255000 (computed, not a fixed text).
    assert "3,255000 → indeks <strong>3,26</strong>" in html


def test_unknown_instrument_answers_404(anonymous, published):
    url = reverse("public:methodology", kwargs={"instrument": "tidak-ada"})
    assert anonymous.get(url).status_code == 404
