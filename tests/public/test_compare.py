"""Compare two to four regions side by side, with a shareable URL and a form that works
without JavaScript."""

from __future__ import annotations

from django.urls import reverse

from evaluations.forms.public import COMPARE_TOO_FEW, COMPARE_TOO_MANY
from tests import factories
from tests.public import factories as pf
from tests.public.html import table_rows

COMPARE = reverse("public:compare")


def test_two_regions_side_by_side(anonymous, published):
    response = anonymous.get(COMPARE + "?regions=kota-bekasi&regions=kota-bandung")
    html = response.content.decode()
    assert response.status_code == 200
    for chart in ("chart-compare-radar", "chart-compare-components", "chart-compare-history"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in html
    rows = {row[0]: row[1:] for row in table_rows(html, "compare-table") if len(row) > 1}
    bekasi = published.result(published.results_2024, published.regions[0])
    bandung = published.result(published.results_2024, published.regions[1])
    assert rows["Peringkat nasional"] == [str(bekasi.national_rank), str(bandung.national_rank)]
    assert "http://testserver/compare/?regions=kota-bekasi&amp;regions=kota-bandung" in html
    # The picker shows the choice, so the reader can change it.
    assert '<option value="kota-bekasi" selected>' in html


def test_empty_selects_are_dropped_into_a_tidy_shareable_url(anonymous, published):
    response = anonymous.get(
        COMPARE + "?regions=kota-bekasi&regions=&regions=kota-bandung&regions=&round="
    )
    assert response.status_code == 302
    assert response.url == COMPARE + "?regions=kota-bekasi&regions=kota-bandung"


def test_one_region_or_five_are_refused_with_a_message(anonymous, published):
    one = anonymous.get(COMPARE + "?regions=kota-bekasi").content.decode()
    assert str(COMPARE_TOO_FEW) in one
    same_twice = anonymous.get(COMPARE + "?regions=kota-bekasi&regions=kota-bekasi")
    assert str(COMPARE_TOO_FEW) in same_twice.content.decode()
    extra = factories.make_region("32.77", "Kota Cimahi", province=published.regions[0].province)
    pf.make_result(factories.make_participation(published.round_2024, extra), national_rank=5)
    five = "&".join(f"regions={r.slug}" for r in published.regions) + "&regions=kota-cimahi"
    response = anonymous.get(COMPARE + "?" + five)
    assert response.status_code == 200
    assert str(COMPARE_TOO_MANY) in response.content.decode()


def test_unknown_region_is_a_404_not_a_server_error(anonymous, published):
    # Not a page of its own either (issue 12, finding 5: junk values filled the cache).
    response = anonymous.get(COMPARE + "?regions=kota-bekasi&regions=<script>")
    assert response.status_code == 404
    assert "<script>alert" not in response.content.decode()
    assert "compare-table" not in response.content.decode()


def test_compare_in_an_earlier_round(anonymous, published):
    url = COMPARE + f"?regions=kota-bekasi&regions=kota-bandung&round={published.round_2023.slug}"
    html = anonymous.get(url).content.decode()
    bekasi = published.result(published.results_2023, published.regions[0])
    rows = {row[0]: row[1:] for row in table_rows(html, "compare-table") if len(row) > 1}
    assert rows["Peringkat nasional"][0] == str(bekasi.national_rank)
    assert f'<option value="{published.round_2023.slug}" selected>' in html


def test_region_without_a_result_in_the_round_is_named(anonymous, published):
    late = factories.make_region("32.77", "Kota Cimahi", province=published.regions[0].province)
    pf.make_result(factories.make_participation(published.round_2023, late), national_rank=5)
    html = anonymous.get(COMPARE + "?regions=kota-bekasi&regions=kota-cimahi").content.decode()
    assert "Tanpa hasil pada putaran ini:" in html
    assert "Kota Cimahi" in html
