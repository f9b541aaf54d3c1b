"""The admin refuses what the database refuses, without a 500: frozen instrument versions
and closed rounds are read-only, bulk deletion skips them, a version duplicates into an
editable draft (issue 15)."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from evaluations.models import Indicator, Instrument, VerifiedScore
from tests.conftest import login
from tests.trust.conftest import run_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(instrument, kota_bekasi, manager):
    return run_round(
        regions=[kota_bekasi], levels={kota_bekasi.code: 4}, manager=manager, year=2026
    )


def _admin(name: str, view: str, *args) -> str:
    return reverse(f"admin:evaluations_{name}_{view}", args=args)


def test_frozen_instrument_pages_refuse_every_change_but_translations(client, manager, published):
    """Issue 16: the English texts of a frozen version stay editable (all of that in
    tests/trust/test_frozen_translations.py); the rest is read-only and nothing is deleted."""
    instrument = published.instrument
    indicator = instrument.indicators.first()
    login(client, manager)
    page = client.get(_admin("instrument", "change", instrument.pk)).content.decode()
    assert 'name="name_en"' in page
    assert 'name="name"' not in page
    assert 'name="weight_baseline"' not in page
    post = client.post(
        _admin("instrument", "change", instrument.pk),
        {"code": instrument.code, "name": "x", "year": 2026, "weight_baseline": 20},
    )
    assert post.status_code in (200, 302)
    client.post(_admin("indicator", "change", indicator.pk), {"weight": "9"})
    assert client.get(_admin("indicator", "delete", indicator.pk)).status_code == 403
    assert client.get(_admin("instrument", "delete", instrument.pk)).status_code == 403
    instrument.refresh_from_db()
    indicator.refresh_from_db()
    assert instrument.name == "Instrumen uji"
    assert instrument.weight_baseline == 10
    assert indicator.weight != 9
    # A new indicator cannot be attached to the frozen version from the add form.
    form = client.get(_admin("indicator", "add")).context["adminform"].form
    assert instrument not in form.fields["instrument"].queryset


def test_bulk_delete_of_closed_rows_is_refused(client, manager, published):
    login(client, manager)
    ids = [str(pk) for pk in VerifiedScore.objects.values_list("pk", flat=True)]
    url = _admin("verifiedscore", "changelist")
    # The confirmation page lists the rows the manager may not delete …
    confirm = client.post(url, {"action": "delete_selected", ACTION_CHECKBOX_NAME: ids})
    assert confirm.status_code == 200
    assert confirm.context["perms_lacking"]
    # … and confirming anyway is refused, not a database error.
    response = client.post(
        url, {"action": "delete_selected", ACTION_CHECKBOX_NAME: ids, "post": "yes"}
    )
    assert response.status_code == 403
    assert VerifiedScore.objects.count() == len(ids)


def test_closed_round_levels_are_read_only(client, manager, published):
    score = VerifiedScore.objects.first()
    login(client, manager)
    assert client.post(_admin("verifiedscore", "change", score.pk), {"level": 0}).status_code == 403
    assert client.get(_admin("verifiedscore", "delete", score.pk)).status_code == 403


def test_duplicate_makes_an_editable_draft_version(client, manager, published):
    source = published.instrument
    login(client, manager)
    client.post(
        _admin("instrument", "changelist"),
        {"action": "duplicate_as_draft", ACTION_CHECKBOX_NAME: [str(source.pk)]},
    )
    copy = Instrument.objects.exclude(pk=source.pk).get(derived_from=source)
    assert not copy.is_frozen
    assert copy.component_weights() == source.component_weights()
    assert sorted(copy.indicators.values_list("code", "level_3", "weight")) == sorted(
        source.indicators.values_list("code", "level_3", "weight")
    )
    assert copy.rating_bands.count() == source.rating_bands.count()
    # The draft is editable by every path.
    copy.weight_baseline, copy.weight_output = 20, 10
    copy.save()
    Indicator.objects.filter(instrument=copy).update(weight=2)
    assert (
        client.get(_admin("instrument", "change", copy.pk)).content.decode().count('name="_save"')
        == 1
    )
