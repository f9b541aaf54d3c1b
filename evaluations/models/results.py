"""Results of a round and the frozen snapshots that publication makes of them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluations.models.instruments import ComponentCode, DimensionCode
from evaluations.models.rounds import Participation, Round
from evaluations.rights import ResultRights

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SCORE_FIELDS_COMPONENT = [f"score_{code}" for code in ComponentCode.values]
SCORE_FIELDS_DIMENSION = [f"score_{code}" for code in DimensionCode.values]


def _score_field(label: StrOrPromise) -> models.DecimalField:
    return models.DecimalField(label, max_digits=3, decimal_places=2, null=True, blank=True)


def _exact_field(label: StrOrPromise) -> models.DecimalField:
    """Full precision (6 decimals): what the index is computed from; 2 decimals are shown."""
    return models.DecimalField(label, max_digits=9, decimal_places=6, null=True, blank=True)


def _score_range(field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 0, f"{field}__lte": 5}),
        name=f"%(app_label)s_%(class)s_{field}_range",
        violation_error_message=_("Skor harus antara 0 dan 5."),
    )


class ResultQuerySet(ResultRights):
    """Results; the rights (``published()``, ``visible_to(user)``...) are in ``ResultRights``."""

    def for_round(self, round_: Round) -> ResultQuerySet:
        return self.filter(participation__round=round_)

    def with_region(self) -> ResultQuerySet:
        return self.select_related("participation__region__province", "participation__round")

    def with_band_names(self) -> ResultQuerySet:
        """With the bands of each round's instrument, for ``Result.rating_band_i18n`` (one
        query for the page, not one per result in English)."""
        return self.select_related("participation__round__instrument").prefetch_related(
            "participation__round__instrument__rating_bands"
        )


class Result(models.Model):
    """A participation's computed result: index, component and dimension scores, ranks.

    Component and dimension scores are columns (the codes are fixed by the programme), so
    that a ranking by any of them is a plain ORDER BY. Computed by
    ``evaluations.services.engine``; never edited by hand.
    """

    participation = models.OneToOneField(
        Participation, on_delete=models.CASCADE, related_name="result", verbose_name=_("peserta")
    )
    index = models.DecimalField(_("indeks"), max_digits=3, decimal_places=2)
    rating_band = models.CharField(_("predikat"), max_length=50, blank=True)
    national_rank = models.PositiveIntegerField(_("peringkat nasional"))
    provincial_rank = models.PositiveIntegerField(_("peringkat provinsi"))
    score_baseline = _score_field(_("Baseline"))
    score_output = _score_field(_("Output"))
    score_outcome = _score_field(_("Outcome"))
    score_impact = _score_field(_("Impact"))
    score_quick_win = _score_field(_("Quick Win"))
    score_governance = _score_field(_("Smart Governance"))
    score_branding = _score_field(_("Smart Branding"))
    score_economy = _score_field(_("Smart Economy"))
    score_living = _score_field(_("Smart Living"))
    score_society = _score_field(_("Smart Society"))
    score_environment = _score_field(_("Smart Environment"))
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hasil sebelumnya"),
    )
    index_change = models.DecimalField(
        _("perubahan indeks"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    rank_change = models.IntegerField(
        _("perubahan peringkat"),
        null=True,
        blank=True,
        help_text=_("Positif berarti naik peringkat."),
    )
    programme_shares = models.JSONField(
        _("program berjalan per dimensi"),
        default=dict,
        blank=True,
        help_text=_("{kode dimensi: [berjalan, total]} saat finalisasi."),
    )
    # Full precision (see evaluations.services.engine): the shown 2-decimal figures above
    # are these rounded half-up.
    index_exact = _exact_field(_("indeks (presisi penuh)"))
    index_change_exact = _exact_field(_("perubahan indeks (presisi penuh)"))
    score_baseline_exact = _exact_field(_("Baseline (presisi penuh)"))
    score_output_exact = _exact_field(_("Output (presisi penuh)"))
    score_outcome_exact = _exact_field(_("Outcome (presisi penuh)"))
    score_impact_exact = _exact_field(_("Impact (presisi penuh)"))
    score_quick_win_exact = _exact_field(_("Quick Win (presisi penuh)"))
    score_governance_exact = _exact_field(_("Smart Governance (presisi penuh)"))
    score_branding_exact = _exact_field(_("Smart Branding (presisi penuh)"))
    score_economy_exact = _exact_field(_("Smart Economy (presisi penuh)"))
    score_living_exact = _exact_field(_("Smart Living (presisi penuh)"))
    score_society_exact = _exact_field(_("Smart Society (presisi penuh)"))
    score_environment_exact = _exact_field(_("Smart Environment (presisi penuh)"))
    computed_at = models.DateTimeField(_("dihitung pada"), auto_now=True)

    objects = ResultQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["computed_at"])

    class Meta:
        ordering = ["participation__round", "national_rank", "participation__region__code"]
        verbose_name = _("hasil")
        verbose_name_plural = _("hasil")
        constraints = [
            models.CheckConstraint(
                condition=Q(index__gte=0, index__lte=5),
                name="%(app_label)s_%(class)s_index_range",
                violation_error_message=_("Indeks harus antara 0 dan 5."),
            ),
            models.CheckConstraint(
                condition=Q(national_rank__gte=1, provincial_rank__gte=1),
                name="%(app_label)s_%(class)s_ranks_positive",
                violation_error_message=_("Peringkat dimulai dari 1."),
            ),
            *[_score_range(f) for f in SCORE_FIELDS_COMPONENT + SCORE_FIELDS_DIMENSION],
        ]

    def __str__(self) -> str:
        return f"{self.participation}: {self.index}"

    @property
    def rating_band_i18n(self) -> str:
        """The rating band in the reader's language: the stored (published) Indonesian name,
        or in English the band's English name from the round's instrument version.

        In English, runs a query unless the bands are prefetched
        (``Result.objects.with_band_names()``)."""
        if not self.rating_band or not (get_language() or "").startswith("en"):
            return self.rating_band
        for band in self.participation.round.instrument.rating_bands.all():
            if band.name == self.rating_band:
                return band.name_i18n
        return self.rating_band

    def component_scores(self) -> dict[str, object]:
        return {code: getattr(self, f"score_{code}") for code in ComponentCode.values}

    def dimension_scores(self) -> dict[str, object]:
        return {code: getattr(self, f"score_{code}") for code in DimensionCode.values}


class PublicationKind(models.TextChoices):
    PUBLICATION = "publication", _("Publikasi")
    CORRECTION = "correction", _("Revisi setelah koreksi")
    DERIVED = "derived", _("Revisi karena putaran lain berubah")
    WITHDRAWAL = "withdrawal", _("Penarikan")


class Publication(models.Model):
    """One publication (revision) of a round's results, with a frozen copy of every figure.

    A round published, re-opened and published again has two publications (revision 1 and
    2); ``changes`` lists what moved between them (old → new) and the snapshot of every
    revision stays downloadable. Rows are never changed or deleted (database triggers,
    see ``evaluations.trust``).
    """

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="publications", verbose_name=_("putaran")
    )
    number = models.PositiveSmallIntegerField(_("publikasi ke-"))
    published_at = models.DateTimeField(_("dipublikasikan pada"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dipublikasikan oleh"),
    )
    note = models.TextField(_("catatan"), blank=True)
    kind = models.CharField(
        _("jenis"),
        max_length=20,
        choices=PublicationKind.choices,
        default=PublicationKind.PUBLICATION,
    )
    caused_by = models.ForeignKey(
        Round,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revisi dari putaran"),
    )
    changes = models.JSONField(_("perubahan"), default=list, blank=True)
    instrument_label = models.CharField(_("versi instrumen"), max_length=300, blank=True)
    snapshot = models.JSONField(_("salinan hasil"), default=list)

    class Meta:
        ordering = ["round", "-number"]
        verbose_name = _("publikasi")
        verbose_name_plural = _("publikasi")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "number"],
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_message=_("Nomor publikasi sudah dipakai untuk putaran ini."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} #{self.number}"

    @property
    def revision_label(self) -> str:
        """ "Revisi 2" (what documents and open data print beside the figures)."""
        return f"{_('Revisi')} {self.number}"


class TrustUnlock(models.Model):
    """A transaction-local permission the database guards look for (``evaluations.trust``).

    A row with a round lets the engine rewrite that closed round's results (republishing,
    derived revisions); a row without a round is the logged purge of demo or synthetic
    data. Rows are inserted and deleted inside one transaction, so no other connection
    ever sees one.
    """

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("izin tulis sementara")
        verbose_name_plural = _("izin tulis sementara")

    def __str__(self) -> str:
        return self.reason
