"""``manage.py generate_national`` as a command, and what it refuses to do."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from evaluations.models import Instrument, Round, RoundStatus
from smartcity.synthetic import national

SMALL = national.NationalSpec(regions=3, rounds=2, programmes=2, reviewers=3)


def _synthetic_rounds():
    return Round.objects.filter(slug__startswith=national.SLUG_PREFIX)


def test_refuses_when_a_real_round_uses_the_same_year_and_phase(db, manager):
    call_command("load_reference", verbosity=0)
    Round.objects.create(
        year=2017,
        phase=2,
        name="Evaluasi 2017 Tahap II",
        slug="evaluasi-2017-tahap-2",
        instrument=Instrument.objects.default(),
        self_assessment_opens="2017-09-01",
        self_assessment_closes="2017-10-31",
    )
    with pytest.raises(national.NationalDataError, match="Evaluasi 2017 Tahap II"):
        national.generate(SMALL)
    assert not _synthetic_rounds().exists()


def test_command_needs_reference_data(db):
    with pytest.raises(CommandError, match="load_reference"):
        call_command("generate_national", "--regions", "2", "--rounds", "1")


def test_command_refuses_production(db, settings):
    settings.HTTPS_ONLY = True
    with pytest.raises(CommandError, match="production"):
        call_command("generate_national", "--regions", "2", "--rounds", "1")


def test_command_builds_and_reports(db, capsys):
    call_command("load_reference", verbosity=0)
    args = [
        "generate_national",
        "--regions=3",
        "--rounds=2",
        "--programmes=2",
        "--reviewers=3",
        "--no-current-round",
    ]
    call_command(*args)
    out = capsys.readouterr().out
    assert "SINTETIS" in out
    assert "ready in" in out
    assert _synthetic_rounds().filter(status=RoundStatus.PUBLISHED).count() == 2
    assert not _synthetic_rounds().exclude(status=RoundStatus.PUBLISHED).exists()
    call_command(*args)
    assert "already complete" in capsys.readouterr().out
