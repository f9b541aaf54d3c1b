"""The access matrix of the city workspace.

Every URL of the ``city`` namespace is walked, by GET and by POST, for: an operator of the
other city (direct URL, and the own region's URL with the other city's ids), the anonymous
reader, and a reviewer sitting on the city's panel. New URLs join the matrix automatically;
a URL parameter the matrix does not know fails the test, so nothing is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, reverse

from evaluations.models import (
    Attendee,
    Evidence,
    Participation,
    Programme,
    RoundStatus,
    SelfAssessmentAnswer,
)
from evaluations.urls.city import urlpatterns
from regions.models import Agency, Region
from tests import factories
from tests.city import factories as cf
from tests.city import files
from tests.conftest import login
from tests.security.world import with_rendered_pages

pytestmark = pytest.mark.django_db


@dataclass
class CityData:
    region: Region
    agency: Agency
    programme: Programme
    evidence: Evidence
    attendee: Attendee
    participation: Participation

    def kwargs(self, pattern: URLPattern, *, ids_of: CityData | None = None) -> dict:
        """URL kwargs for ``pattern``: this city's slug, and ids of ``ids_of`` (default: own)."""
        ids = ids_of or self
        name = pattern.name
        values: dict[str, object] = {}
        for key in pattern.pattern.converters:
            if key == "region_slug":
                values[key] = self.region.slug
            elif key == "round_slug":
                values[key] = ids.participation.round.slug
            elif key == "section":
                values[key] = "governance"
            elif key == "fmt":
                values[key] = "csv"
            elif key == "evidence_pk":
                values[key] = ids.evidence.pk
            elif key == "pk" and name.startswith("programme_"):
                values[key] = ids.programme.pk
            elif key == "pk" and name.startswith("agency_"):
                values[key] = ids.agency.pk
            elif key == "pk" and name.startswith("evidence_"):
                values[key] = ids.evidence.pk
            elif key == "pk" and name.startswith("attendee_"):
                values[key] = ids.attendee.pk
            elif key == "number":  # a page image of the evidence's PDF preview
                values[key] = 1
            else:  # pragma: no cover - a new URL parameter must be added above
                pytest.fail(f"The access matrix does not know parameter {key!r} of {name!r}")
        return values


def _city(region: Region, round_) -> CityData:
    agency = factories.make_agency(region, f"Diskominfo {region.name}")
    programme = factories.make_programme(region, agency=agency, title=f"Program {region.name}")
    evidence = cf.make_file_evidence(region, f"bukti-{region.slug}.pdf")
    with_rendered_pages(evidence)  # so that its page image exists to be refused
    programme.evidence.add(evidence)
    participation = factories.make_participation(round_, region)
    for indicator in round_.instrument.indicators.all():
        cf.make_answer(participation, indicator, level=3, evidence=[evidence])
    review = cf.make_field_review(participation)
    attendee = cf.add_attendee(review, f"Sekda {region.name}")
    cf.add_findings(review, 2, text=f"Temuan rahasia {region.name}")
    return CityData(region, agency, programme, evidence, attendee, participation)


@pytest.fixture
def world(open_round, kota_bekasi, kota_bandung, bekasi, bandung):
    return {"bekasi": _city(kota_bekasi, open_round), "bandung": _city(kota_bandung, open_round)}


def _snapshot() -> list:
    """Everything a successful tampering would change."""
    return [
        sorted(
            Programme.objects.values_list("pk", "region_id", "title", "archived_at", "agency_id")
        ),
        sorted(Agency.objects.values_list("pk", "region_id", "name")),
        sorted(Evidence.objects.values_list("pk", "region_id", "title")),
        sorted(Programme.evidence.through.objects.values_list("programme_id", "evidence_id")),
        sorted(
            SelfAssessmentAnswer.objects.values_list(
                "pk", "participation_id", "claimed_level", "narrative", "version"
            )
        ),
        sorted(SelfAssessmentAnswer.evidence.through.objects.values_list("pk", "evidence_id")),
        sorted(Participation.objects.values_list("pk", "self_assessment_status")),
        sorted(Attendee.objects.values_list("pk", "field_review_id", "name")),
    ]


PATTERNS = [p for p in urlpatterns if isinstance(p, URLPattern)]
TAMPERED_POST = {
    "title": "Diubah penyerang",
    "name": "Diubah penyerang",
    "dimension": "1",
    "start_year": "2020",
    "status": "running",
    "region": "1",
    "participation": "1",
    "url": "https://penyerang.example",
}


def test_every_city_url_goes_through_the_workspace_decorator():
    for pattern in PATTERNS:
        assert hasattr(pattern.callback, "city_methods"), pattern.name


@pytest.mark.parametrize(("actor", "target"), [("bekasi", "bandung"), ("bandung", "bekasi")])
@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.name)
def test_an_operator_never_reaches_another_citys_workspace(client, world, actor, target, pattern):
    user = factories.User.objects.get(username=actor)
    login(client, user)
    before = _snapshot()
    url = reverse(f"city:{pattern.name}", kwargs=world[target].kwargs(pattern))
    assert client.get(url).status_code in (403, 404), url
    assert client.post(url, TAMPERED_POST).status_code in (403, 404), url
    assert _snapshot() == before


