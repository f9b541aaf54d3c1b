"""The instrument: what an evaluation round measures and how it weighs it.

Dimensions (pillars) and their elements are the fixed vocabulary of the movement; an
instrument is one versioned set of indicators, component weights and rating bands.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

LEVELS = range(6)
"""The maturity scale: every indicator is scored 0 to 5."""

MIN_LEVEL, MAX_LEVEL = 0, 5


def in_reader_language(obj: models.Model, field: str) -> str:
    """``field`` in the reader's language: its English twin ``<field>_en`` when English is
    active and the translation is filled in, else the Indonesian text (the method's own).

    Instrument texts are data, so they are translated in the data (per instrument version,
    editable in the admin even once the version is frozen), not in the gettext catalogue."""
    if (get_language() or "").startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)


class InReaderLanguage:
    """``name_i18n`` and ``description_i18n`` for models with ``*_en`` translations."""

    @property
    def name_i18n(self) -> str:
        return in_reader_language(self, "name")  # type: ignore[arg-type]

    @property
    def description_i18n(self) -> str:
        return in_reader_language(self, "description")  # type: ignore[arg-type]


class DimensionCode(models.TextChoices):
    GOVERNANCE = "governance", _("Smart Governance")
    BRANDING = "branding", _("Smart Branding")
    ECONOMY = "economy", _("Smart Economy")
    LIVING = "living", _("Smart Living")
    SOCIETY = "society", _("Smart Society")
    ENVIRONMENT = "environment", _("Smart Environment")


class ComponentCode(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    OUTPUT = "output", _("Output")
    OUTCOME = "outcome", _("Outcome")
    IMPACT = "impact", _("Impact")
    QUICK_WIN = "quick_win", _("Quick Win")


class CodeManager(models.Manager):
    """Reference rows named by their ``code`` in fixtures (natural keys)."""

    def get_by_natural_key(self, code: str) -> models.Model:
        return self.get(code=code)


class Dimension(InReaderLanguage, models.Model):
    """One of the six smart dimensions (pillars), e.g. Smart Governance."""

    code = models.CharField(_("kode"), max_length=20, unique=True, choices=DimensionCode.choices)
    name = models.CharField(_("nama"), max_length=100)
    description = models.TextField(_("keterangan"), blank=True)
    name_en = models.CharField(_("nama (bahasa Inggris)"), max_length=100, blank=True)
    description_en = models.TextField(_("keterangan (bahasa Inggris)"), blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    objects = CodeManager()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("dimensi")
        verbose_name_plural = _("dimensi")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__in=DimensionCode.values),
                name="%(app_label)s_%(class)s_code_valid",
                violation_error_message=_("Kode dimensi harus salah satu dari enam dimensi."),
            ),
        ]

    def __str__(self) -> str:
        # In the reader's language: select options and admin lists show it (documents are
        # rendered in Indonesian, evaluations.documents).
        return self.name_i18n

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class Element(InReaderLanguage, models.Model):
    """An element of a dimension, e.g. Layanan Publik under Smart Governance."""

    dimension = models.ForeignKey(
        Dimension, on_delete=models.CASCADE, related_name="elements", verbose_name=_("dimensi")
    )
    code = models.SlugField(_("kode"), max_length=50, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    description = models.TextField(_("keterangan"), blank=True)
    name_en = models.CharField(_("nama (bahasa Inggris)"), max_length=100, blank=True)
    description_en = models.TextField(_("keterangan (bahasa Inggris)"), blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    objects = CodeManager()

    class Meta:
        ordering = ["dimension__order", "order", "code"]
        verbose_name = _("elemen")
        verbose_name_plural = _("elemen")

    def __str__(self) -> str:
        # In the reader's language: select options and admin lists show it (documents are
        # rendered in Indonesian, evaluations.documents).
        return self.name_i18n

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    natural_key.dependencies = ["evaluations.dimension"]  # type: ignore[attr-defined]  # Django reads this attribute of natural_key


class InstrumentQuerySet(models.QuerySet["Instrument"]):
    def get_by_natural_key(self, code: str) -> Instrument:
        return self.get(code=code)

    def default(self) -> Instrument:
        """The instrument new rounds start with."""
        return self.get(is_default=True)


class Instrument(InReaderLanguage, models.Model):
    """A versioned indicator set with its component weights and rating bands.

    The five component weights are whole percentages held in columns, so that the database
    itself can insist that they add up to exactly 100 %.
    """

    code = models.SlugField(_("kode"), max_length=50, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    year = models.PositiveSmallIntegerField(_("tahun berlaku"))
    description = models.TextField(_("keterangan"), blank=True)
    name_en = models.CharField(_("nama (bahasa Inggris)"), max_length=200, blank=True)
    description_en = models.TextField(_("keterangan (bahasa Inggris)"), blank=True)
    is_default = models.BooleanField(_("instrumen bawaan"), default=False)
    weight_baseline = models.PositiveSmallIntegerField(_("bobot Baseline (%)"))
    weight_output = models.PositiveSmallIntegerField(_("bobot Output (%)"))
    weight_outcome = models.PositiveSmallIntegerField(_("bobot Outcome (%)"))
    weight_impact = models.PositiveSmallIntegerField(_("bobot Impact (%)"))
    weight_quick_win = models.PositiveSmallIntegerField(_("bobot Quick Win (%)"))
    derived_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="drafts",
        verbose_name=_("disalin dari versi"),
    )

    objects = InstrumentQuerySet.as_manager()
    # Every change, e.g. an English translation corrected on a frozen version, with who and when.
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("instrumen")
        verbose_name_plural = _("instrumen")
        constraints = [
            models.CheckConstraint(
                condition=Exact(
                    F("weight_baseline")
                    + F("weight_output")
                    + F("weight_outcome")
                    + F("weight_impact")
                    + F("weight_quick_win"),
                    100,
                ),
                name="%(app_label)s_%(class)s_weights_sum_100",
                violation_error_message=_("Bobot kelima komponen harus berjumlah 100%%."),
            ),
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="%(app_label)s_%(class)s_one_default",
                violation_error_message=_("Hanya satu instrumen yang boleh menjadi bawaan."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("public:methodology", kwargs={"instrument": self.code})

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    @property
    def version_label(self) -> str:
        """How public pages and documents name this method: "<name> (versi <code>)"."""
        return f"{self.name} ({_('versi')} {self.code})"

    @property
    def is_frozen(self) -> bool:
        """True once a round using this instrument has left draft: from then on the weights,
        indicators and bands are refused by the admin, the models and the database (see
        ``evaluations.trust``). A new method is a new version (``instrument_duplicate``).

        Runs a query.
        """
        from evaluations.models.rounds import RoundStatus

        return self.rounds.exclude(status=RoundStatus.DRAFT).exists()

    def component_weights(self) -> dict[str, int]:
        """Weights in percent, keyed by component code, in the canonical order."""
        return {code: getattr(self, f"weight_{code}") for code in ComponentCode.values}


def validate_level(value: int | None) -> None:
    if value is not None and not MIN_LEVEL <= value <= MAX_LEVEL:
        raise ValidationError(
            _("Level harus antara %(min)s dan %(max)s."),
            code="level_range",
            params={"min": MIN_LEVEL, "max": MAX_LEVEL},
        )


def level_check(field: str, *, nullable: bool) -> models.CheckConstraint:
    """The database's own guard that a level stays on the 0–5 scale."""
    condition = Q(**{f"{field}__gte": MIN_LEVEL, f"{field}__lte": MAX_LEVEL})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(
        condition=condition,
        name=f"%(app_label)s_%(class)s_{field}_range",
        violation_error_message=_("Level harus antara 0 dan 5."),
    )


class IndicatorManager(models.Manager["Indicator"]):
    def get_by_natural_key(self, instrument_code: str, code: str) -> Indicator:
        return self.get(instrument__code=instrument_code, code=code)


class Indicator(InReaderLanguage, models.Model):
    """One question of an instrument, scored 0–5 against written level descriptors."""

    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("instrumen"),
    )
    code = models.CharField(_("kode"), max_length=30)
    name = models.CharField(_("indikator"), max_length=300)
    description = models.TextField(_("penjelasan"), blank=True)
    component = models.CharField(_("komponen"), max_length=20, choices=ComponentCode.choices)
    dimension = models.ForeignKey(
        Dimension,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("dimensi"),
    )
    element = models.ForeignKey(
        Element,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("elemen"),
    )
    weight = models.DecimalField(
        _("bobot dalam komponen"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    level_0 = models.TextField(_("level 0"), blank=True)
    level_1 = models.TextField(_("level 1"), blank=True)
    level_2 = models.TextField(_("level 2"), blank=True)
    level_3 = models.TextField(_("level 3"), blank=True)
    level_4 = models.TextField(_("level 4"), blank=True)
    level_5 = models.TextField(_("level 5"), blank=True)
    # English translations (shown in English mode when filled in). Unlike the fields above,
    # they stay editable once the instrument is frozen: a translation does not change the
    # method (evaluations.trust guards only the method's columns).
    name_en = models.CharField(_("indikator (bahasa Inggris)"), max_length=300, blank=True)
    description_en = models.TextField(_("penjelasan (bahasa Inggris)"), blank=True)
    level_0_en = models.TextField(_("level 0 (bahasa Inggris)"), blank=True)
    level_1_en = models.TextField(_("level 1 (bahasa Inggris)"), blank=True)
    level_2_en = models.TextField(_("level 2 (bahasa Inggris)"), blank=True)
    level_3_en = models.TextField(_("level 3 (bahasa Inggris)"), blank=True)
    level_4_en = models.TextField(_("level 4 (bahasa Inggris)"), blank=True)
    level_5_en = models.TextField(_("level 5 (bahasa Inggris)"), blank=True)

    objects = IndicatorManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["instrument", "order", "code"]
        verbose_name = _("indikator")
        verbose_name_plural = _("indikator")
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "code"],
                name="%(app_label)s_%(class)s_unique_code",
                violation_error_message=_("Kode indikator sudah dipakai di instrumen ini."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="%(app_label)s_%(class)s_weight_positive",
                violation_error_message=_("Bobot indikator harus lebih dari 0."),
            ),
            models.CheckConstraint(
                condition=Q(component__in=ComponentCode.values),
                name="%(app_label)s_%(class)s_component_valid",
                violation_error_message=_("Komponen tidak dikenal."),
            ),
            models.CheckConstraint(
                condition=Q(element__isnull=True) | Q(dimension__isnull=False),
                name="%(app_label)s_%(class)s_element_needs_dimension",
                violation_error_message=_("Indikator dengan elemen harus punya dimensi."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_i18n}"

    def natural_key(self) -> tuple[str, str]:
        return (*self.instrument.natural_key(), self.code)

    natural_key.dependencies = ["evaluations.instrument"]  # type: ignore[attr-defined]  # Django reads this attribute of natural_key

    def clean(self) -> None:
        if (
            self.element_id
            and self.dimension_id
            and self.element is not None
            and self.element.dimension_id != self.dimension_id
        ):
            raise ValidationError(
                {"element": _("Elemen ini bukan bagian dari dimensi yang dipilih.")}
            )

    @property
    def descriptors(self) -> list[tuple[int, str]]:
        """The level descriptors as (level, text) pairs, 0 to 5, in the reader's language."""
        return [(level, in_reader_language(self, f"level_{level}")) for level in LEVELS]


class RatingBandManager(models.Manager["RatingBand"]):
    def get_by_natural_key(self, instrument_code: str, name: str) -> RatingBand:
        return self.get(instrument__code=instrument_code, name=name)


class RatingBand(InReaderLanguage, models.Model):
    """A predikat: the name given to an index at or above ``min_index``."""

    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.CASCADE,
        related_name="rating_bands",
        verbose_name=_("instrumen"),
    )
    name = models.CharField(_("predikat"), max_length=50)
    # The band's name in English mode (results store the Indonesian name, the method's own).
    name_en = models.CharField(_("predikat (bahasa Inggris)"), max_length=50, blank=True)
    min_index = models.DecimalField(
        _("indeks minimum"),
        max_digits=3,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(5))],
    )

    objects = RatingBandManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["instrument", "-min_index"]
        verbose_name = _("predikat")
        verbose_name_plural = _("predikat")
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=_("Predikat ini sudah ada di instrumen ini."),
            ),
            models.UniqueConstraint(
                fields=["instrument", "min_index"],
                name="%(app_label)s_%(class)s_unique_threshold",
                violation_error_message=_("Dua predikat tidak boleh punya batas yang sama."),
            ),
            models.CheckConstraint(
                condition=Q(min_index__gte=0, min_index__lte=5),
                name="%(app_label)s_%(class)s_min_index_range",
                violation_error_message=_("Batas predikat harus antara 0 dan 5."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (≥ {self.min_index})"

    def natural_key(self) -> tuple[str, str]:
        return (*self.instrument.natural_key(), self.name)

    natural_key.dependencies = ["evaluations.instrument"]  # type: ignore[attr-defined]  # Django reads this attribute of natural_key
