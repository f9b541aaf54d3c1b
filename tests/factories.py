"""Small hand-written factories. Each makes a valid object with sensible defaults; pass
keyword arguments to override. They build only what a test needs, so the suite never
loads the 514-region fixture unless a test asks for it."""

from __future__ import annotations

import functools
import itertools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group, User

from evaluations import trust
from evaluations.models import (
    ComponentCode,
    Dimension,
    DimensionCode,
    Element,
    Indicator,
    Instrument,
    Participation,
    Programme,
    RatingBand,
    ReviewerAssignment,
    Round,
    RoundStatus,
)
from evaluations.roles import MANAGER_GROUP, REVIEWER_GROUP
from regions.models import (
    Agency,
    MembershipRole,
    Province,
    Region,
    RegionKind,
    RegionMembership,
)

_seq = itertools.count(1)

PASSWORD = "demo12345"

# The SPBE-style bands of DOMAIN.md, used by the default instrument too.
DEFAULT_BANDS = [
    ("Memuaskan", Decimal("4.20")),
    ("Sangat Baik", Decimal("3.50")),
    ("Baik", Decimal("2.60")),
    ("Cukup", Decimal("1.80")),
    ("Kurang", Decimal("0.00")),
]


@contextmanager
def guards_lifted() -> Iterator[None]:
    """Write test data straight into closed rounds (see :func:`past_guards`)."""
    trust_logger = logging.getLogger("evaluations.trust")
    level = trust_logger.level
    trust_logger.setLevel(logging.ERROR)  # one warning per factory call is noise
    try:
        with trust.purge(reason="test factory"):
            yield
    finally:
        trust_logger.setLevel(level)


