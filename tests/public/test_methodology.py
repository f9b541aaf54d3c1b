"""The methodology page is generated from the instrument of a published round."""

from __future__ import annotations

import re

from django.urls import reverse

from evaluations.models import Indicator
from tests import factories
from tests.public import factories as pf


def page(client, instrument) -> str:
    response = client.get(instrument.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_latest_methodology_redirects_to_the_newest_rounds_instrument(anonymous, published):
    response = anonymous.get(reverse("public:methodology_latest"))
    assert response.url == published.instrument.get_absolute_url()


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
    assert "dihitung dari skor komponen yang sudah dibulatkan" in html
    assert "(1, 2, 2, 4)" in html
    assert "perubahan indeks = indeks sekarang − indeks sebelumnya" in html
    # 10/20/30/20/20 with 3.60, 3.21, 3.23, 3.07, 3.65 gives exactly 3.315 → 3.32,
    # where float arithmetic would print 3.31.
    assert "3,3150 → indeks <strong>3,32</strong>" in html
    assert "Aritmetika floating point akan menghasilkan 3,31" in html
    assert "3,20 → 2; 3,20 → 2; 3,05 → 4" in html


def test_the_example_shows_a_half_for_other_weights_too(anonymous, published):
    html = page(anonymous, published.instrument)  # 10/20/30/30/10
    assert re.search(r"= \d,\d\d50 → indeks <strong>", html)  # exact index ends in a half


def test_unknown_instrument_answers_404(anonymous, published):
    url = reverse("public:methodology", kwargs={"instrument": "tidak-ada"})
    assert anonymous.get(url).status_code == 404
