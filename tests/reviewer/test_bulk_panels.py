"""Managers seat reviewers on many panels at once: by province or cohort, evenly loaded,
never on the panel of a region whose team they belong to; the round page counts what is
scored and says, per participant, what still blocks finalising."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluations.models import ReviewerAssignment
from evaluations.services import panels
from regions.models import Cohort, CohortMembership, RegionMembership
from tests import factories
from tests.conftest import login
from tests.reviewer import factories as rf

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowd(jawa_barat):
    """A round under review with six participants in two provinces and five reviewers."""
    jatim = factories.make_province("35", "Jawa Timur")
    regions = [
        factories.make_region(f"32.{70 + i}", f"Kota Barat {i}", province=jawa_barat)
        for i in range(1, 4)
    ] + [
        factories.make_region(f"35.{70 + i}", f"Kota Timur {i}", province=jatim)
        for i in range(1, 4)
    ]
    round_ = rf.make_review_round(regions)
    reviewers = [factories.make_reviewer(f"penilai{i}") for i in range(1, 6)]
    return round_, regions, reviewers, jatim


def seats(round_) -> Counter:
    return Counter(
        ReviewerAssignment.objects.filter(participation__round=round_).values_list(
            "reviewer__username", flat=True
        )
    )


def test_bulk_assignment_balances_load_and_names_one_lead(crowd, manager):
    round_, _regions, reviewers, _ = crowd
    outcome = panels.panel_assign_bulk(
        round=round_,
        participations=list(round_.participations.select_related("region")),
        reviewers=reviewers,
        size=3,
        by=manager,
    )
    assert outcome.seated == 18
    assert outcome.panels == 6
    load = seats(round_)
    assert max(load.values()) - min(load.values()) <= 1  # 18 seats over 5: 4 or 3 each
    for p in round_.participations.all():
        assert p.panel.count() == 3
        assert p.panel.filter(is_lead=True).count() == 1
    # Running it again changes nothing: the panels are already full.
    again = panels.panel_assign_bulk(
        round=round_,
        participations=list(round_.participations.select_related("region")),
        reviewers=reviewers,
        size=3,
        by=manager,
    )
    assert again.seated == 0


def test_a_region_member_never_sits_on_its_panel(crowd, manager):
    round_, regions, reviewers, _ = crowd
    RegionMembership.objects.create(user=reviewers[0], region=regions[0])
    outcome = panels.panel_assign_bulk(
        round=round_,
        participations=list(round_.participations.select_related("region")),
        reviewers=reviewers[:3],
        size=3,
        by=manager,
    )
    own = round_.participations.get(region=regions[0])
    assert not own.panel.filter(reviewer=reviewers[0]).exists()
    assert own.panel.count() == 2
    assert outcome.conflicts == [("penilai1", "Kota Barat 1")]
    assert outcome.short == ["Kota Barat 1"]


def test_existing_lead_and_seats_are_kept(crowd, manager):
    round_, regions, reviewers, _ = crowd
    first = round_.participations.get(region=regions[0])
    factories.assign(first, reviewers[4], lead=True)
    panels.panel_assign_bulk(
        round=round_, participations=[first], reviewers=reviewers[:2], size=2, by=manager
    )
    assert first.panel.get(is_lead=True).reviewer == reviewers[4]
    assert first.panel.count() == 2


def test_refusals(crowd, manager, reviewer):
    round_, _regions, reviewers, _ = crowd
    everyone = list(round_.participations.select_related("region"))
    with pytest.raises(ValidationError) as err:
        panels.panel_assign_bulk(
            round=round_, participations=everyone, reviewers=[], size=3, by=manager
        )
    assert err.value.messages == [str(panels.BULK_NO_REVIEWERS)]
    city = factories.make_operator(everyone[0].region, "operator")
    with pytest.raises(ValidationError):
        panels.panel_assign_bulk(
            round=round_, participations=everyone, reviewers=[city], size=3, by=manager
        )
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        panels.panel_assign_bulk(
            round=round_, participations=everyone, reviewers=reviewers, size=3, by=reviewer
        )


def test_page_filters_by_province_and_cohort_and_offers_only_reviewers(client, crowd, manager):
    round_, regions, reviewers, jatim = crowd
    cohort = Cohort.objects.create(year=2017, name="Angkatan 2017")
    CohortMembership.objects.create(cohort=cohort, region=regions[0])
    login(client, manager)
    url = reverse("reviewer:panels_bulk", args=[round_.slug])
    page = client.get(url).content.decode()
    assert all(r.username in page for r in reviewers)
    offered = {str(c.data["value"].value) for c in client.get(url).context["form"]["reviewers"]}
    assert str(manager.pk) not in offered  # a manager who is not a reviewer is not offered
    assert offered == {str(r.pk) for r in reviewers}

    response = client.post(
        url, {"reviewers": [reviewers[0].pk, reviewers[1].pk], "province": jatim.pk, "size": 2}
    )
    assert response.status_code == 302
    assert seats(round_) == Counter({"penilai1": 3, "penilai2": 3})
    assert all(
        p.panel.count() == (2 if p.region.province_id == jatim.pk else 0)
        for p in round_.participations.select_related("region")
    )
    client.post(url, {"reviewers": [reviewers[2].pk], "cohort": cohort.pk, "size": 1})
    assert round_.participations.get(region=regions[0]).panel.get().reviewer == reviewers[2]
    # A bad size is an inline error, nothing seated.
    response = client.post(url, {"reviewers": [reviewers[3].pk], "size": 99})
    assert response.status_code == 200
    assert "penilai4" not in seats(round_)


def test_single_panel_form_offers_reviewers_only(client, crowd, manager):
    round_, _regions, reviewers, _ = crowd
    login(client, manager)
    p = round_.participations.first()
    form = client.get(reverse("reviewer:participant", args=[round_.slug, p.pk])).context["form"]
    assert set(form.fields["reviewer"].queryset) == set(reviewers)


def test_progress_counts_what_is_scored_and_blockers_say_what_to_do(
    client, manager, reviewer, scenario
):
    round_ = scenario.round
    login(client, manager)
    url = reverse("reviewer:round", args=[round_.slug])
    html = client.get(url).content.decode()
    assert "(0 dari 2 peserta aktif selesai dinilai)" in html
    assert "Finalisasi menunggu 2 peserta" in html
    bandung = reverse("reviewer:participant", args=[round_.slug, scenario.bandung.pk])
    assert f'belum punya panel — <a href="{bandung}">tetapkan panel</a>' in html
    assert "ketua panel: reviewer" in html
    rf.verify(scenario.bekasi, manager, level=4)
    html = client.get(url).content.decode()
    assert "(1 dari 2 peserta aktif selesai dinilai)" in html
    assert "Finalisasi menunggu 1 peserta" in html


def test_bulk_page_query_count(client, crowd, manager, django_assert_num_queries):
    round_, _regions, _reviewers, _ = crowd
    login(client, manager)
    url = reverse("reviewer:panels_bulk", args=[round_.slug])
    client.get(url)
    # session, user, groups, round, reviewers, loads, provinces, cohorts
    with django_assert_num_queries(8):
        client.get(url)
    for i in range(6, 12):
        factories.make_reviewer(f"penilai{i}")
    with django_assert_num_queries(8):
        client.get(url)
