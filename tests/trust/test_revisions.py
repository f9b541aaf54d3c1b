"""Public revisions and derived figures that never go stale (issue 15, points 3 and 4).

The issue's own scenario: twelve regions; 2026 Tahap II and 2027 Tahap I published; 2026 II
is re-opened, Kota Bekasi's levels are corrected to 3, and it is republished.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from evaluations.models import Publication, PublicationKind, Result, RoundStatus
from evaluations.services import rounds as svc
from tests.trust.conftest import run_round

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def history(instrument, twelve_regions, manager):
    """2026 II: region i at level 1 + i % 5 … Bekasi (the first) tops it at 5; 2027 I: all 3,
    Bekasi at 4 (so Bekasi's improvement depends on its 2026 II figures)."""
    regions = twelve_regions
    bekasi = regions[0]
    levels_2026 = {r.code: (i % 5) + 0 for i, r in enumerate(regions)}
    levels_2026[bekasi.code] = 5
    levels_2027 = {r.code: 3 for r in regions}
    levels_2027[bekasi.code] = 4
    r2026 = run_round(regions=regions, levels=levels_2026, manager=manager, year=2026, phase=2)
    r2027 = run_round(regions=regions, levels=levels_2027, manager=manager, year=2027, phase=1)
    return r2026, r2027, bekasi


def result(round_, region) -> Result:
    return Result.objects.get(participation__round=round_, participation__region=region)


def test_reopened_round_keeps_its_last_publication_public_with_a_notice(
    history, manager, anonymous
):
    r2026, r2027, bekasi = history
    svc.round_reopen(round=r2026, by=manager, reason="Level Bekasi salah input")
    page = anonymous.get(r2026.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-notice="correction"' in html
    assert "Level Bekasi salah input" in html
    # The next round's improvement still refers to the published 2026 II figures.
    assert result(r2027, bekasi).previous.participation.round == r2026
    profile = anonymous.get(reverse("public:region", kwargs={"slug": bekasi.slug}))
    assert "Evaluasi 2026 Tahap 2" in profile.content.decode()


def test_correction_republishes_as_a_revision_and_revises_the_next_round(
    history, manager, anonymous
):
    r2026, r2027, bekasi = history
    before = result(r2027, bekasi)
    assert (before.index_change, before.rank_change) == (D("-1.00"), 0)  # 5.00 → 4.00, 1st

    svc.round_reopen(round=r2026, by=manager, reason="Level Bekasi salah input")
    r2026.participations.get(region=bekasi).verified_scores.update(level=3)
    # Until republished, the public still reads Bekasi's published 5.00.
    assert result(r2026, bekasi).index == D("5.00")
    svc.round_finalise(round=r2026, by=manager)
    assert result(r2026, bekasi).index == D("5.00")
    svc.round_publish(round=r2026, by=manager, note="Koreksi level Bekasi")

    corrected = result(r2026, bekasi)
    assert corrected.index == D("3.00")
    # The round's publications: 1 and 2, the second with what moved, old → new.
    _first, second = Publication.objects.filter(round=r2026).order_by("number")
    assert (second.number, second.kind, second.note) == (
        2,
        PublicationKind.CORRECTION,
        "Koreksi level Bekasi",
    )
    moved = {(c["region_code"], c["field"]): (c["old"], c["new"]) for c in second.changes}
    assert moved[(bekasi.code, "index")] == ("5.00", "3.00")
    assert (bekasi.code, "national_rank") in moved
    # 2027 I is revised in the same transaction: Bekasi's improvement against the new 3.00.
    after = result(r2027, bekasi)
    assert after.index_change == D("1.00")
    assert after.rank_change == corrected.national_rank - 1
    revision = Publication.objects.filter(round=r2027).order_by("-number").first()
    assert (revision.number, revision.kind, revision.caused_by) == (
        2,
        PublicationKind.DERIVED,
        r2026,
    )
    assert (bekasi.code, "index_change") in {
        (c["region_code"], c["field"]) for c in revision.changes
    }
    # Readers see both revisions, what changed, and can still download the first one.
    html = anonymous.get(
        reverse("public:revisions", kwargs={"round_slug": r2026.slug})
    ).content.decode()
    assert 'data-revision="1"' in html
    assert 'data-revision="2"' in html
    assert "Koreksi level Bekasi" in html
    old = anonymous.get(
        reverse("public:revision_download", kwargs={"round_slug": r2026.slug, "number": 1})
    )
    old_rows = {row["region_code"]: row for row in json.loads(old.content)["results"]}
    assert old_rows[bekasi.code]["index"] == "5.00"
    later = anonymous.get(
        reverse("public:revisions", kwargs={"round_slug": r2027.slug})
    ).content.decode()
    assert "Revisi dari Evaluasi 2026 Tahap 2" in later
    # Open data names the revision.
    data = json.loads(
        anonymous.get(
            reverse("public:export", kwargs={"round_slug": r2027.slug, "fmt": "json"})
        ).content
    )
    assert {row["revision"] for row in data["results"]} == {2}


def test_an_earlier_round_published_after_a_later_one_revises_it(
    instrument, twelve_regions, manager
):
    regions = twelve_regions[:3]
    levels = {r.code: 3 for r in regions}
    later = run_round(regions=regions, levels=levels, manager=manager, year=2027, phase=1)
    assert result(later, regions[0]).index_change is None
    earlier = run_round(
        regions=regions, levels={r.code: 2 for r in regions}, manager=manager, year=2026, phase=2
    )
    revised = result(later, regions[0])
    assert revised.previous == result(earlier, regions[0])
    assert revised.index_change == D("1.00")
    assert later.publications.order_by("-number").first().caused_by == earlier


def test_withdrawal_shows_the_reason_and_revises_later_rounds(history, manager, anonymous):
    r2026, r2027, bekasi = history
    svc.round_withdraw(round=r2026, by=manager, reason="Data dukung tidak sah")
    r2026.refresh_from_db()
    assert (r2026.is_public, r2026.status) == (False, RoundStatus.REVIEW)
    html = anonymous.get(r2026.get_absolute_url()).content.decode()
    assert "Data dukung tidak sah" in html
    assert 'data-notice="withdrawn"' in html
    assert result(r2027, bekasi).index_change is None  # no earlier published result now
    assert r2027.publications.order_by("-number").first().kind == PublicationKind.DERIVED
    # The withdrawal is itself a numbered entry; the first revision stays downloadable.
    assert r2026.publications.order_by("-number").first().kind == PublicationKind.WITHDRAWAL
    url = reverse("public:revision_download", kwargs={"round_slug": r2026.slug, "number": 1})
    assert anonymous.get(url).status_code == 200


def test_manager_withdraws_from_the_round_page(history, manager, client):
    from tests.conftest import login

    r2026, _r2027, _bekasi = history
    login(client, manager)
    page = client.get(reverse("reviewer:round", args=[r2026.slug])).content.decode()
    assert "Tarik hasil dari publik" in page
    url = reverse("reviewer:round_step", args=[r2026.slug, "withdraw"])
    client.post(url, {"withdraw-reason": ""})
    r2026.refresh_from_db()
    assert r2026.is_public  # no reason, no withdrawal
    client.post(url, {"withdraw-reason": "Data dukung tidak sah"})
    r2026.refresh_from_db()
    assert not r2026.is_public
    assert r2026.withdrawal_reason == "Data dukung tidak sah"
