"""Points of issue 15 that no other test showed on its own: each round's pages name and
link their own frozen method, a region cannot be deleted from under a published round, and
a republication with its later rounds' revisions is one transaction."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from evaluations import trust
from evaluations.models import Instrument, Publication, PublicationKind, Result, RoundStatus
from evaluations.services import rounds as svc
from evaluations.services.instruments import instrument_duplicate
from smartcity.synthetic import national
from tests.trust.conftest import run_round

pytestmark = pytest.mark.django_db


def test_each_rounds_pages_name_and_link_their_own_frozen_method(
    instrument, twelve_regions, manager, anonymous
):
    regions = twelve_regions[:3]
    old = run_round(
        regions=regions, levels={r.code: 3 for r in regions}, manager=manager, year=2026
    )
    newer = instrument_duplicate(instrument=instrument, by=manager)
    Instrument.objects.filter(pk=newer.pk).update(weight_baseline=20, weight_quick_win=0)
    new = run_round(
        regions=regions,
        levels={r.code: 3 for r in regions},
        manager=manager,
        year=2027,
        instrument=newer,
    )
    for round_, method in ((old, instrument), (new, newer)):
        html = anonymous.get(
            reverse("public:rankings", kwargs={"round_slug": round_.slug})
        ).content.decode()
        assert f'href="{method.get_absolute_url()}"' in html
        assert method.version_label in html
        other = newer if method == instrument else instrument
        assert f'href="{other.get_absolute_url()}"' not in html
    # The old version's page still shows the weights that produced the 2026 figures.
    row = '<th scope="row">Baseline</th><td class="num">{}%</td>'
    page = anonymous.get(instrument.get_absolute_url()).content.decode()
    assert row.format(10) in page
    assert row.format(20) in anonymous.get(newer.get_absolute_url()).content.decode()
    profile = anonymous.get(reverse("public:region", kwargs={"slug": regions[0].slug}))
    assert newer.version_label in profile.content.decode()  # the newest figures' method


def test_a_region_cannot_be_deleted_from_under_a_published_round(
    instrument, twelve_regions, manager
):
    regions = twelve_regions[:2]
    round_ = run_round(
        regions=regions, levels={r.code: 4 for r in regions}, manager=manager, year=2026
    )
    with pytest.raises(ProtectedError), transaction.atomic():
        regions[0].delete()
    # Raw SQL: the foreign key refuses it when the transaction would commit (Django's
    # constraints are deferred; check_constraints() checks them now, as COMMIT would).
    with pytest.raises(IntegrityError), transaction.atomic():
        _delete_region_as_commit_would(regions[0].pk)
    assert Result.objects.filter(participation__round=round_).count() == 2


def _delete_region_as_commit_would(pk: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM regions_region WHERE id = %s", [pk])
    connection.check_constraints()


def test_a_republication_and_its_later_revisions_are_one_transaction(
    instrument, twelve_regions, manager, monkeypatch
):
    """If revising a later round fails, the correction is not published either."""
    regions = twelve_regions[:3]
    first = run_round(
        regions=regions,
        levels={r.code: 2 + i for i, r in enumerate(regions)},
        manager=manager,
        year=2026,
    )
    later = run_round(
        regions=regions, levels={r.code: 3 for r in regions}, manager=manager, year=2027
    )
    svc.round_reopen(round=first, by=manager, reason="Koreksi")
    first.participations.get(region=regions[0]).verified_scores.update(level=5)
    svc.round_finalise(round=first, by=manager)
    before = {
        r.pk: (r.index, r.index_change, r.rank_change)
        for r in Result.objects.filter(participation__round__in=[first, later])
    }
    publications = Publication.objects.count()

    monkeypatch.setattr(svc, "_add_publication", _failing_for_derived(svc._add_publication))
    with pytest.raises(RuntimeError, match="disk full"):
        svc.round_publish(round=first, by=manager, note="Koreksi")
    first.refresh_from_db()
    assert first.status == RoundStatus.FINALISED
    assert first.under_correction_since is not None  # still under correction, in public
    assert Publication.objects.count() == publications
    assert {
        r.pk: (r.index, r.index_change, r.rank_change)
        for r in Result.objects.filter(participation__round__in=[first, later])
    } == before
    assert Result.objects.get(
        participation__round=first, participation__region=regions[0]
    ).index == Decimal("2.00")


def _failing_for_derived(real):
    def add(round_, **kwargs):
        if kwargs.get("kind") == PublicationKind.DERIVED:
            raise RuntimeError("disk full")
        return real(round_, **kwargs)

    return add


def test_synthetic_data_is_never_reset_in_production(settings, instrument, twelve_regions, manager):
    """``generate_national --reset`` goes through the one logged purge path, which
    production settings refuse, as ``load_demo --reset`` does (tests/evaluations)."""
    regions = twelve_regions[:2]
    round_ = run_round(
        regions=regions, levels={r.code: 4 for r in regions}, manager=manager, year=2026
    )
    settings.HTTPS_ONLY = True
    with pytest.raises(CommandError, match="production"):
        call_command("generate_national", "--reset", stdout=StringIO())
    with pytest.raises(trust.PurgeRefused):
        national.remove()
    assert Result.objects.filter(participation__round=round_).count() == 2
