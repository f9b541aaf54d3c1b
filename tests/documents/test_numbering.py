"""The number register: a configurable pattern, assigned once at issue, never reused,
unique in the database; issued documents are neither deleted nor rewritten."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from evaluations.documents import services as doc_svc
from evaluations.documents.models import (
    DOCUMENT_FIXED,
    DOCUMENT_NOT_DELETABLE,
    NUMBER_PATTERN_NEEDS_SEQ,
    Document,
    DocumentKind,
    NumberCounter,
    validate_number_pattern,
)
from evaluations.services import rounds as round_svc
from tests.documents.conftest import LETTERHEAD, published_on

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("{seq:03}/{unit}/SC/{month_roman}/{year}", "007/DJAI/SC/XI/2026"),
        ("B-{seq}/{unit}/{month}/{year}", "B-7/DJAI/11/2026"),
        ("{seq:05}.{unit}", "00007.DJAI"),
    ],
)
def test_a_pattern_fills_sequence_unit_roman_month_and_year(pattern, expected):
    validate_number_pattern(pattern)
    assert doc_svc.format_number(pattern, seq=7, unit="DJAI", on=date(2026, 11, 3)) == expected


def test_every_roman_month():
    numbers = [
        doc_svc.format_number("{month_roman}", seq=1, unit="X", on=date(2026, m, 1))
        for m in range(1, 13)
    ]
    assert numbers == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


@pytest.mark.parametrize("pattern", ["{unit}/{year}", "{seq}/{unitt}", "{seq}/{year", "{seq}/{0}"])
def test_a_pattern_without_sequence_or_with_unknown_names_is_refused(pattern):
    with pytest.raises(ValidationError):
        validate_number_pattern(pattern)


def test_letters_get_consecutive_numbers_dated_with_the_publication(published, manager):
    scenario = published.scenario
    letters = doc_svc.letters_issue(round=scenario.round, by=manager)
    assert [d.number for d in letters] == ["001/DJAI/SC/III/2025", "002/DJAI/SC/III/2025"]
    assert {d.document_date for d in letters} == {date(2025, 3, 10)}
    assert [d.participation.region.name for d in letters] == ["Kota Bekasi", "Kota Bandung"]
    with pytest.raises(ValidationError) as excinfo:
        doc_svc.letters_issue(round=scenario.round, by=manager)  # all issued already
    assert excinfo.value.messages == [str(doc_svc.NOTHING_TO_ISSUE)]
    assert NumberCounter.objects.get(kind=DocumentKind.LETTER, year=2025).last == 2


def test_a_revision_gets_new_numbers_never_the_old_ones(published, manager):
    scenario = published.scenario
    first = doc_svc.letters_issue(round=scenario.round, by=manager)
    round_svc.round_reopen(round=scenario.round, by=manager, reason="Koreksi")
    round_svc.round_finalise(round=scenario.round, by=manager)
    with published_on(datetime(2025, 3, 20, 2, 0, tzinfo=UTC)):  # same month, same register
        round_svc.round_publish(round=scenario.round, by=manager, note="Koreksi")
    second = doc_svc.letters_issue(round=scenario.round, by=manager)
    assert [d.sequence for d in first] == [1, 2]
    assert [d.sequence for d in second] == [3, 4]
    assert [d.number for d in second] == ["003/DJAI/SC/III/2025", "004/DJAI/SC/III/2025"]
    for old in first:
        old.refresh_from_db()
        assert old.superseded_by in second


def test_minutes_have_their_own_register(published, manager):
    doc_svc.letters_issue(round=published.scenario.round, by=manager)
    minutes = doc_svc.minutes_issue(
        participation=published.scenario.bekasi,
        by=manager,
        region_signatory=published.region_signatory,
    )
    assert minutes.number == "001/DJAI/BA-SC/V/2024"  # the meeting's month and year
    assert minutes.document_date == date(2024, 5, 15)


def test_the_database_refuses_a_number_twice(published, manager):
    letter = doc_svc.letters_issue(round=published.scenario.round, by=manager)[0]
    copy = Document(
        kind=letter.kind,
        participation=letter.participation,
        publication=letter.publication,
        letterhead=letter.letterhead,
        number=letter.number,
        year=letter.year,
        sequence=999,
        document_date=letter.document_date,
        issued_by=manager,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_an_issued_document_is_never_deleted_nor_rewritten(published, manager):
    letter = doc_svc.letters_issue(round=published.scenario.round, by=manager)[0]
    with pytest.raises(ValidationError) as excinfo:
        letter.delete()
    assert excinfo.value.messages == [str(DOCUMENT_NOT_DELETABLE)]
    with pytest.raises(ValidationError):
        Document.objects.filter(pk=letter.pk).delete()
    letter.number = "999/DJAI/SC/I/2030"
    with pytest.raises(ValidationError) as excinfo:
        letter.save()
    assert excinfo.value.messages == [str(DOCUMENT_FIXED)]
    assert Document.objects.get(pk=letter.pk).number != "999/DJAI/SC/I/2030"


def test_a_letterhead_pattern_without_sequence_is_refused(published, manager):
    with pytest.raises(ValidationError) as excinfo:
        doc_svc.letterhead_set(
            round=published.scenario.round,
            by=manager,
            **{**LETTERHEAD, "letter_number_pattern": "{unit}/SC/{year}"},
        )
    assert str(NUMBER_PATTERN_NEEDS_SEQ) in excinfo.value.messages
