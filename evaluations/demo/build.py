"""Builds the demo dataset. Deterministic: the same reference data and the same ``today``
give the same rows (levels come from a seeded generator keyed by region and indicator).

Rounds, all for the 2017 cohort and all named "(DEMO)":
- Evaluasi 2024 Tahap I (DEMO): published.
- Evaluasi 2025 Tahap I (DEMO): published, so improvement and rank change show.
- Evaluasi 2026 Tahap II (DEMO): self-assessment open now (deadline in 30 days); Kota
  Bekasi and Kota Bandung have drafts; ``reviewer`` leads Kota Bekasi's panel.
- Evaluasi 2027 Tahap I (DEMO): a draft with participants but no panels yet, for a
  manager to open.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TextIO

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.utils import timezone

from evaluations.demo.content import AGENCIES, FINDINGS, PROGRAMMES
from evaluations.models import (
    AgendaItem,
    Attendee,
    AttendeeSide,
    Dimension,
    Evidence,
    FieldReview,
    Finding,
    FindingKind,
    Indicator,
    Instrument,
    Participation,
    Programme,
    ProgrammeStatus,
    ReviewMode,
    Round,
    Score,
    SelfAssessmentAnswer,
    SelfAssessmentStatus,
    VerifiedScore,
)
from evaluations.roles import MANAGER_GROUP, REVIEWER_GROUP
from evaluations.services import rounds as round_services
from evaluations.trust import purge
from regions.models import (
    Agency,
    Award,
    AwardScope,
    Cohort,
    DigitalGovernmentIndex,
    MembershipRole,
    Region,
    RegionMembership,
)
from smartcity.people.demo import prepare_demo_account

DEMO_SLUG_PREFIX = "demo-"
BEKASI, BANDUNG = "32.75", "32.73"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str


DEMO_USERS = [
    DemoUser("manager", "Maya", "Pengelola", "round manager (Kominfo)"),
    DemoUser("reviewer", "Rudi", "Penilai", "reviewer (Kominfo), lead of Kota Bekasi's panel"),
    DemoUser("reviewer2", "Rina", "Penilai", "reviewer (Kominfo)"),
    DemoUser("reviewer3", "Raka", "Penilai", "reviewer (Kominfo)"),
    DemoUser("bekasi", "Budi", "Bekasi", "operator of Kota Bekasi"),
    DemoUser("bandung", "Bunga", "Bandung", "operator of Kota Bandung"),
]


class DemoError(Exception):
    pass


def _rng(*parts: object) -> random.Random:
    """A generator seeded by the parts, stable across runs and machines."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311 - demo data


def _strength(region: Region) -> float:
    """A region's underlying maturity, 1.5 to 4.3."""
    return 1.5 + _rng("strength", region.code).random() * 2.8


def _level(region: Region, indicator: Indicator, year: int, salt: str = "") -> int:
    growth = 0.25 * (year - 2024) + _rng("growth", region.code).uniform(-0.2, 0.4) * (year - 2024)
    value = _strength(region) + growth + _rng(region.code, indicator.code, year, salt).gauss(0, 0.7)
    return max(0, min(5, round(value)))


def _users() -> dict[str, User]:
    manager_group = Group.objects.get(name=MANAGER_GROUP)
    reviewer_group = Group.objects.get(name=REVIEWER_GROUP)
    users = {}
    for spec in DEMO_USERS:
        user, _ = User.objects.get_or_create(
            username=spec.username,
            defaults={"first_name": spec.first_name, "last_name": spec.last_name},
        )
        user.set_password(settings.DEMO_PASSWORD)
        user.is_staff = spec.username.startswith(("manager", "reviewer"))
        user.save()
        if spec.username == "manager":
            user.groups.add(manager_group)
        elif spec.username.startswith("reviewer"):
            user.groups.add(reviewer_group)
        users[spec.username] = user
    for username, code in (("bekasi", BEKASI), ("bandung", BANDUNG)):
        RegionMembership.objects.get_or_create(
            user=users[username],
            region=Region.objects.get(code=code),
            defaults={"role": MembershipRole.COORDINATOR},
        )
    for user in users.values():
        prepare_demo_account(user)  # e-mail address; second factor for Kominfo staff
    return users


