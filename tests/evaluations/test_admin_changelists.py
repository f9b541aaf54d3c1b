"""Every admin changelist costs the same number of queries with 3 rows as with 30.

The tests loop over the admin registry itself, so a ModelAdmin added later is measured too
(and fails until ``tests/evaluations/admin_rows.py`` can make its rows).
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import login
from tests.evaluations.admin_rows import DEFAULT_ROW_COUNTS, ROW_COUNTS, RowBuilder

PORTAL_APPS = ("regions", "evaluations")


def _label(model) -> str:
    return model._meta.label


REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label in PORTAL_APPS),
    key=_label,
)


def test_every_portal_model_has_an_admin_screen():
    models = {
        model
        for app in PORTAL_APPS
        for model in apps.get_app_config(app).get_models()
        # django-simple-history's Historical* tables are shown through their model's admin.
        if not model.__name__.startswith("Historical")
        # The trust guards' unlock rows exist only inside a transaction: always empty.
        and model.__name__ != "TrustUnlock"
        # An open-data bundle is a cache of public files, one per data version, rebuilt on
        # request and pruned with its job; nothing in it is entered or corrected by hand
        # (managers follow the building jobs at /jobs/).
        and model.__name__ != "OpenDataBundle"
        # A PDF evidence preview is a cache of page images, rebuilt on request when its file
        # changes; nothing in it is entered or corrected by hand (its rendering jobs are at
        # /jobs/ for managers, its evidence in the evidence admin).
        and model.__name__ != "EvidencePreview"
    }
    assert models - set(REGISTERED) == set()


def test_row_builder_can_fill_every_registered_changelist():
    missing = [
        _label(model)
        for model in REGISTERED
        if not hasattr(RowBuilder, f"make_{model._meta.model_name}")
    ]
    assert missing == []


def _changelist(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.context["cl"].result_count, [q["sql"] for q in queries]


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_changelist_query_count_does_not_grow_with_rows(model, client, manager):
    few, many = ROW_COUNTS.get(model, DEFAULT_ROW_COUNTS)
    rows = RowBuilder()
    rows.add(model, few)
    login(client, manager)
    url = reverse(admin_urlname(model._meta, "changelist"))  # type: ignore[arg-type]  # any str
    client.get(url)  # warm process-wide caches (content types) before measuring

    count_few, queries_few = _changelist(client, url)
    rows.add(model, many - few)
    count_many, queries_many = _changelist(client, url)

    assert count_many - count_few == many - few
    assert len(queries_many) == len(queries_few), "\n".join(
        sql for sql in queries_many if sql not in queries_few
    )
