"""The real reference data, loaded once per test module that asks for it.

Loading 552 regions takes a noticeable moment, so it is not done per test. A module that
needs the fixtures says ``pytestmark = pytest.mark.usefixtures("reference_data")``: the
fixtures are loaded inside a transaction opened once for that module, every test runs in a
savepoint within it (pytest-django's ``db``), and the transaction is rolled back when the
module is done. Other modules never see the data, so factories that create "Kota Bekasi"
keep working everywhere else.

(A session-wide load would leak the 514 regions into every later test module and collide
with the factories' regions; per-module rollback keeps the suite order-independent.)
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction

REFERENCE_FIXTURES = ("regions", "cohorts", "dimensions", "default_instrument")


@pytest.fixture(scope="module")
def reference_data(django_db_setup, django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", *REFERENCE_FIXTURES, verbosity=0)
        yield
        transaction.set_rollback(True)
