"""A synthetic national dataset for benchmarks and load tests (``manage.py generate_national``).

Every row it makes is labelled: rounds are named "… (SINTETIS)" with slugs starting
``sintetis-``, users are ``sintetis-…``, programme and evidence texts say "data sintetis".
Nothing here is real data about any region.

What it builds, for the first ``regions`` kab/kota of the reference data (all 514 by
default, spread over the provinces when fewer):

- per region: ten agencies (OPD), ~50 masterplan programmes, a few evidence links and one
  operator account;
- a pool of reviewers and one round manager;
- ``rounds`` evaluation rounds, two phases a year, each taken through the real lifecycle
  services (``round_add_participants``, ``round_open_self_assessment``,
  ``round_start_review``, ``round_finalise`` with the real engine, ``round_publish``) with a
  panel of three reviewers per participation, a submitted self-assessment, three reviewer
  scores and a verified level per indicator;
- optionally one more, *current* round under review (panels seated, self-assessments
  submitted, about two thirds of the reviewer scores entered, no verified level yet): what
  the reviewer pages and the load test work on.

Rows are written with ``bulk_create`` in batches; each round is one transaction, so an
interrupted run leaves whole rounds only and a second run continues where it stopped
(rounds, users and registers that exist are kept). Deterministic: the same options give
the same levels, hence the same published results.

It lives outside the domain package (``evaluations``) because no page or service uses it,
and writes through public APIs only: the lifecycle services, ``bulk_create`` (or COPY on
PostgreSQL) and, to remove it, ``QuerySet.delete`` and plain ``DELETE`` statements.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as dtime
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.db import connection, transaction
from django.db.models import Count, Model, OuterRef, Subquery
from django.utils import timezone

from evaluations.demo.content import AGENCIES, PROGRAMMES
from evaluations.models import (
    Dimension,
    Evidence,
    Indicator,
    Instrument,
    Participation,
    Programme,
    ProgrammeStatus,
    Result,
    ReviewerAssignment,
    Round,
    RoundStatus,
    Score,
    SelfAssessmentAnswer,
    SelfAssessmentStatus,
    VerifiedScore,
)
from evaluations.models.rounds import ROMAN
from evaluations.roles import MANAGER_GROUP, REVIEWER_GROUP
from evaluations.services import rounds as round_services
from evaluations.trust import purge
from regions.models import Agency, MembershipRole, Region, RegionMembership

LABEL = "SINTETIS"
SLUG_PREFIX = "sintetis-"
USER_PREFIX = "sintetis-"
MANAGER_USERNAME = f"{USER_PREFIX}pengelola"
BATCH = 5000
PANEL_SIZE = 3


class NationalDataError(Exception):
    """The dataset cannot be generated here (missing reference data, clashing rounds)."""


@dataclass(frozen=True)
class NationalSpec:
    """The size and seed of a synthetic dataset (the defaults are the national one)."""

    regions: int = 514
    rounds: int = 20
    first_year: int = 2017
    programmes: int = 50
    reviewers: int = 60
    current_round: bool = True
    seed: str = "national"

    def round_keys(self) -> list[tuple[int, int]]:
        """(year, phase) of the published rounds, oldest first: two phases a year."""
        return [(self.first_year + i // 2, i % 2 + 1) for i in range(self.rounds)]

    def current_key(self) -> tuple[int, int]:
        """(year, phase) of the round under review: the one after the published rounds."""
        return self.first_year + self.rounds // 2, self.rounds % 2 + 1


@dataclass
class Report:
    """What a run did, with the seconds each step took (printed by the command)."""

    steps: list[tuple[str, float]] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, seconds: float) -> None:
        self.steps.append((what, seconds))

    def count(self, model: str, n: int) -> None:
        if n:
            self.rows[model] = self.rows.get(model, 0) + n


def round_slug(year: int, phase: int) -> str:
    return f"{SLUG_PREFIX}evaluasi-{year}-tahap-{phase}"


def round_name(year: int, phase: int) -> str:
    return f"Evaluasi {year} Tahap {ROMAN[phase]} ({LABEL})"


def reviewer_username(i: int) -> str:
    return f"{USER_PREFIX}penilai-{i:03d}"


def operator_username(region: Region) -> str:
    return f"{USER_PREFIX}op-{region.code.replace('.', '')}"


def _rng(*parts: object) -> random.Random:
    """A generator seeded by the parts, stable across runs, machines and Python versions."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311 - synthetic data