def past_guards[F: Callable[..., Any]](func: F) -> F:
    """Let a factory write test data straight into closed rounds, as a restore would.

    The database refuses such writes (``evaluations.trust``); factories that set up
    published history go through the same logged purge path as ``load_demo --reset``.
    Tests of the guards themselves never use it.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with guards_lifted():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


COMPONENT_PREFIX = {
    "baseline": "BL",
    "output": "OP",
    "outcome": "OC",
    "impact": "IM",
    "quick_win": "QW",
}


def make_user(username: str | None = None, *, groups: tuple[str, ...] = (), **extra: Any) -> User:
    username = username or f"user{next(_seq)}"
    user = User.objects.create_user(username=username, password=PASSWORD, **extra)
    for name in groups:
        group, _ = Group.objects.get_or_create(name=name)
        user.groups.add(group)
    return user


def make_manager(username: str = "manager") -> User:
    return make_user(username, groups=(MANAGER_GROUP,), is_staff=True)


def make_reviewer(username: str | None = None) -> User:
    return make_user(username, groups=(REVIEWER_GROUP,), is_staff=True)


def make_province(code: str = "32", name: str = "Jawa Barat") -> Province:
    province, _ = Province.objects.get_or_create(
        code=code, defaults={"name": name, "slug": name.lower().replace(" ", "-")}
    )
    return province


def make_region(
    code: str | None = None,
    name: str | None = None,
    *,
    province: Province | None = None,
    kind: str = RegionKind.KOTA,
    **extra: Any,
) -> Region:
    n = next(_seq)
    province = province or make_province()
    if code is None:
        # The sequence is shared with users: skip kota codes a test already made (Bekasi's
        # 32.75 among them), so the same test passes whatever ran before it.
        taken = set(Region.objects.filter(province=province).values_list("code", flat=True))
        code = next(
            c
            for i in range(n, n + 28)
            if (c := f"{province.code}.{(i % 28) + 71:02d}") not in taken
        )
    name = name or f"Kota Contoh {n}"
    return Region.objects.create(
        code=code,
        name=name,
        kind=kind,
        province=province,
        slug=name.lower().replace(" ", "-").replace(".", ""),
        **extra,
    )


def make_operator(region: Region, username: str | None = None, **extra: Any) -> User:
    role = extra.pop("role", MembershipRole.OPERATOR)
    user = make_user(username, **extra)
    RegionMembership.objects.create(user=user, region=region, role=role)
    return user


def make_agency(region: Region, name: str = "Dinas Komunikasi dan Informatika") -> Agency:
    return Agency.objects.create(region=region, name=name, acronym="Diskominfo")


def ensure_dimensions() -> list[Dimension]:
    """The six dimensions, each with three elements (idempotent)."""
    dims = []
    for order, (code, label) in enumerate(DimensionCode.choices):
        dim, created = Dimension.objects.get_or_create(
            code=code, defaults={"name": str(label), "order": order}
        )
        if created:
            for i in range(1, 4):
                Element.objects.create(
                    dimension=dim, code=f"{code}-{i}", name=f"{label} {i}", order=i
                )
        dims.append(dim)
    return dims


def make_instrument(
    *,
    code: str | None = None,
    weights: tuple[int, int, int, int, int] = (10, 20, 30, 30, 10),
    indicators_per_component: int = 2,
    is_default: bool = False,
) -> Instrument:
    """An instrument whose indicators cover every component, spread over the dimensions."""
    dims = ensure_dimensions()
    instrument = Instrument.objects.create(
        code=code or f"instr-{next(_seq)}",
        name="Instrumen uji",
        year=2024,
        is_default=is_default,
        **{f"weight_{c}": w for c, w in zip(ComponentCode.values, weights, strict=True)},
    )
    order = 0
    for component in ComponentCode.values:
        for i in range(indicators_per_component):
            dim = dims[order % len(dims)]
            order += 1
            Indicator.objects.create(
                instrument=instrument,
                code=f"{COMPONENT_PREFIX[component]}-{i + 1:02d}",
                name=f"Indikator {component} {i + 1}",
                component=component,
                dimension=dim,
                element=dim.elements.first(),
                order=order,
                **{f"level_{lv}": f"Deskripsi level {lv}" for lv in range(6)},
            )
    for name, threshold in DEFAULT_BANDS:
        RatingBand.objects.create(instrument=instrument, name=name, min_index=threshold)
    return instrument


def make_round(
    *,
    instrument: Instrument | None = None,
    year: int = 2024,
    phase: int = 1,
    status: str = RoundStatus.DRAFT,
    **extra: Any,
) -> Round:
    instrument = instrument or make_instrument()
    defaults = {
        "name": f"Evaluasi {year} Tahap {phase}",
        "slug": f"evaluasi-{year}-tahap-{phase}",
        "self_assessment_opens": date(year, 2, 1),
        "self_assessment_closes": date(year, 3, 31),
        "review_ends": date(year, 6, 30),
    }
    # A round made published is public (issue 15: ``is_public`` is what readers see).
    defaults.setdefault("is_public", status == RoundStatus.PUBLISHED)
    defaults.update(extra)
    return Round.objects.create(
        instrument=instrument, year=year, phase=phase, status=status, **defaults
    )


@past_guards
def make_participation(round_: Round, region: Region, **extra: Any) -> Participation:
    return Participation.objects.create(round=round_, region=region, **extra)


@past_guards
def assign(
    participation: Participation, reviewer: User, *, lead: bool = False
) -> ReviewerAssignment:
    return ReviewerAssignment.objects.create(
        participation=participation, reviewer=reviewer, is_lead=lead
    )


def make_programme(region: Region, **extra: Any) -> Programme:
    dims = ensure_dimensions()
    dim = extra.pop("dimension", dims[0])
    defaults: dict[str, Any] = {
        "title": f"Program {next(_seq)}",
        "dimension": dim,
        "element": dim.elements.first(),
        "start_year": 2022,
        "status": "running",
    }
    defaults.update(extra)
    return Programme.objects.create(region=region, **defaults)
