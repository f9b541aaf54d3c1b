"""A region's public profile: facts, results over time as charts, programmes (public fields),
published field-review highlights, SPBE history and awards."""

from __future__ import annotations

from django.urls import reverse

from tests import factories
from tests.public import factories as pf
from tests.public.scene import PUBLIC_FINDING


def profile(client, slug: str = "kota-bekasi") -> str:
    response = client.get(reverse("public:region", kwargs={"slug": slug}))
    assert response.status_code == 200
    return response.content.decode()


def test_key_facts_and_latest_result(anonymous, published):
    html = profile(anonymous)
    for fact in ("Jawa Barat", "Kota", "32.75", "Bekasi", "2.500.000", "210,00", "Angkatan 2017"):
        assert fact in html, fact
    latest = published.result(published.results_2024, published.regions[0])
    assert f'data-figure="index">{latest.index:.2f}'.replace(".", ",") in html
    assert f'data-figure="national-rank">{latest.national_rank}<' in html
    assert "Peringkat di Jawa Barat" in html


def test_charts_are_accessible_svg_with_data_tables(anonymous, published):
    html = profile(anonymous)
    for chart in ("chart-history", "chart-radar", "chart-components", "chart-spbe"):
        assert f'role="img" aria-labelledby="{chart}-title {chart}-desc"' in html, chart
        assert f'<title id="{chart}-title">' in html
        assert f'<desc id="{chart}-desc">' in html
    assert html.count("Tabel data") >= 4
    # History over both published rounds, never the unpublished one.
    assert "2023 I" in html
    assert "2024 I" in html
    assert "2025 I" not in html


def test_programmes_by_dimension_with_public_fields(anonymous, published):
    archived = factories.make_programme(published.regions[0], title="Program lama")
    archived.archived_at = archived.updated_at
    archived.save()
    html = profile(anonymous)
    assert "Program publik 0" in html
    assert "Quick win" in html
    assert "Berjalan" in html
    assert "mulai 2022" in html
    assert "Program lama" not in html


def test_findings_of_published_rounds_only(anonymous, published):
    html = profile(anonymous)
    assert PUBLIC_FINDING in html
    assert "TEMUAN-RAHASIA" not in html
    assert "Berita acara internal" not in html  # the minutes are not public


def test_digital_government_index_and_awards(anonymous, published):
    html = profile(anonymous)
    assert "SPBE 2022: <strong>2,70</strong>" in html
    assert "Penghargaan 2" in html
    assert "peringkat 3" in html


def test_programme_shares_of_the_latest_result(anonymous, published):
    html = profile(anonymous)
    assert "9 dari 10" in html
    assert "90%" in html


def test_cohort_member_without_results_has_a_profile_without_figures(anonymous, published):
    region = factories.make_region("32.77", "Kota Cimahi", province=published.regions[0].province)
    pf.make_cohort(2017, [region])
    html = profile(anonymous, "kota-cimahi")
    assert "Belum ada hasil evaluasi yang dipublikasikan" in html
    assert "chart-radar" not in html


def test_region_outside_the_movement_answers_404(anonymous, published):
    factories.make_region("32.78", "Kota Tasikmalaya", province=published.regions[0].province)
    assert anonymous.get("/regions/kota-tasikmalaya/").status_code == 404
    assert anonymous.get("/regions/tidak-ada/").status_code == 404