def _register(
    regions: list[Region], dimensions: dict[str, Dimension], users: dict[str, User]
) -> None:
    """Agencies, programmes, evidence, SPBE history and an award for each region."""
    for region in regions:
        if region.programmes.exists():
            continue
        agencies = {
            acronym: Agency.objects.get_or_create(
                region=region, name=name, defaults={"acronym": acronym}
            )[0]
            for name, acronym in AGENCIES
        }
        rng = _rng("programmes", region.code)
        for code, items in PROGRAMMES.items():
            dimension = dimensions[code]
            elements = list(dimension.elements.all())
            for title, acronym, element_index, quick_win in items:
                status = rng.choices(
                    [ProgrammeStatus.RUNNING, ProgrammeStatus.COMPLETED, ProgrammeStatus.PLANNED],
                    weights=[6, 2, 2],
                )[0]
                programme = Programme.objects.create(
                    region=region,
                    dimension=dimension,
                    element=elements[element_index] if elements else None,
                    agency=agencies[acronym],
                    title=title,
                    description=f"{title} di {region.name} (data demo).",
                    status=status,
                    is_quick_win=quick_win,
                    start_year=rng.randint(2018, 2024),
                    budget=rng.randint(2, 400) * 10_000_000,
                )
                evidence = Evidence.objects.create(
                    region=region,
                    title=f"Dokumen {title}",
                    url=f"https://contoh.go.id/demo/{region.slug}/{programme.pk}",
                    uploaded_by=users.get("bekasi") if region.code == BEKASI else None,
                )
                programme.evidence.add(evidence)
        for year in (2022, 2023, 2024):
            value = min(5.0, 1.8 + _rng("spbe", region.code).random() * 2 + 0.2 * (year - 2022))
            DigitalGovernmentIndex.objects.get_or_create(
                region=region,
                framework="SPBE",
                year=year,
                defaults={"value": f"{value:.2f}", "rating_band": _spbe_band(value)},
            )
    bekasi = next((r for r in regions if r.code == BEKASI), None)
    if bekasi is not None:
        Award.objects.get_or_create(
            region=bekasi,
            title="Smart City #3 Jawa Barat (demo)",
            year=2024,
            defaults={
                "issuer": "Pemerintah Provinsi Jawa Barat",
                "rank": 3,
                "scope": AwardScope.PROVINCIAL,
            },
        )
        if not bekasi.evidence.exclude(file="").exists():
            evidence = Evidence(
                region=bekasi,
                title="Peraturan Wali Kota tentang Smart City (demo)",
                original_name="perwal-smart-city.pdf",
                content_type="application/pdf",
                uploaded_by=users["bekasi"],
            )
            evidence.file.save("perwal-smart-city.pdf", ContentFile(_tiny_pdf()), save=False)
            evidence.size = evidence.file.size
            evidence.save()


def _spbe_band(value: float) -> str:
    for name, threshold in (
        ("Memuaskan", 4.2),
        ("Sangat Baik", 3.5),
        ("Baik", 2.6),
        ("Cukup", 1.8),
    ):
        if value >= threshold:
            return name
    return "Kurang"


def _tiny_pdf() -> bytes:
    """A valid one-page PDF saying it is a demo document."""
    text = b"BT /F1 18 Tf 72 720 Td (Dokumen demo - bukan dokumen resmi) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _make_round(
    instrument: Instrument,
    year: int,
    phase: int,
    opens: date,
    closes: date,
    review_ends: date | None,
) -> Round:
    roman = {1: "I", 2: "II"}[phase]
    return Round.objects.create(
        year=year,
        phase=phase,
        name=f"Evaluasi {year} Tahap {roman} (DEMO)",
        slug=f"{DEMO_SLUG_PREFIX}evaluasi-{year}-tahap-{phase}",
        instrument=instrument,
        self_assessment_opens=opens,
        self_assessment_closes=closes,
        review_ends=review_ends,
    )


def _panel(round_: Round, users: dict[str, User], manager: User) -> None:
    reviewers = [users["reviewer"], users["reviewer2"], users["reviewer3"]]
    for index, participation in enumerate(round_.participations.select_related("region")):
        lead = reviewers[index % 3]
        if participation.region.code == BEKASI:
            lead = users["reviewer"]
        round_services.panel_assign(
            participation=participation, reviewer=lead, lead=True, by=manager
        )
        for other in reviewers:
            if other != lead:
                round_services.panel_assign(
                    participation=participation, reviewer=other, lead=False, by=manager
                )


