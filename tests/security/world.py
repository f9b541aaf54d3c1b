"""A small world in which every URL of the portal has something to show.

- Kota Bekasi and Kota Bandung took part in *Evaluasi 2023 Tahap 1*, which is published
  (finalised and published through the round services, so it has results and a snapshot).
- *Evaluasi 2024 Tahap 1* is under review: Kota Bekasi has submitted its self-assessment
  (answers with evidence), ``reviewer`` leads its panel and has scored one indicator, one
  indicator has a verified level, and its field review has an agenda, attendees and findings.
- *Evaluasi 2023 Tahap 1* has a letterhead and issued result letters (``extra["letter"]``
  is Kota Bekasi's).
- Kota Bekasi keeps an agency (OPD), a programme with an evidence file attached.

The cast: ``anonymous``, ``bekasi`` (operator of Kota Bekasi), ``bandung`` (operator of
Kota Bandung), ``reviewer`` (lead of Kota Bekasi's panel), ``outsider`` (a reviewer on no
panel), ``manager`` (round manager).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from evaluations.documents import services as doc_services
from evaluations.models import (
    AgendaItem,
    Attendee,
    AttendeeSide,
    Evidence,
    EvidencePreview,
    FieldReview,
    Finding,
    FindingKind,
    Indicator,
    Instrument,
    Participation,
    PreviewState,
    Programme,
    Publication,
    ReviewerAssignment,
    Round,
    RoundStatus,
    Score,
    SelfAssessmentStatus,
    VerifiedScore,
)
from evaluations.services import rounds as round_services
from regions.models import Agency, Region
from tests import factories
from tests.city import factories as cf
from tests.documents.conftest import LETTERHEAD
from tests.reviewer import factories as rf

CAST = ("anonymous", "bekasi", "bandung", "reviewer", "outsider", "manager")


@dataclass
class World:
    users: Mapping[str, User | None]
    kota_bekasi: Region
    kota_bandung: Region
    instrument: Instrument
    published: Round
    published_bekasi: Participation
    publication: Publication
    review: Round
    review_bekasi: Participation
    review_bandung: Participation
    seat: ReviewerAssignment
    indicator: Indicator
    evidence: Evidence
    agency: Agency
    programme: Programme
    field_review: FieldReview
    attendee: Attendee
    extra: dict[str, Any] = field(default_factory=dict)


def _published_round(instrument: Instrument, regions: list[Region], manager: User) -> Round:
    round_ = factories.make_round(
        instrument=instrument, year=2023, phase=1, status=RoundStatus.REVIEW
    )
    for i, region in enumerate(regions):
        participation = factories.make_participation(round_, region)
        rf.verify(participation, manager, level=3 + i % 2)
    round_services.round_finalise(round=round_, by=manager)
    round_services.round_publish(round=round_, by=manager, note="Hasil resmi")
    return round_


def build_world(kota_bekasi: Region, kota_bandung: Region, users: dict[str, User]) -> World:
    manager, reviewer = users["manager"], users["reviewer"]
    instrument = factories.make_instrument(code="instrumen-2023", is_default=True)
    published = _published_round(instrument, [kota_bekasi, kota_bandung], manager)
    published_bekasi = published.participations.get(region=kota_bekasi)
    cf.make_field_review(published_bekasi)
    cf.add_findings(published_bekasi.field_review, 2, text="Rekomendasi terbit")
    # Official documents: a letterhead and the published round's numbered letters.
    doc_services.letterhead_set(round=published, by=manager, **LETTERHEAD)
    letter = next(
        d
        for d in doc_services.letters_issue(round=published, by=manager)
        if d.participation_id == published_bekasi.pk
    )

    review = factories.make_round(
        instrument=instrument, year=2024, phase=1, status=RoundStatus.REVIEW
    )
    review_bekasi = factories.make_participation(
        review, kota_bekasi, self_assessment_status=SelfAssessmentStatus.SUBMITTED
    )
    review_bandung = factories.make_participation(review, kota_bandung)
    seat = factories.assign(review_bekasi, reviewer, lead=True)
    rf.add_answers(review_bekasi)
    indicator = instrument.indicators.order_by("order").first()
    assert indicator is not None
    assert indicator.dimension is not None
    Score.objects.create(
        participation=review_bekasi, indicator=indicator, reviewer=reviewer, level=3, version=1
    )
    VerifiedScore.objects.create(
        participation=review_bekasi, indicator=indicator, level=3, set_by=reviewer, version=1
    )

    agency = factories.make_agency(kota_bekasi, "Dinas Komunikasi dan Informatika Kota Bekasi")
    evidence = cf.make_file_evidence(kota_bekasi, "perwal-smart-city.pdf")
    with_rendered_pages(evidence)
    programme = factories.make_programme(kota_bekasi, agency=agency, title="Command Center")
    programme.evidence.add(evidence)

    field_review = cf.make_field_review(review_bekasi)
    AgendaItem.objects.create(
        field_review=field_review, day=1, start_time=time(9, 0), activity="Pemaparan Sekda"
    )
    attendee = Attendee.objects.create(
        field_review=field_review, name="Sekretaris Daerah", side=AttendeeSide.REGION
    )
    Finding.objects.create(
        field_review=field_review,
        dimension=indicator.dimension,
        kind=FindingKind.OBSTACLE,
        text="Jaringan belum merata",
    )
    return World(
        users=users,
        kota_bekasi=kota_bekasi,
        kota_bandung=kota_bandung,
        instrument=instrument,
        published=published,
        published_bekasi=published_bekasi,
        publication=published.publications.get(),
        review=review,
        review_bekasi=review_bekasi,
        review_bandung=review_bandung,
        seat=seat,
        indicator=indicator,
        evidence=evidence,
        agency=agency,
        programme=programme,
        field_review=field_review,
        attendee=attendee,
        extra={"letter": letter},
    )


def with_rendered_pages(evidence: Evidence) -> None:
    """The PDF's preview as if its job had rendered it (one page image), so that its page
    image URL has something to serve; rendering for real would cost every test a second."""
    image = io.BytesIO()
    Image.new("RGB", (20, 28), "white").save(image, "WEBP")
    name = default_storage.save(
        f"evidence-previews/world-{evidence.pk}/v1/page-1.webp", ContentFile(image.getvalue())
    )
    EvidencePreview.objects.create(
        evidence=evidence,
        state=PreviewState.READY,
        source_name=evidence.file.name or "",
        page_count=1,
        pages=[{"name": name, "width": 20, "height": 28}],
    )
