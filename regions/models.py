"""Regions of Indonesia and what the portal knows about them.

Provinces and kota/kabupaten carry their Kemendagri codes (``32`` and ``32.75``); cohorts
record when a region joined the movement; a region's agencies (OPD), its staff accounts,
its digital-government index history and its awards hang off the region.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from smartcity.rights import RestrictedQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class ProvinceManager(models.Manager["Province"]):
    def get_by_natural_key(self, code: str) -> Province:
        return self.get(code=code)


class Province(models.Model):
    """A province (provinsi), identified by its two-digit Kemendagri code."""

    code = models.CharField(
        _("kode"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^\d{2}$", _("Kode provinsi terdiri dari dua angka."))],
    )
    name = models.CharField(_("nama"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    objects = ProvinceManager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("provinsi")
        verbose_name_plural = _("provinsi")

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class RegionKind(models.TextChoices):
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")


class RegionQuerySet(models.QuerySet["Region"]):
    def get_by_natural_key(self, code: str) -> Region:
        return self.get(code=code)

    def with_province(self) -> RegionQuerySet:
        return self.select_related("province")

    def workspaces_of(self, user: User | AnonymousUser) -> RegionQuerySet:
        """The regions whose city workspace ``user`` may open: their own memberships, for an
        active account only. Managers and reviewers get no city workspace (they use the
        reviewer pages)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(memberships__user=user)