def pick_regions(count: int) -> list[Region]:
    """``count`` regions spread evenly over the code order (all of them when count ≥ total),
    so that a small dataset still spans several provinces."""
    regions = list(Region.objects.select_related("province").order_by("code"))
    if count >= len(regions):
        return regions
    return [regions[i * len(regions) // count] for i in range(count)]


class _Levels:
    """The synthetic maturity model: a region's strength, its yearly growth, an indicator's
    difficulty and noise per round, all drawn from seeded generators."""

    def __init__(self, spec: NationalSpec, regions: list[Region], indicators: list[Indicator]):
        self.spec = spec
        self.strength = {r.pk: 1.0 + _rng(spec.seed, "s", r.code).random() * 3.0 for r in regions}
        self.growth = {r.pk: _rng(spec.seed, "g", r.code).uniform(-0.05, 0.2) for r in regions}
        self.difficulty = {
            i.pk: _rng(spec.seed, "d", i.code).uniform(-0.6, 0.6) for i in indicators
        }

    def for_round(
        self, region: Region, indicators: list[Indicator], year: int, phase: int
    ) -> dict[int, int]:
        """{indicator id: verified level} of one region in one round."""
        rng = _rng(self.spec.seed, "lv", region.code, year, phase)
        step = (year - self.spec.first_year) * 2 + phase - 1
        base = self.strength[region.pk] + self.growth[region.pk] * step
        return {
            i.pk: max(0, min(5, round(base - self.difficulty[i.pk] + rng.gauss(0, 0.6))))
            for i in indicators
        }


def _bulk(model: type[Any], rows: list, report: Report) -> list:
    created = model.objects.bulk_create(rows, batch_size=BATCH)
    report.count(model.__name__, len(rows))
    return created


# --- Users and registers ------------------------------------------------------------------------


def ensure_users(spec: NationalSpec, regions: list[Region], report: Report) -> dict[str, User]:
    """The manager, the reviewer pool and one operator per region (password: the demo one).

    The password is hashed once and the hash shared: hashing 600 passwords at production
    strength would take minutes.
    """
    password = make_password(settings.DEMO_PASSWORD)
    wanted = {MANAGER_USERNAME: ("Pengelola", LABEL)}
    for i in range(1, spec.reviewers + 1):
        wanted[reviewer_username(i)] = ("Penilai", f"{LABEL} {i:03d}")
    operators = {operator_username(r): r for r in regions}
    for username, region in operators.items():
        wanted[username] = ("Operator", f"{region.name} ({LABEL})")
    existing = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    new = [
        User(username=u, first_name=first, last_name=last, password=password)
        for u, (first, last) in wanted.items()
        if u not in existing
    ]
    _bulk(User, new, report)
    users = {u.username: u for u in User.objects.filter(username__in=wanted)}

    managers = Group.objects.get(name=MANAGER_GROUP)
    reviewers = Group.objects.get(name=REVIEWER_GROUP)
    managers.user_set.add(users[MANAGER_USERNAME])
    reviewers.user_set.add(*[users[reviewer_username(i)] for i in range(1, spec.reviewers + 1)])
    have = set(
        RegionMembership.objects.filter(user__username__in=operators).values_list(
            "user__username", flat=True
        )
    )
    _bulk(
        RegionMembership,
        [
            RegionMembership(user=users[username], region=region, role=MembershipRole.COORDINATOR)
            for username, region in operators.items()
            if username not in have
        ],
        report,
    )
    return users


def _programme_templates() -> list[tuple[str, str, str, int, bool]]:
    """(dimension code, title, agency acronym, element index, quick win) in a fixed order."""
    return [
        (code, title, acronym, element, quick_win)
        for code, items in PROGRAMMES.items()
        for title, acronym, element, quick_win in items
    ]


def ensure_registers(spec: NationalSpec, regions: list[Region], report: Report) -> None:
    """Agencies, ~``spec.programmes`` programmes and six evidence links for every region that
    has no programme yet."""
    done = set(Programme.objects.filter(region__in=regions).values_list("region_id", flat=True))
    todo = [r for r in regions if r.pk not in done]
    if not todo:
        return
    dimensions = {d.code: d for d in Dimension.objects.prefetch_related("elements")}
    elements = {code: list(d.elements.all()) for code, d in dimensions.items()}
    have_agencies = set(Agency.objects.filter(region__in=todo).values_list("region_id", "name"))
    _bulk(
        Agency,
        [
            Agency(region=r, name=name, acronym=acronym)
            for r in todo
            for name, acronym in AGENCIES
            if (r.pk, name) not in have_agencies
        ],
        report,
    )
    agencies = {(a.region_id, a.acronym): a.pk for a in Agency.objects.filter(region__in=todo)}
    templates = _programme_templates()
    statuses = [
        ProgrammeStatus.RUNNING,
        ProgrammeStatus.COMPLETED,
        ProgrammeStatus.PLANNED,
        ProgrammeStatus.STOPPED,
    ]
    archived_at = timezone.make_aware(datetime(spec.first_year, 1, 2, 9, 0))
    programmes, evidence = [], []
    for region in todo:
        rng = _rng(spec.seed, "programmes", region.code)
        for n in range(spec.programmes):
            code, title, acronym, element, quick_win = templates[n % len(templates)]
            batch = n // len(templates) + 1
            start = rng.randint(spec.first_year - 1, spec.first_year + spec.rounds // 2)
            programmes.append(
                Programme(
                    region=region,
                    dimension=dimensions[code],
                    element=elements[code][element] if elements[code] else None,
                    agency_id=agencies.get((region.pk, acronym)),
                    title=title if batch == 1 else f"{title} (paket {batch})",
                    description=f"{title} di {region.name} (data sintetis).",
                    status=rng.choices(statuses, weights=[6, 2, 2, 1])[0],
                    is_quick_win=quick_win,
                    start_year=start,
                    end_year=start + rng.randint(1, 5) if rng.random() < 0.5 else None,
                    budget=rng.randint(2, 400) * 10_000_000,
                    archived_at=archived_at if rng.random() < 0.04 else None,
                )
            )
        for n in range(6):
            evidence.append(
                Evidence(
                    region=region,
                    title=f"Dokumen pendukung {n + 1} (data sintetis)",
                    url=f"https://contoh.go.id/sintetis/{region.slug}/{n + 1}",
                )
            )
    _bulk(Programme, programmes, report)
    _bulk(Evidence, evidence, report)


# --- Rounds -----------------------------------------------------------------------------------


def _check_round_keys(spec: NationalSpec) -> None:
    keys = [*spec.round_keys(), *([spec.current_key()] if spec.current_round else [])]
    clashes = [
        r
        for r in Round.objects.filter(year__in={y for y, _ in keys})
        if (r.year, r.phase) in keys and not r.slug.startswith(SLUG_PREFIX)
    ]
    if clashes:
        raise NationalDataError(
            f"Round(s) {', '.join(r.name for r in clashes)} already use the years and phases "
            "of the synthetic rounds: use a fresh database or another --first-year."
        )


def _create_round(instrument: Instrument, year: int, phase: int, *, current: bool) -> Round:
    month = 3 if phase == 1 else 9
    return Round.objects.create(
        year=year,
        phase=phase,
        name=round_name(year, phase),
        slug=round_slug(year, phase),
        instrument=instrument,
        self_assessment_opens=date(year, month, 1),
        self_assessment_closes=date(year, month + 1, 30),
        review_ends=date(year, month + 2, 28),
        announcement_date=None if current else date(year, month + 3, 15),
    )


def _panels(
    spec: NationalSpec,
    participations: list[Participation],
    users: dict[str, User],
    *,
    offset: int,
    completed: bool,
    report: Report,
) -> dict[int, list[int]]:
    """Three distinct reviewers per participation, the first one the lead; rotates through
    the pool (``offset`` varies it between rounds). Returns {participation: [reviewer ids]}."""
    pool = [users[reviewer_username(i)].pk for i in range(1, spec.reviewers + 1)]
    now = timezone.now() if completed else None
    seats, panels = [], {}
    for n, p in enumerate(participations):
        ids = [pool[(offset + n * PANEL_SIZE + k) % len(pool)] for k in range(PANEL_SIZE)]
        panels[p.pk] = ids
        seats += [
            ReviewerAssignment(participation=p, reviewer_id=rid, is_lead=(k == 0), completed_at=now)
            for k, rid in enumerate(ids)
        ]
    _bulk(ReviewerAssignment, seats, report)
    return panels


def _insert(model: type[Any], columns: list[str], rows: list[tuple], report: Report) -> None:
    """Insert plain rows (``columns`` are attribute names, e.g. ``participation_id``).

    PostgreSQL gets them through COPY, several times faster than INSERT for the million
    score rows of a national dataset and with no model instance per row; other databases
    through ``bulk_create`` in batches. Either way no signal is sent and no history row is
    written: these rows are generated, not edited by anyone.
    """
    if not rows:
        return
    if connection.vendor == "postgresql":  # psycopg 3 (pyproject.toml), whose cursors COPY
        quote = connection.ops.quote_name
        sql = (
            f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
            "FROM STDIN"
        )
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
    else:
        model.objects.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=BATCH
        )
    report.count(model.__name__, len(rows))


def _answers(
    participations: list[Participation],
    indicators: list[Indicator],
    levels: dict[int, dict[int, int]],
    operators: dict[int, int],
    report: Report,
) -> None:
    now = timezone.now()
    rows = []
    for p in participations:
        rng = _rng("claim", p.round.year, p.round.phase, p.region.code)
        for i in indicators:
            claimed = min(5, levels[p.pk][i.pk] + rng.choice((0, 0, 1)))
            narrative = f"Capaian {i.code} (data sintetis)."
            rows.append((p.pk, i.pk, claimed, narrative, now, operators[p.region_id], 1))
    columns = [
        "participation_id",
        "indicator_id",
        "claimed_level",
        "narrative",
        "updated_at",
        "updated_by_id",
        "version",
    ]
    _insert(SelfAssessmentAnswer, columns, rows, report)


def _scores(
    participations: list[Participation],
    indicators: list[Indicator],
    levels: dict[int, dict[int, int]],
    panels: dict[int, list[int]],
    *,
    share: float,
    verified: bool,
    report: Report,
) -> None:
    """Reviewer scores near the true level (``share`` of the indicators, for each panel
    member) and, when ``verified``, the lead's verified level for every indicator."""
    now = timezone.now()
    scores, checked = [], []
    for p in participations:
        rng = _rng("scores", p.round.year, p.round.phase, p.region.code)
        lead = panels[p.pk][0]
        for i in indicators:
            true = levels[p.pk][i.pk]
            for rid in panels[p.pk]:
                if share < 1 and rng.random() >= share:
                    continue
                level = max(0, min(5, true + rng.choice((-1, 0, 0, 0, 1))))
                scores.append((p.pk, i.pk, rid, level, "", now, 1))
            if verified:
                checked.append((p.pk, i.pk, true, "", lead, now, 1))
    common = ["participation_id", "indicator_id"]
    _insert(
        Score, [*common, "reviewer_id", "level", "comment", "updated_at", "version"], scores, report
    )
    _insert(
        VerifiedScore,
        [*common, "level", "comment", "set_by_id", "updated_at", "version"],
        checked,
        report,
    )


def build_round(
    spec: NationalSpec,
    *,
    year: int,
    phase: int,
    current: bool,
    regions: list[Region],
    indicators: list[Indicator],
    instrument: Instrument,
    levels: _Levels,
    users: dict[str, User],
    report: Report,
) -> Round:
    """One round through the lifecycle services: published, or (``current``) under review."""
    manager = users[MANAGER_USERNAME]
    with transaction.atomic():
        round_ = _create_round(instrument, year, phase, current=current)
        round_services.round_add_participants(round=round_, regions=regions, by=manager)
        participations = list(
            Participation.objects.filter(round=round_)
            .select_related("region", "round")
            .order_by("region__code")
        )
        report.count("Participation", len(participations))
        step = (year - spec.first_year) * 2 + phase - 1
        panels = _panels(
            spec,
            participations,
            users,
            offset=step * 7,
            completed=not current,
            report=report,
        )
        round_services.round_open_self_assessment(round=round_, by=manager)
        truth = {p.pk: levels.for_round(p.region, indicators, year, phase) for p in participations}
        operators = {r.pk: users[operator_username(r)].pk for r in regions}
        _answers(participations, indicators, truth, operators, report)
        submitted = timezone.make_aware(datetime.combine(round_.self_assessment_closes, dtime(15)))
        operator = RegionMembership.objects.filter(
            region=OuterRef("region"), user__username__startswith=USER_PREFIX
        ).values("user")[:1]
        Participation.objects.filter(round=round_).update(
            self_assessment_status=SelfAssessmentStatus.SUBMITTED,
            submitted_at=submitted,
            submitted_by=Subquery(operator),
        )
        round_services.round_start_review(round=round_, by=manager)
        _scores(
            participations,
            indicators,
            truth,
            panels,
            share=2 / 3 if current else 1.0,
            verified=not current,
            report=report,
        )
        if not current:
            round_services.round_finalise(round=round_, by=manager)
            round_services.round_publish(
                round=round_, by=manager, note=f"Publikasi data {LABEL.lower()}."
            )
    return round_


def _existing_rounds(plan: list[tuple[int, int, bool]], region_count: int) -> set[str]:
    """Slugs of the planned rounds that exist already, checked to be what the plan wants."""
    wanted = {round_slug(y, p): current for y, p, current in plan}
    rows = (
        Round.objects.filter(slug__startswith=SLUG_PREFIX)
        .annotate(n=Count("participations"))
        .values_list("slug", "status", "n")
    )
    existing = set()
    for slug, status, n in rows:
        expected = RoundStatus.REVIEW if wanted.get(slug) else RoundStatus.PUBLISHED
        if slug not in wanted or status != expected or n != region_count:
            raise NationalDataError(
                f"The synthetic data in this database was made with other options (round "
                f"{slug}: {status}, {n} regions): add --reset to rebuild it."
            )
        existing.add(slug)
    return existing


def generate(spec: NationalSpec, *, log: Callable[[str], None] = lambda _: None) -> Report:
    """Build (or complete) the synthetic dataset described by ``spec``; see the module doc."""
    report = Report()
    instrument = Instrument.objects.filter(is_default=True).first()
    if instrument is None or not Region.objects.exists():
        raise NationalDataError("Reference data is missing: run `manage.py load_reference` first.")
    if spec.reviewers < PANEL_SIZE:
        raise NationalDataError(f"At least {PANEL_SIZE} reviewers are needed for a panel.")
    _check_round_keys(spec)
    regions = pick_regions(spec.regions)
    indicators = list(instrument.indicators.order_by("order", "code"))

    started = time.perf_counter()
    with transaction.atomic():
        users = ensure_users(spec, regions, report)
        ensure_registers(spec, regions, report)
    report.add("users and registers", time.perf_counter() - started)
    log(f"users and registers: {time.perf_counter() - started:.1f} s")

    plan = [(y, p, False) for y, p in spec.round_keys()]
    if spec.current_round:
        plan.append((*spec.current_key(), True))
    existing = _existing_rounds(plan, len(regions))
    levels = _Levels(spec, regions, indicators)
    for year, phase, current in plan:
        if round_slug(year, phase) in existing:
            continue
        started = time.perf_counter()
        build_round(
            spec,
            year=year,
            phase=phase,
            current=current,
            regions=regions,
            indicators=indicators,
            instrument=instrument,
            levels=levels,
            users=users,
            report=report,
        )
        seconds = time.perf_counter() - started
        what = f"{round_name(year, phase)}{' (under review)' if current else ''}"
        report.add(what, seconds)
        log(f"{what}: {seconds:.1f} s")
    return report


def _delete_synthetic(model: type[Model], column: str, participations: str) -> None:
    """``DELETE FROM <model's table> WHERE <column> IN (<participations>)``: one statement,
    no row loaded, no signal, hence no history row per deleted row.

    For the synthetic leaf tables of history-tracked models only (millions of score rows,
    which ``QuerySet.delete`` would load to send their signals).
    """
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(model._meta.db_table)} WHERE {quote(column)} IN "  # noqa: S608
            f"({participations})",
            [f"{SLUG_PREFIX}%"],
        )