def _answers(
    participation: Participation, indicators: list[Indicator], *, year: int, upto: int | None = None
) -> None:
    region = participation.region
    evidence = list(region.evidence.all()[:3])
    rows = []
    for indicator in indicators[:upto]:
        rows.append(
            SelfAssessmentAnswer(
                participation=participation,
                indicator=indicator,
                claimed_level=min(
                    5,
                    _level(region, indicator, year)
                    + _rng("claim", region.code, indicator.code).choice((0, 0, 1)),
                ),
                narrative=f"{region.name}: capaian untuk {indicator.name.lower()} (data demo).",
            )
        )
    created = SelfAssessmentAnswer.objects.bulk_create(rows)
    through = SelfAssessmentAnswer.evidence.through
    through.objects.bulk_create(
        [
            through(selfassessmentanswer_id=answer.pk, evidence_id=evidence[i % len(evidence)].pk)
            for i, answer in enumerate(created)
            if evidence and answer.claimed_level
        ]
    )


def _score_round(round_: Round, indicators: list[Indicator]) -> None:
    scores, verified = [], []
    participations = round_.participations.select_related("region").prefetch_related("panel")
    for participation in participations:
        region = participation.region
        lead = next(seat.reviewer_id for seat in participation.panel.all() if seat.is_lead)
        for indicator in indicators:
            for seat in participation.panel.all():
                scores.append(
                    Score(
                        participation=participation,
                        indicator=indicator,
                        reviewer_id=seat.reviewer_id,
                        level=_level(region, indicator, round_.year, salt=str(seat.reviewer_id)),
                        comment="",
                    )
                )
            verified.append(
                VerifiedScore(
                    participation=participation,
                    indicator=indicator,
                    set_by_id=lead,
                    level=_level(region, indicator, round_.year),
                    comment="Sesuai bukti dukung dan hasil tinjauan lapangan (demo).",
                )
            )
    Score.objects.bulk_create(scores, batch_size=2000)
    VerifiedScore.objects.bulk_create(verified, batch_size=2000)
    now = timezone.now()
    for participation in participations:
        participation.panel.update(completed_at=now)


def _field_review(
    participation: Participation,
    dimensions: dict[str, Dimension],
    *,
    start: date,
    findings: bool,
    users: dict[str, User],
) -> FieldReview:
    region = participation.region
    review = FieldReview.objects.create(
        participation=participation,
        mode=ReviewMode.ON_SITE,
        location=f"Kantor Wali Kota, {region.name}"
        if region.kind == "kota"
        else f"Kantor Bupati, {region.name}",
        start_date=start,
        end_date=start + timedelta(days=1),
        minutes="Tinjauan lapangan berjalan sesuai agenda (data demo).",
    )
    review.reviewers.set([users["reviewer"], users["reviewer2"], users["reviewer3"]])
    AgendaItem.objects.create(
        field_review=review,
        day=1,
        start_time=time(8, 30),
        end_time=time(10, 0),
        activity="Pemaparan capaian oleh Sekda",
    )
    for hour, dim in enumerate(dimensions.values()):
        AgendaItem.objects.create(
            field_review=review,
            day=1 if hour < 3 else 2,
            start_time=time(10 + hour % 3, 0),
            end_time=time(11 + hour % 3, 0),
            activity=f"Diskusi dan kunjungan {dim.name}",
            dimension=dim,
        )
    Attendee.objects.bulk_create(
        [
            Attendee(
                field_review=review,
                name="Sekretaris Daerah (demo)",
                position="Sekda",
                agency=f"Pemerintah {region.name}",
                side=AttendeeSide.REGION,
            ),
            Attendee(
                field_review=review,
                name="Kepala Diskominfostandi (demo)",
                position="Kepala Dinas",
                agency="Diskominfostandi",
                side=AttendeeSide.REGION,
            ),
            Attendee(
                field_review=review,
                name="Rudi Penilai",
                position="Penilai",
                agency="Kominfo",
                side=AttendeeSide.REVIEWER,
            ),
        ]
    )
    if findings:
        Finding.objects.bulk_create(
            [
                Finding(field_review=review, dimension=dimensions[code], kind=kind, text=text)
                for code, texts in FINDINGS.items()
                for kind, text in zip(
                    (FindingKind.ACHIEVEMENT, FindingKind.OBSTACLE, FindingKind.RECOMMENDATION),
                    texts,
                    strict=True,
                )
            ]
        )
    return review


