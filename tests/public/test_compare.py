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
    assert 'value="Kota Bekasi (32.75)" list="compare-regions"' in html


def test_empty_selects_are_dropped_into_a_tidy_shareable_url(anonymous, published):
    response = anonymous.get(
        COMPARE + "?regions=kota-bekasi&regions=&regions=kota-bandung&regions=&round="
    )
    assert response.status_code == 302
    assert response.url == COMPARE + "?regions=kota-bekasi&regions=kota-bandung"


def test_one_region_from_a_profile_link_opens_without_an_error(anonymous, published):
    region = published.regions[0]
    profile = anonymous.get(region.get_absolute_url()).content.decode()
    link = COMPARE + f"?regions={region.slug}"
    assert f'href="{link}"' in profile
    html = anonymous.get(link).content.decode()
    assert str(COMPARE_TOO_FEW) not in html
    assert "alert-danger" not in html
    assert "Pilih paling sedikit satu wilayah lagi" in html
    assert 'id="compare-region-1" value="Kota Bekasi (32.75)"' in html


def test_typed_names_and_picked_values_become_a_tidy_url(anonymous, published):
    # What the datalist puts in the field, a typo and a code without its dot all work
    # without JavaScript: the server resolves them and redirects to the shareable URL.
    response = anonymous.get(
        COMPARE, {"regions": ["Kota Bekasi (32.75)", "kota bandng"], "round": ""}
    )
    assert response.status_code == 302
    assert response.url == COMPARE + "?regions=kota-bekasi&regions=kota-bandung"
    response = anonymous.get(COMPARE, {"regions": ["3275", "Kota Bandung"]})
    assert response.url == COMPARE + "?regions=kota-bekasi&regions=kota-bandung"


def test_ambiguous_text_offers_the_close_matches(anonymous, published):
    kab = factories.make_region(
        "32.16", "Kabupaten Bekasi", province=published.regions[0].province, kind="kabupaten"
    )
    pf.make_result(factories.make_participation(published.round_2024, kab), national_rank=4)
    response = anonymous.get(COMPARE, {"regions": ["bekasi", "kota-bandung"]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Maksud Anda:" in html
    for slug in ("kota-bekasi", "kabupaten-bekasi"):
        assert f'href="{COMPARE}?regions={slug}&amp;regions=kota-bandung"' in html
    assert "compare-table" not in html


def test_the_picker_offers_each_region_once_for_typeahead(anonymous, published):
    html = anonymous.get(COMPARE).content.decode()
    assert html.count('<datalist id="compare-regions">') == 1
    assert html.count('<option value="Kota Bekasi (32.75)">') == 1
    assert html.count('list="compare-regions"') == 4


def test_same_twice_or_five_are_refused_with_a_message(anonymous, published):
    same_twice = anonymous.get(COMPARE + "?regions=kota-bekasi&regions=kota-bekasi")
    assert str(COMPARE_TOO_FEW) in same_twice.content.decode()
    extra = factories.make_region("32.77", "Kota Cimahi", province=published.regions[0].province)
    pf.make_result(factories.make_participation(published.round_2024, extra), national_rank=5)
    five = "&".join(f"regions={r.slug}" for r in published.regions) + "&regions=kota-cimahi"
    response = anonymous.get(COMPARE + "?" + five)
    assert response.status_code == 200
    assert str(COMPARE_TOO_MANY) in response.content.decode()


def test_unknown_region_is_offered_suggestions_not_a_server_error(anonymous, published):
    # Typed text that names no region gets the picker back (issue 16); the page is not
    # cached (issue 12, finding 5; see test_canonical_cache).
    response = anonymous.get(COMPARE + "?regions=kota-bekasi&regions=<script>")
    assert response.status_code == 200
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
