"""Fixtures of the security tests: the cast in one world (see ``world.py``)."""

from __future__ import annotations

import pytest

from tests import factories
from tests.public import factories as pf
from tests.security.world import World, build_world


@pytest.fixture
def world(kota_bekasi, kota_bandung, bekasi, bandung, reviewer, outsider_reviewer, manager):
    users = {
        "anonymous": None,
        "bekasi": bekasi,
        "bandung": bandung,
        "reviewer": reviewer,
        "outsider": outsider_reviewer,
        "manager": manager,
    }
    built: World = build_world(kota_bekasi, kota_bandung, users)
    return built


@pytest.fixture
def admin_rows(world):
    """One row of every admin model the world does not make on its way."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    pf.make_cohort(2017, [world.kota_bekasi])
    pf.make_profile_extras(world.kota_bekasi, n=1)
    seen = {
        "username": "bekasi",
        "ip_address": "10.0.0.1",
        "user_agent": "Mozilla/5.0",
        "http_accept": "text/html",
        "path_info": "/accounts/login/",
    }
    AccessAttempt.objects.create(**seen, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**seen)
    AccessFailureLog.objects.create(**seen)
    factories.make_user("tanpa-peran")
    # Read-only admin rows the services write: the register as published, a previewed import.
    from evaluations.models import ImportKind, ImportUpload, PublishedProgramme

    programme = world.programme
    PublishedProgramme.objects.create(
        publication=world.published.publications.get(),
        region=programme.region,
        programme=programme,
        dimension=programme.dimension,
        title=programme.title,
        status=programme.status,
        start_year=programme.start_year,
    )
    ImportUpload.objects.create(
        kind=ImportKind.PROGRAMMES,
        region=world.kota_bekasi,
        uploaded_by=world.users["bekasi"],
        filename="program.xlsx",
        data=b"PK",
    )
    return world