@pytest.mark.parametrize(("actor", "target"), [("bekasi", "bandung"), ("bandung", "bekasi")])
@pytest.mark.parametrize(
    "pattern",
    [p for p in PATTERNS if {"pk", "evidence_pk"} & set(p.pattern.converters)],
    ids=lambda p: p.name,
)
def test_guessing_another_citys_ids_under_the_own_slug_is_a_404(
    client, world, actor, target, pattern
):
    user = factories.User.objects.get(username=actor)
    login(client, user)
    before = _snapshot()
    url = reverse(f"city:{pattern.name}", kwargs=world[actor].kwargs(pattern, ids_of=world[target]))
    allowed = pattern.callback.city_methods
    for method, response in (("GET", client.get(url)), ("POST", client.post(url, TAMPERED_POST))):
        # 404 for the object; 403 where only the coordinator may act at all; 405 for a
        # method the URL never accepts (which says nothing about the object).
        expected = (403, 404) if method in allowed else (405,)
        assert response.status_code in expected, (method, url)
    assert _snapshot() == before


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.name)
def test_anonymous_readers_are_sent_to_login(client, world, pattern):
    before = _snapshot()
    url = reverse(f"city:{pattern.name}", kwargs=world["bekasi"].kwargs(pattern))
    for response in (client.get(url), client.post(url, TAMPERED_POST)):
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url
    assert _snapshot() == before


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.name)
def test_reviewers_have_no_city_workspace_and_cannot_edit_answers(
    client, world, reviewer, manager, pattern
):
    factories.assign(world["bekasi"].participation, reviewer, lead=True)
    before = _snapshot()
    url = reverse(f"city:{pattern.name}", kwargs=world["bekasi"].kwargs(pattern))
    for user in (reviewer, manager):
        login(client, user)
        assert client.get(url).status_code == 404, url
        assert client.post(url, TAMPERED_POST).status_code == 404, url
    assert _snapshot() == before


# --- Tampered form data on the user's own pages ----------


def test_a_posted_region_or_participation_cannot_move_data(client, world, open_round):
    bekasi = world["bekasi"]
    bandung = world["bandung"]
    login(client, factories.User.objects.get(username="bekasi"))
    dims = factories.ensure_dimensions()
    client.post(
        reverse("city:programme_create", args=[bekasi.region.slug]),
        {
            "title": "Program baru",
            "dimension": dims[0].pk,
            "status": "planned",
            "start_year": "2024",
            "region": bandung.region.pk,
        },
    )
    assert Programme.objects.get(title="Program baru").region == bekasi.region

    indicator = open_round.instrument.indicators.order_by("order").first()
    answer = SelfAssessmentAnswer.objects.get(
        participation=bekasi.participation, indicator=indicator
    )
    prefix = f"ind-{indicator.pk}-"
    response = client.post(
        reverse(
            "city:self_assessment_section",
            args=[bekasi.region.slug, open_round.slug, "governance"],
        ),
        {
            "participation": bandung.participation.pk,
            f"{prefix}participation": bandung.participation.pk,
            f"{prefix}version": str(answer.version),
            f"{prefix}original": "x",
            f"{prefix}claimed_level": "5",
            f"{prefix}narrative": "Disimpan di Bekasi",
            f"{prefix}evidence": [str(bekasi.evidence.pk)],
        },
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assert (answer.claimed_level, answer.narrative) == (5, "Disimpan di Bekasi")
    theirs = SelfAssessmentAnswer.objects.filter(participation=bandung.participation)
    assert set(theirs.values_list("claimed_level", flat=True)) == {3}


def test_another_citys_evidence_or_agency_cannot_be_attached(client, world, open_round):
    bekasi, bandung = world["bekasi"], world["bandung"]
    login(client, factories.User.objects.get(username="bekasi"))
    before = _snapshot()
    indicator = open_round.instrument.indicators.order_by("order").first()
    answer = SelfAssessmentAnswer.objects.get(
        participation=bekasi.participation, indicator=indicator
    )
    prefix = f"ind-{indicator.pk}-"
    response = client.post(
        reverse(
            "city:self_assessment_section",
            args=[bekasi.region.slug, open_round.slug, "governance"],
        ),
        {
            f"{prefix}version": str(answer.version),
            f"{prefix}original": "x",
            f"{prefix}claimed_level": "3",
            f"{prefix}evidence": [str(bandung.evidence.pk)],
        },
    )
    assert response.status_code == 200
    assert "bukan salah satu dari pilihan" in response.content.decode()
    response = client.post(
        reverse("city:programme_edit", args=[bekasi.region.slug, bekasi.programme.pk]),
        {
            "title": "Program Kota Bekasi",
            "dimension": bekasi.programme.dimension_id,
            "status": "running",
            "start_year": "2022",
            "agency": bandung.agency.pk,
        },
    )
    assert response.status_code == 200
    assert _snapshot() == before


def test_exports_and_downloads_only_carry_the_own_city(client, world):
    bekasi = world["bekasi"]
    login(client, factories.User.objects.get(username="bekasi"))
    export = client.get(reverse("city:programme_export", args=[bekasi.region.slug, "csv"]))
    text = export.content.decode("utf-8-sig")
    assert "Program Kota Bekasi" in text
    assert "Bandung" not in text
    download = client.get(
        reverse("city:evidence_download", args=[bekasi.region.slug, bekasi.evidence.pk])
    )
    assert b"".join(download.streaming_content) == files.PDF


def test_findings_of_an_unpublished_round_stay_hidden(client, world, open_round):
    login(client, factories.User.objects.get(username="bekasi"))
    url = reverse("city:field_review", args=[world["bekasi"].region.slug, open_round.slug])
    assert "Temuan rahasia" not in client.get(url).content.decode()
    # Published and public (a re-opened round keeps is_public while under correction).
    open_round.status, open_round.is_public = RoundStatus.PUBLISHED, True
    open_round.save()
    page = client.get(url).content.decode()
    assert "Temuan rahasia Kota Bekasi" in page
    assert "Temuan rahasia Kota Bandung" not in page