def build_demo(*, today: date, stdout: TextIO | None = None) -> dict[str, User]:
    """Create the demo dataset; returns the demo users. Raises DemoError if the reference
    data is missing. Call inside a transaction."""
    try:
        instrument = Instrument.objects.default()
        cohort = Cohort.objects.get(year=2017)
    except (Instrument.DoesNotExist, Cohort.DoesNotExist):
        raise DemoError(
            "Reference data is missing: run `manage.py load_reference` first."
        ) from None
    regions = list(cohort.regions.select_related("province").order_by("code"))
    dimensions = {d.code: d for d in Dimension.objects.prefetch_related("elements")}
    indicators = list(instrument.indicators.order_by("order", "code"))
    users = _users()
    manager = users["manager"]
    _register(regions, dimensions, users)

    tz = timezone.get_current_timezone()
    for year, review_start in ((2024, date(2024, 6, 10)), (2025, date(2025, 6, 9))):
        round_ = _make_round(
            instrument, year, 1, date(year, 3, 1), date(year, 4, 30), date(year, 8, 31)
        )
        round_services.round_add_participants(round=round_, regions=regions, by=manager)
        _panel(round_, users, manager)
        round_services.round_open_self_assessment(round=round_, by=manager)
        for participation in round_.participations.select_related("region"):
            _answers(participation, indicators, year=year)
        round_.participations.update(
            self_assessment_status=SelfAssessmentStatus.SUBMITTED,
            submitted_at=datetime.combine(date(year, 4, 28), time(15, 0), tzinfo=tz),
        )
        round_services.round_start_review(round=round_, by=manager)
        bekasi_participation = round_.participations.get(region__code=BEKASI)
        _field_review(
            bekasi_participation, dimensions, start=review_start, findings=True, users=users
        )
        _score_round(round_, indicators)
        round_services.round_finalise(round=round_, by=manager)
        round_services.round_publish(round=round_, by=manager, note="Publikasi demo.")

    # The open round: deadline relative to today so that the city can still submit.
    open_round = _make_round(
        instrument,
        2026,
        2,
        today - timedelta(days=14),
        today + timedelta(days=30),
        today + timedelta(days=90),
    )
    round_services.round_add_participants(round=open_round, regions=regions, by=manager)
    _panel(open_round, users, manager)
    round_services.round_open_self_assessment(round=open_round, by=manager)
    for code in (BEKASI, BANDUNG):
        participation = open_round.participations.select_related("region").get(region__code=code)
        _answers(participation, indicators, year=2026, upto=len(indicators) // 3)
        participation.self_assessment_status = SelfAssessmentStatus.DRAFT
        participation.save(update_fields=["self_assessment_status"])
        if code == BEKASI:
            _field_review(
                participation,
                dimensions,
                start=today + timedelta(days=45),
                findings=False,
                users=users,
            )

    draft_round = _make_round(
        instrument, 2027, 1, date(2027, 3, 1), date(2027, 4, 30), date(2027, 8, 31)
    )
    round_services.round_add_participants(round=draft_round, regions=regions, by=manager)
    return users


def demo_exists() -> bool:
    return Round.objects.filter(slug__startswith=DEMO_SLUG_PREFIX).exists()


def remove_demo() -> None:
    """Delete the demo rounds and users (reference data stays).

    Published demo rounds are protected like any other (``evaluations.trust``): this goes
    through the one logged purge path, which production settings refuse.
    """
    with purge(reason="load_demo --reset: remove the demo rounds"):
        _remove_demo()


def _remove_demo() -> None:
    # Issued documents are never deleted except by this purge of demo rounds.
    from evaluations.documents.services import documents_purge_demo

    documents_purge_demo(rounds=Round.objects.filter(slug__startswith=DEMO_SLUG_PREFIX))
    for round_ in Round.objects.filter(slug__startswith=DEMO_SLUG_PREFIX):
        round_.delete()
    demo_codes = Cohort.objects.filter(year=2017).values("regions__code")
    Programme.objects.filter(region__code__in=demo_codes).delete()
    Evidence.objects.filter(region__code__in=demo_codes).delete()
    User.objects.filter(username__in=[u.username for u in DEMO_USERS]).delete()
