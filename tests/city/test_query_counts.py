"""Every workspace page costs the same number of queries with 3 or 30 rows of everything."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.models import ComponentCode, Indicator, RoundStatus, SelfAssessmentStatus
from tests import factories
from tests.city import factories as cf

pytestmark = pytest.mark.django_db


class World:
    """Kota Bekasi's workspace with ``grow(n)`` more of every kind of row."""

    def __init__(self, region, open_round, reviewer) -> None:
        self.region = region
        self.open_round = open_round
        self.reviewer = reviewer
        self.participation = factories.make_participation(open_round, region)
        self.review = cf.make_field_review(self.participation)
        self.programme = factories.make_programme(region, title="Program utama")
        self.published = factories.make_round(
            instrument=open_round.instrument, year=2090, status=RoundStatus.PUBLISHED
        )
        self.published_part = factories.make_participation(self.published, region)
        cf.make_result(self.published_part)
        self.submitted_round = factories.make_round(
            instrument=open_round.instrument, year=2091, status=RoundStatus.SELF_ASSESSMENT
        )
        self.submitted = factories.make_participation(
            self.submitted_round, region, self_assessment_status=SelfAssessmentStatus.SUBMITTED
        )
        self.rows = 0

    @factories.past_guards
    def grow(self, n: int) -> None:
        dims = factories.ensure_dimensions()
        instrument = self.open_round.instrument
        for _ in range(n):
            self.rows += 1
            i = self.rows
            dim = dims[i % len(dims)]
            agency = factories.make_agency(self.region, f"Dinas {i}")
            evidence = cf.make_file_evidence(self.region, f"bukti-{i}.pdf")
            link = cf.make_link_evidence(self.region, f"https://bekasikota.go.id/{i}")
            programme = factories.make_programme(
                self.region,
                title=f"Program {i}",
                agency=agency,
                dimension=dim,
                element=dim.elements.first(),
                budget=i * 1000,
            )
            programme.evidence.add(evidence)
            self.programme.evidence.add(evidence, link)
            indicator = Indicator.objects.create(
                instrument=instrument,
                code=f"X-{i:03d}",
                name=f"Indikator {i}",
                component=ComponentCode.OUTCOME,
                dimension=dims[0],
                element=dims[0].elements.first(),
                order=200 + i,
            )
            for participation in (self.participation, self.submitted, self.published_part):
                cf.make_answer(participation, indicator, level=2, evidence=[evidence, link])
            cf.verify(self.published_part, indicator, self.reviewer, 2, f"Catatan {i}")
            cf.add_agenda(self.review, 1)
            cf.add_findings(self.review, 1)
            cf.add_attendee(self.review, f"Peserta {i}")
            old = factories.make_round(
                instrument=instrument, year=2000 + i, status=RoundStatus.PUBLISHED
            )
            cf.make_result(factories.make_participation(old, self.region))

    def urls(self) -> dict[str, str]:
        s = self.region.slug
        open_slug, pub_slug = self.open_round.slug, self.published.slug
        return {
            "dashboard": reverse("city:dashboard", args=[s]),
            "rounds": reverse("city:rounds", args=[s]),
            "programme_list": reverse("city:programme_list", args=[s]),
            "programme_list_filtered": reverse("city:programme_list", args=[s])
            + "?q=Program&status=running",
            "programme_detail": reverse("city:programme_detail", args=[s, self.programme.pk]),
            "programme_create": reverse("city:programme_create", args=[s]),
            "programme_edit": reverse("city:programme_edit", args=[s, self.programme.pk]),
            "programme_export_csv": reverse("city:programme_export", args=[s, "csv"]),
            "programme_export_xlsx": reverse("city:programme_export", args=[s, "xlsx"]),
            "agency_list": reverse("city:agency_list", args=[s]),
            "evidence_list": reverse("city:evidence_list", args=[s]),
            "self_assessment": reverse("city:self_assessment", args=[s, open_slug]),
            "self_assessment_section": reverse(
                "city:self_assessment_section", args=[s, open_slug, "governance"]
            ),
            "self_assessment_locked": reverse(
                "city:self_assessment_section",
                args=[s, self.submitted_round.slug, "governance"],
            ),
            "field_review_list": reverse("city:field_review_list", args=[s]),
            "field_review": reverse("city:field_review", args=[s, open_slug]),
            "result_list": reverse("city:result_list", args=[s]),
            "result_detail": reverse("city:result_detail", args=[s, pub_slug]),
        }


PAGES = [
    "dashboard",
    "rounds",
    "programme_list",
    "programme_list_filtered",
    "programme_detail",
    "programme_create",
    "programme_edit",
    "programme_export_csv",
    "programme_export_xlsx",
    "agency_list",
    "evidence_list",
    "self_assessment",
    "self_assessment_section",
    "self_assessment_locked",
    "field_review_list",
    "field_review",
    "result_list",
    "result_detail",
]


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("page", PAGES)
def test_page_queries_do_not_grow_from_3_to_30_rows(
    page, bekasi_client, kota_bekasi, open_round, reviewer, django_assert_num_queries
):
    world = World(kota_bekasi, open_round, reviewer)
    assert set(world.urls()) == set(PAGES)
    world.grow(3)
    url = world.urls()[page]
    baseline = _queries(bekasi_client, url)
    assert baseline <= 20, f"{page}: {baseline} queries for 3 rows"
    world.grow(27)
    with django_assert_num_queries(baseline):
        response = bekasi_client.get(url)
    assert response.status_code == 200


def test_published_field_review_with_findings_has_constant_queries(
    bekasi_client, kota_bekasi, open_round, reviewer, django_assert_num_queries
):
    world = World(kota_bekasi, open_round, reviewer)
    world.grow(3)
    open_round.status = RoundStatus.PUBLISHED
    open_round.save()
    url = world.urls()["field_review"]
    baseline = _queries(bekasi_client, url)
    world.grow(27)
    with django_assert_num_queries(baseline):
        bekasi_client.get(url)