class Region(models.Model):
    """A kota or kabupaten, identified by its Kemendagri code ``PP.KK``."""

    code = models.CharField(
        _("kode Kemendagri"),
        max_length=5,
        unique=True,
        validators=[
            RegexValidator(r"^\d{2}\.\d{2}$", _("Kode wilayah berbentuk PP.KK, mis. 32.75."))
        ],
    )
    name = models.CharField(_("nama"), max_length=100)
    kind = models.CharField(_("jenis"), max_length=10, choices=RegionKind.choices)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="regions", verbose_name=_("provinsi")
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    capital = models.CharField(_("ibu kota"), max_length=100, blank=True)
    latitude = models.DecimalField(
        _("lintang"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        _("bujur"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
    area_km2 = models.DecimalField(
        _("luas (km²)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    population = models.PositiveBigIntegerField(_("jumlah penduduk"), null=True, blank=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="%(app_label)s_%(class)s_latitude_range",
                violation_error_message=_("Lintang harus antara -90 dan 90."),
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="%(app_label)s_%(class)s_longitude_range",
                violation_error_message=_("Bujur harus antara -180 dan 180."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=RegionKind.values),
                name="%(app_label)s_%(class)s_kind_valid",
                violation_error_message=_("Jenis wilayah harus kabupaten atau kota."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("public:region", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    @property
    def province_code(self) -> str:
        return self.code.split(".", 1)[0]


class CohortManager(models.Manager["Cohort"]):
    def get_by_natural_key(self, year: int) -> Cohort:
        return self.get(year=year)


class Cohort(models.Model):
    """An intake of the movement (angkatan), e.g. the 25 regions that joined in 2017."""

    year = models.PositiveSmallIntegerField(_("tahun bergabung"), unique=True)
    name = models.CharField(_("nama"), max_length=100)
    mou_date = models.DateField(_("tanggal MoU"), null=True, blank=True)
    description = models.TextField(_("keterangan"), blank=True)
    regions = models.ManyToManyField(
        Region, through="CohortMembership", related_name="cohorts", verbose_name=_("wilayah")
    )

    objects = CohortManager()

    class Meta:
        ordering = ["year"]
        verbose_name = _("angkatan")
        verbose_name_plural = _("angkatan")

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[int]:
        return (self.year,)


class CohortMembershipManager(models.Manager["CohortMembership"]):
    def get_by_natural_key(self, region_code: str) -> CohortMembership:
        return self.get(region__code=region_code)


class CohortMembership(models.Model):
    """A region's entry into the movement with a cohort; a region joins once."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("angkatan")
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        related_name="cohort_memberships",
        verbose_name=_("wilayah"),
    )
    mou_date = models.DateField(_("tanggal MoU"), null=True, blank=True)

    objects = CohortMembershipManager()

    class Meta:
        ordering = ["cohort__year", "region__code"]
        verbose_name = _("keanggotaan angkatan")
        verbose_name_plural = _("keanggotaan angkatan")
        constraints = [
            models.UniqueConstraint(
                fields=["region"],
                name="%(app_label)s_%(class)s_region_joins_once",
                violation_error_message=_("Wilayah ini sudah tergabung dalam sebuah angkatan."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} ({self.cohort})"

    def natural_key(self) -> tuple[str]:
        # A region joins once, so its code names the membership.
        return self.region.natural_key()

    natural_key.dependencies = ["regions.region", "regions.cohort"]  # type: ignore[attr-defined]  # Django reads this attribute of natural_key


class AgencyQuerySet(RestrictedQuerySet["Agency"]):
    def in_workspace_of(self, user: User | AnonymousUser) -> AgencyQuerySet:
        """Agencies (OPD) of the user's own regions, as their workspace shows them."""
        return self._restricted("in_workspace_of").filter(
            region__in=Region.objects.workspaces_of(user).values("pk")
        )


class Agency(models.Model):
    """A regional agency (OPD) of a region, e.g. Dinas Kominfo or DPMPTSP."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="agencies", verbose_name=_("wilayah")
    )
    name = models.CharField(_("nama"), max_length=200)
    acronym = models.CharField(_("singkatan"), max_length=50, blank=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["region__code", "name"]
        verbose_name = _("perangkat daerah (OPD)")
        verbose_name_plural = _("perangkat daerah (OPD)")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="%(app_label)s_%(class)s_unique_name_per_region",
                violation_error_message=_("OPD dengan nama ini sudah ada di wilayah ini."),
            ),
        ]

    def __str__(self) -> str:
        return self.acronym or self.name


class MembershipRole(models.TextChoices):
    OPERATOR = "operator", _("Operator")
    COORDINATOR = "coordinator", _("Koordinator")


class RegionMembership(models.Model):
    """A user's place in a region's Diskominfo team; it is what scopes their workspace."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="region_memberships",
        verbose_name=_("pengguna"),
    )
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("wilayah")
    )
    role = models.CharField(
        _("peran"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.OPERATOR
    )

    class Meta:
        ordering = ["region__code", "user__username"]
        verbose_name = _("anggota tim wilayah")
        verbose_name_plural = _("anggota tim wilayah")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "region"],
                name="%(app_label)s_%(class)s_unique_user_region",
                violation_error_message=_("Pengguna ini sudah menjadi anggota wilayah ini."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=MembershipRole.values),
                name="%(app_label)s_%(class)s_role_valid",
                violation_error_message=_("Peran tidak dikenal."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.region} ({self.get_role_display()})"


class DigitalGovernmentIndex(models.Model):
    """A region's yearly digital-government index (SPBE, later Indeks Pemerintah Digital)."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="digital_indices", verbose_name=_("wilayah")
    )
    framework = models.CharField(
        _("kerangka"),
        max_length=100,
        default="SPBE",
        help_text=_("Nama kerangka penilaian, mis. SPBE atau Indeks Pemerintah Digital."),
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    value = models.DecimalField(
        _("nilai indeks"),
        max_digits=3,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(5))],
    )
    rating_band = models.CharField(_("predikat"), max_length=50, blank=True)

    class Meta:
        ordering = ["region__code", "framework", "-year"]
        verbose_name = _("indeks pemerintahan digital")
        verbose_name_plural = _("indeks pemerintahan digital")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "framework", "year"],
                name="%(app_label)s_%(class)s_unique_per_year",
                violation_error_message=_("Nilai untuk kerangka dan tahun ini sudah ada."),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0, value__lte=5),
                name="%(app_label)s_%(class)s_value_range",
                violation_error_message=_("Nilai indeks harus antara 0 dan 5."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.framework} {self.year} {self.region}: {self.value}"


class AwardScope(models.TextChoices):
    NATIONAL = "national", _("Nasional")
    PROVINCIAL = "provincial", _("Provinsi")
    INTERNATIONAL = "international", _("Internasional")
    OTHER = "other", _("Lainnya")


class Award(models.Model):
    """An external award, e.g. "Smart City #3 in Jawa Barat, 2024"."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="awards", verbose_name=_("wilayah")
    )
    title = models.CharField(_("judul"), max_length=200)
    year = models.PositiveSmallIntegerField(_("tahun"))
    issuer = models.CharField(_("pemberi"), max_length=200, blank=True)
    rank = models.PositiveSmallIntegerField(_("peringkat"), null=True, blank=True)
    scope = models.CharField(
        _("cakupan"), max_length=20, choices=AwardScope.choices, default=AwardScope.NATIONAL
    )

    class Meta:
        ordering = ["region__code", "-year", "title"]
        verbose_name = _("penghargaan")
        verbose_name_plural = _("penghargaan")
        constraints = [
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | Q(rank__gte=1),
                name="%(app_label)s_%(class)s_rank_positive",
                violation_error_message=_("Peringkat dimulai dari 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"
