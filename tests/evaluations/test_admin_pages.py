"""A round manager can work in every admin screen; computed figures stay read-only."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from evaluations.models import (
    AgendaItem,
    Attendee,
    Finding,
    ImportUpload,
    Indicator,
    Publication,
    PublishedProgramme,
    Result,
    Round,
    RoundEvent,
    RoundStatus,
)
from tests import factories
from tests.conftest import login
from tests.evaluations.admin_rows import RowBuilder
from tests.evaluations.test_admin_changelists import REGISTERED, _label

pytestmark = pytest.mark.django_db

# Written only by services: results and publications (published figures) and the round's
# status history; previewed imports and the register as published.
READ_ONLY = {Result, Publication, RoundEvent, ImportUpload, PublishedProgramme}


def _url(model, view: str, *args) -> str:
    return reverse(admin_urlname(model._meta, view), args=args)  # type: ignore[arg-type]  # any str


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_manager_opens_changelist_add_and_change_pages(model, client, manager):
    obj = RowBuilder().add(model, 1)[0]
    login(client, manager)

    assert client.get(_url(model, "changelist")).status_code == 200
    assert client.get(_url(model, "add")).status_code == (403 if model in READ_ONLY else 200)
    change = client.get(_url(model, "change", obj.pk))
    assert change.status_code == 200
    if isinstance(admin.site._registry[model], SimpleHistoryAdmin):
        assert client.get(_url(model, "history", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", sorted(READ_ONLY, key=_label), ids=_label)
def test_computed_records_cannot_be_edited_or_deleted_by_hand(model, client, manager):
    obj = RowBuilder().add(model, 1)[0]
    login(client, manager)
    page = client.get(_url(model, "change", obj.pk))
    assert b'name="_save"' not in page.content
    assert client.post(_url(model, "change", obj.pk), {}).status_code == 403
    assert client.post(_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


def test_admin_speaks_indonesian(client, manager):
    login(client, manager)
    page = client.get(_url(Round, "changelist"))
    assert b"Putaran evaluasi" in page.content
    assert b"Cari" in page.content  # Django's own search button, translated


def test_round_status_is_not_editable_in_the_form(client, manager):
    """Status changes go through the round services, which record a RoundEvent."""
    round_ = factories.make_round()
    login(client, manager)
    page = client.get(_url(Round, "change", round_.pk))
    assert b'name="status"' not in page.content
    data = {
        "name": round_.name,
        "slug": round_.slug,
        "year": round_.year,
        "phase": round_.phase,
        "instrument": round_.instrument_id,
        "status": RoundStatus.PUBLISHED,
        "self_assessment_opens": "2024-02-01",
        "self_assessment_closes": "2024-03-31",
        "events-TOTAL_FORMS": 0,
        "events-INITIAL_FORMS": 0,
    }
    response = client.post(_url(Round, "change", round_.pk), data)
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.status == RoundStatus.DRAFT


def test_instrument_page_cost_does_not_grow_with_indicators(client, manager):
    """Indicator rows share their dimension and element choices instead of a query each."""
    instrument = factories.make_instrument(indicators_per_component=1)  # 5 indicators
    login(client, manager)
    url = _url(type(instrument), "change", instrument.pk)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    dimension = factories.ensure_dimensions()[0]
    for n in range(25):
        Indicator.objects.create(
            instrument=instrument,
            code=f"EX-{n:02d}",
            name=f"Tambahan {n}",
            component="impact",
            dimension=dimension,
            element=dimension.elements.first(),
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_participation_page_cost_does_not_grow_with_panel(client, manager, kota_bekasi):
    participation = factories.make_participation(factories.make_round(), kota_bekasi)
    factories.assign(participation, factories.make_reviewer("lead"), lead=True)
    login(client, manager)
    url = _url(type(participation), "change", participation.pk)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(8):
        factories.assign(participation, factories.make_reviewer(f"panel{n}"))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)


def test_manager_finds_regions_and_users_by_search(client, manager, kota_bekasi, bekasi):
    """The autocomplete widgets (region, user) answer a manager."""
    login(client, manager)
    regions = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "evaluations",
            "model_name": "participation",
            "field_name": "region",
            "term": "Bekasi",
        },
    )
    assert regions.status_code == 200
    assert [r["text"] for r in regions.json()["results"]] == ["Kota Bekasi"]
    users = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "regions",
            "model_name": "regionmembership",
            "field_name": "user",
            "term": "bekasi",
        },
    )
    assert users.status_code == 200
    assert [u["text"] for u in users.json()["results"]] == ["bekasi"]


def test_panel_choices_offer_kominfo_staff_only(client, manager, reviewer, bekasi, kota_bekasi):
    participation = factories.make_participation(factories.make_round(), kota_bekasi)
    login(client, manager)
    page = client.get(_url(type(participation), "change", participation.pk))
    form = page.context["inline_admin_formsets"][0].formset.empty_form
    choices = {label for _, label in form.fields["reviewer"].choices}
    assert {"reviewer", "manager"} <= choices
    assert "bekasi" not in choices  # a city operator never sits on a panel


def test_round_changelist_links_to_its_participants(client, manager, kota_bekasi):
    round_ = factories.make_round(year=2025, self_assessment_opens=date(2025, 2, 1))
    factories.make_participation(round_, kota_bekasi)
    login(client, manager)
    page = client.get(_url(Round, "changelist"))
    link = f"{_url(type(round_.participations.get()), 'changelist')}?round__id__exact={round_.pk}"
    assert link.encode() in page.content


def test_field_review_page_cost_does_not_grow_with_agenda_and_findings(client, manager):
    rows = RowBuilder()
    review = rows.field_review
    login(client, manager)
    url = _url(type(review), "change", review.pk)
    rows.add(AgendaItem, 2)
    rows.add(Finding, 2)
    rows.add(Attendee, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    rows.add(AgendaItem, 10)
    rows.add(Finding, 10)
    rows.add(Attendee, 10)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