def remove() -> None:
    """Delete every synthetic round (with its history rows), register and user.

    Reference data and any non-synthetic round stay. Score rows go through plain DELETE
    statements (see ``_delete_synthetic``); everything else through ``QuerySet.delete``,
    and the history rows that deletion writes for rounds and participations are removed
    with the rest.
    """
    rounds = Round.objects.filter(slug__startswith=SLUG_PREFIX)
    participations = Participation.objects.filter(round__in=rounds)
    quote = connection.ops.quote_name
    synthetic = (  # table and column names only; the slug prefix is a parameter
        f"SELECT p.{quote('id')} FROM {quote(Participation._meta.db_table)} p "  # noqa: S608
        f"JOIN {quote(Round._meta.db_table)} r ON r.{quote('id')} = p.{quote('round_id')} "
        f"WHERE r.{quote('slug')} LIKE %s"
    )
    with (
        transaction.atomic(),
        purge(reason="generate_national --reset: remove the synthetic rounds"),
    ):
        round_ids = list(rounds.values_list("pk", flat=True))
        participation_ids = participations.values("pk")
        # A later non-synthetic round may point at a synthetic result as its previous one.
        Result.objects.filter(previous__participation_id__in=participation_ids).exclude(
            participation_id__in=participation_ids
        ).update(previous=None)
        answers = SelfAssessmentAnswer.objects.filter(participation_id__in=participation_ids)
        SelfAssessmentAnswer.evidence.through.objects.filter(
            selfassessmentanswer_id__in=answers.values("pk")
        ).delete()
        ReviewerAssignment.objects.filter(participation_id__in=participation_ids).delete()
        for model in (Score, VerifiedScore, SelfAssessmentAnswer, Result):
            _delete_synthetic(model, "participation_id", synthetic)
            # History models send no signals: QuerySet.delete is one DELETE statement.
            model.history.model.objects.filter(participation_id__in=participation_ids).delete()
        rounds.delete()  # cascades to participations, events and publications
        Participation.history.model.objects.filter(round_id__in=round_ids).delete()
        Round.history.model.objects.filter(id__in=round_ids).delete()
        operators = RegionMembership.objects.filter(user__username__startswith=USER_PREFIX)
        region_ids = list(operators.values_list("region_id", flat=True))
        Programme.objects.filter(
            region_id__in=region_ids, description__endswith="(data sintetis)."
        ).delete()
        Evidence.objects.filter(
            region_id__in=region_ids, title__endswith="(data sintetis)"
        ).delete()
        User.objects.filter(username__startswith=USER_PREFIX).delete()


__all__ = ["LABEL", "NationalDataError", "NationalSpec", "Report", "generate", "remove"]
