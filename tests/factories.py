"""The test data factories (factory_boy) and the named cast.

Each factory makes a valid object with sensible defaults; pass keyword arguments to
override. They build only what a test needs, so the suite never loads the 514-region
fixture unless a test asks for it.

The named cast is the demo's people (``evaluations/demo``), so a test reads like the
journeys people know: ``manager``, ``reviewer``, ``reviewer2``, ``reviewer3`` (Kominfo),
``bekasi`` (operator of Kota Bekasi, 32.75) and ``bandung`` (operator of Kota Bandung,
32.73), both in Jawa Barat: ``RegionFactory.create(bekasi=True)``,
``OperatorFactory.create(bekasi=True)``, ``cast()`` for all of them at once, and the pytest
fixtures of the same names (tests/conftest.py). ``.create()`` rather than calling the class:
mypy then knows the model it returns.

The ``make_*`` functions are the older names, kept as thin wrappers over the factories.
Factories of objects that belong to a closed round write through :func:`guards_lifted`.
"""

from __future__ import annotations

import functools
import itertools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth.models import Group, User
from django.db.models import Model
from factory.django import DjangoModelFactory

from evaluations import trust
from evaluations.models import (
    ComponentCode,
    Dimension,
    DimensionCode,
    Element,
    Evidence,
    FieldReview,
    Finding,
    FindingKind,
    Indicator,
    Instrument,
    Participation,
    Programme,
    RatingBand,
    Result,
    ReviewerAssignment,
    Round,
    RoundStatus,
    SelfAssessmentAnswer,
    VerifiedScore,
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


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-").replace(".", "")


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


class PastGuardsFactory[M: Model](DjangoModelFactory[M]):
    """Writes straight into closed rounds, as a restore would (see :func:`past_guards`)."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class: type, *args: Any, **kwargs: Any) -> Any:
        with guards_lifted():
            return super()._create(model_class, *args, **kwargs)


# --- People -----------------------------------------------------------------------------------


def _join(user: User, groups: tuple[str, ...]) -> None:
    for name in groups:
        group, _ = Group.objects.get_or_create(name=name)
        user.groups.add(group)


class UserFactory(DjangoModelFactory[User]):
    """A user who signs in with :data:`PASSWORD`; ``groups=("…",)`` adds named groups."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username: Any = factory.LazyFunction(lambda: f"user{next(_seq)}")
    password = PASSWORD

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        return model_class.objects.create_user(*args, **kwargs)

    @factory.post_generation
    def groups(self: Any, create: bool, extracted: tuple[str, ...] | None, **kwargs: Any) -> None:
        _join(self, extracted or ())


class ManagerFactory(UserFactory):
    """A Kominfo round manager (staff, in the managers' group)."""

    username = "manager"
    is_staff = True

    @factory.post_generation
    def groups(self: Any, create: bool, extracted: tuple[str, ...] | None, **kwargs: Any) -> None:
        _join(self, extracted or (MANAGER_GROUP,))


class ReviewerFactory(UserFactory):
    """A Kominfo reviewer (staff, in the reviewers' group)."""

    is_staff = True

    @factory.post_generation
    def groups(self: Any, create: bool, extracted: tuple[str, ...] | None, **kwargs: Any) -> None:
        _join(self, extracted or (REVIEWER_GROUP,))


# --- Places -----------------------------------------------------------------------------------


class ProvinceFactory(DjangoModelFactory[Province]):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = "32"
    name = "Jawa Barat"
    slug = factory.LazyAttribute(lambda o: _slug(o.name))


class RegionFactory(DjangoModelFactory[Region]):
    """A kota in Jawa Barat with a free code; ``bekasi=True`` / ``bandung=True`` make the
    cast's Kota Bekasi (32.75) and Kota Bandung (32.73)."""

    class Meta:
        model = Region

    class Params:
        number = factory.LazyFunction(lambda: next(_seq))
        bekasi = factory.Trait(code="32.75", name="Kota Bekasi")
        bandung = factory.Trait(code="32.73", name="Kota Bandung")

    province = factory.SubFactory(ProvinceFactory)
    kind = RegionKind.KOTA
    name = factory.LazyAttribute(lambda o: f"Kota Contoh {o.number}")
    slug = factory.LazyAttribute(lambda o: _slug(o.name))

    @factory.lazy_attribute
    def code(self: Any) -> str:
        # The sequence is shared with users: skip kota codes a test already made (Bekasi's
        # 32.75 among them), so the same test passes whatever ran before it.
        province = self.province
        taken = set(Region.objects.filter(province=province).values_list("code", flat=True))
        return next(
            c
            for i in range(self.number, self.number + 28)
            if (c := f"{province.code}.{(i % 28) + 71:02d}") not in taken
        )


class RegionMembershipFactory(DjangoModelFactory[RegionMembership]):
    class Meta:
        model = RegionMembership

    user = factory.SubFactory(UserFactory)
    region = factory.SubFactory(RegionFactory)
    role = MembershipRole.OPERATOR


class OperatorFactory(UserFactory):
    """An operator of ``region`` (``role=`` for another membership role); ``bekasi=True`` /
    ``bandung=True`` make the cast's operators of Kota Bekasi and Kota Bandung."""

    class Params:
        region = factory.SubFactory(RegionFactory)
        role = MembershipRole.OPERATOR
        bekasi = factory.Trait(
            username="bekasi", region=factory.SubFactory(RegionFactory, bekasi=True)
        )
        bandung = factory.Trait(
            username="bandung", region=factory.SubFactory(RegionFactory, bandung=True)
        )

    membership = factory.RelatedFactory(
        RegionMembershipFactory,
        factory_related_name="user",
        region=factory.SelfAttribute("..region"),
        role=factory.SelfAttribute("..role"),
    )


class AgencyFactory(DjangoModelFactory[Agency]):
    class Meta:
        model = Agency

    region = factory.SubFactory(RegionFactory)
    name = "Dinas Komunikasi dan Informatika"
    acronym = "Diskominfo"


# --- Method and rounds ------------------------------------------------------------------------


class InstrumentFactory(DjangoModelFactory[Instrument]):
    """An instrument whose indicators cover every component, spread over the dimensions
    (``indicators_per_component``, 0 for none), with the SPBE-style bands of DOMAIN.md
    (``bands=False`` for none)."""

    class Meta:
        model = Instrument
        skip_postgeneration_save = True

    class Params:
        weights = (10, 20, 30, 30, 10)

    code = factory.LazyFunction(lambda: f"instr-{next(_seq)}")
    name = "Instrumen uji"
    year = 2024
    is_default = False
    weight_baseline = factory.LazyAttribute(lambda o: o.weights[0])
    weight_output = factory.LazyAttribute(lambda o: o.weights[1])
    weight_outcome = factory.LazyAttribute(lambda o: o.weights[2])
    weight_impact = factory.LazyAttribute(lambda o: o.weights[3])
    weight_quick_win = factory.LazyAttribute(lambda o: o.weights[4])

    @factory.post_generation
    def indicators_per_component(self: Any, create: bool, extracted: int | None, **kw: Any) -> None:
        per_component = 2 if extracted is None else extracted
        dims = ensure_dimensions()
        order = 0
        for component in ComponentCode.values:
            for i in range(per_component):
                dim = dims[order % len(dims)]
                order += 1
                IndicatorFactory.create(
                    instrument=self,
                    code=f"{COMPONENT_PREFIX[component]}-{i + 1:02d}",
                    name=f"Indikator {component} {i + 1}",
                    component=component,
                    dimension=dim,
                    element=dim.elements.first(),
                    order=order,
                )

    @factory.post_generation
    def bands(self: Any, create: bool, extracted: bool | None, **kw: Any) -> None:
        if extracted is False:
            return
        for name, threshold in DEFAULT_BANDS:
            RatingBand.objects.create(instrument=self, name=name, min_index=threshold)


class IndicatorFactory(DjangoModelFactory[Indicator]):
    """An Output indicator on Smart Governance with every level described."""

    class Meta:
        model = Indicator

    instrument = factory.SubFactory(InstrumentFactory, indicators_per_component=0)
    code = factory.LazyFunction(lambda: f"GV-{next(_seq):02d}")
    name = factory.LazyAttribute(lambda o: f"Indikator {o.code}")
    component = ComponentCode.OUTPUT
    dimension = factory.LazyFunction(lambda: ensure_dimensions()[0])
    element = factory.LazyAttribute(
        lambda o: o.dimension.elements.first() if o.dimension is not None else None
    )
    order = 0
    level_0 = "Deskripsi level 0"
    level_1 = "Deskripsi level 1"
    level_2 = "Deskripsi level 2"
    level_3 = "Deskripsi level 3"
    level_4 = "Deskripsi level 4"
    level_5 = "Deskripsi level 5"


class RoundFactory(DjangoModelFactory[Round]):
    """Evaluasi <year> Tahap <phase>; a round made published is public (issue 15)."""

    class Meta:
        model = Round

    instrument = factory.SubFactory(InstrumentFactory)
    year = 2024
    phase = 1
    status = RoundStatus.DRAFT
    name = factory.LazyAttribute(lambda o: f"Evaluasi {o.year} Tahap {o.phase}")
    slug = factory.LazyAttribute(lambda o: f"evaluasi-{o.year}-tahap-{o.phase}")
    self_assessment_opens = factory.LazyAttribute(lambda o: date(o.year, 2, 1))
    self_assessment_closes = factory.LazyAttribute(lambda o: date(o.year, 3, 31))
    review_ends = factory.LazyAttribute(lambda o: date(o.year, 6, 30))
    is_public = factory.LazyAttribute(lambda o: o.status == RoundStatus.PUBLISHED)


class ParticipationFactory(PastGuardsFactory[Participation]):
    class Meta:
        model = Participation

    round = factory.SubFactory(RoundFactory)
    region = factory.SubFactory(RegionFactory)


class AssignmentFactory(PastGuardsFactory[ReviewerAssignment]):
    """A seat on a participation's panel (``is_lead=True`` for the panel lead)."""

    class Meta:
        model = ReviewerAssignment

    participation = factory.SubFactory(ParticipationFactory)
    reviewer = factory.SubFactory(ReviewerFactory)
    is_lead = False


class ProgrammeFactory(DjangoModelFactory[Programme]):
    class Meta:
        model = Programme

    region = factory.SubFactory(RegionFactory)
    title = factory.LazyFunction(lambda: f"Program {next(_seq)}")
    dimension = factory.LazyFunction(lambda: ensure_dimensions()[0])
    element = factory.LazyAttribute(lambda o: o.dimension.elements.first())
    start_year = 2022
    status = "running"


# --- A city's answers, reviews and results ----------------------------------------------------


class LinkEvidenceFactory(DjangoModelFactory[Evidence]):
    """Evidence given as a link (files go through ``evidence_create_file``)."""

    class Meta:
        model = Evidence

    region = factory.SubFactory(RegionFactory)
    url = "https://example.go.id/perda"
    title = factory.SelfAttribute("url")


class AnswerFactory(PastGuardsFactory[SelfAssessmentAnswer]):
    """A city's answer to one indicator (claimed level 3 unless told)."""

    class Meta:
        model = SelfAssessmentAnswer
        skip_postgeneration_save = True

    participation = factory.SubFactory(ParticipationFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    claimed_level = 3
    narrative = "Sudah ada Perwal."
    version = 1

    @factory.post_generation
    def evidence(self: Any, create: bool, extracted: list[Evidence] | None, **kw: Any) -> None:
        if extracted:
            with guards_lifted():
                self.evidence.set(extracted)


class VerifiedScoreFactory(PastGuardsFactory[VerifiedScore]):
    class Meta:
        model = VerifiedScore

    participation = factory.SubFactory(ParticipationFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    level = 3
    comment = ""
    set_by = factory.SubFactory(ReviewerFactory)


class FieldReviewFactory(DjangoModelFactory[FieldReview]):
    class Meta:
        model = FieldReview

    participation = factory.SubFactory(ParticipationFactory)
    mode = "on_site"
    location = "Ruang Rapat Wali Kota"
    start_date = date(2099, 5, 6)
    end_date = date(2099, 5, 7)


class FindingFactory(DjangoModelFactory[Finding]):
    class Meta:
        model = Finding

    field_review = factory.SubFactory(FieldReviewFactory)
    dimension = factory.LazyFunction(lambda: ensure_dimensions()[0])
    kind = FindingKind.ACHIEVEMENT
    text = "Rekomendasi"
    order = 0


class ResultFactory(PastGuardsFactory[Result]):
    """A stored result (as the engine writes it) with explicit figures."""

    class Meta:
        model = Result

    participation = factory.SubFactory(ParticipationFactory)
    index = Decimal("3.00")
    rating_band = ""
    national_rank = 1
    provincial_rank = 1


# --- The named cast ---------------------------------------------------------------------------


@dataclass
class Cast:
    """The demo's people and places, made in one go (``cast()``)."""

    jawa_barat: Province
    kota_bekasi: Region
    kota_bandung: Region
    manager: User
    reviewer: User
    reviewer2: User
    reviewer3: User
    bekasi: User
    bandung: User


def cast() -> Cast:
    kota_bekasi = RegionFactory.create(bekasi=True)
    kota_bandung = RegionFactory.create(bandung=True)
    return Cast(
        jawa_barat=kota_bekasi.province,
        kota_bekasi=kota_bekasi,
        kota_bandung=kota_bandung,
        manager=ManagerFactory.create(),
        reviewer=ReviewerFactory.create(username="reviewer"),
        reviewer2=ReviewerFactory.create(username="reviewer2"),
        reviewer3=ReviewerFactory.create(username="reviewer3"),
        bekasi=OperatorFactory.create(username="bekasi", region=kota_bekasi),
        bandung=OperatorFactory.create(username="bandung", region=kota_bandung),
    )


# --- The older names (thin wrappers) ----------------------------------------------------------


def make_user(username: str | None = None, *, groups: tuple[str, ...] = (), **extra: Any) -> User:
    if username is not None:
        extra["username"] = username
    return UserFactory.create(groups=groups, **extra)


def make_manager(username: str = "manager") -> User:
    return ManagerFactory.create(username=username)


def make_reviewer(username: str | None = None) -> User:
    return ReviewerFactory.create(**({"username": username} if username else {}))


def make_province(code: str = "32", name: str = "Jawa Barat") -> Province:
    return ProvinceFactory.create(code=code, name=name)


def make_region(
    code: str | None = None,
    name: str | None = None,
    *,
    province: Province | None = None,
    kind: str = RegionKind.KOTA,
    **extra: Any,
) -> Region:
    given = {"code": code, "name": name, "province": province}
    return RegionFactory.create(
        kind=kind, **{k: v for k, v in given.items() if v is not None}, **extra
    )


def make_operator(region: Region, username: str | None = None, **extra: Any) -> User:
    if username is not None:
        extra["username"] = username
    return OperatorFactory.create(region=region, **extra)


def make_agency(region: Region, name: str = "Dinas Komunikasi dan Informatika") -> Agency:
    return AgencyFactory.create(region=region, name=name)


def make_instrument(
    *,
    code: str | None = None,
    weights: tuple[int, int, int, int, int] = (10, 20, 30, 30, 10),
    indicators_per_component: int = 2,
    is_default: bool = False,
) -> Instrument:
    """An instrument whose indicators cover every component, spread over the dimensions."""
    extra = {"code": code} if code else {}
    return InstrumentFactory.create(
        weights=weights,
        indicators_per_component=indicators_per_component,
        is_default=is_default,
        **extra,
    )


def make_round(
    *,
    instrument: Instrument | None = None,
    year: int = 2024,
    phase: int = 1,
    status: str = RoundStatus.DRAFT,
    **extra: Any,
) -> Round:
    if instrument is not None:
        extra["instrument"] = instrument
    return RoundFactory.create(year=year, phase=phase, status=status, **extra)


def make_participation(round_: Round, region: Region, **extra: Any) -> Participation:
    return ParticipationFactory.create(round=round_, region=region, **extra)


def assign(
    participation: Participation, reviewer: User, *, lead: bool = False
) -> ReviewerAssignment:
    return AssignmentFactory.create(participation=participation, reviewer=reviewer, is_lead=lead)


def make_programme(region: Region, **extra: Any) -> Programme:
    if "dimension" in extra and "element" not in extra:
        extra["element"] = extra["dimension"].elements.first()
    return ProgrammeFactory.create(region=region, **extra)
