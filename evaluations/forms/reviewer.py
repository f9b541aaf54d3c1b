"""Forms of the reviewer workspace and the round-manager pages (crispy, Bootstrap 5)."""

from __future__ import annotations

from typing import Any, cast

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db.models import Q
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from evaluations.models import (
    LEVELS,
    AgendaItem,
    Attendee,
    FieldReview,
    Finding,
)
from evaluations.roles import REVIEWER_GROUP
from regions.models import Cohort, Province, Region

LEVEL_CHOICES = [(level, str(level)) for level in LEVELS]


class FieldsOnlyHelper:
    """The crispy helper most forms here use: fields only, the template owns <form>."""

    @cached_property
    def helper(self) -> FormHelper:
        return _helper()


def _helper(**attrs: Any) -> FormHelper:
    """Forms render inside templates that own the <form> tag (htmx attributes, actions)."""
    helper = FormHelper()
    helper.form_tag = False
    for name, value in attrs.items():
        setattr(helper, name, value)
    return helper


PAGE_OUTDATED = _(
    "Formulir ini tidak lengkap atau sudah usang. Muat ulang halaman, periksa nilai yang "
    "tersimpan, lalu simpan lagi."
)


class VersionedForm(forms.Form):
    """A form that names the version of the row its page showed (hidden ``version``).

    The service compares it with the stored version, so two people saving from stale pages
    get a conflict instead of overwriting each other. A form posted without a valid version
    (a hand-made or damaged request) is refused with a message, never saved blind.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # BaseForm.clean returns cleaned_data
        if "version" in self.errors or data.get("version") is None:
            self.errors.pop("version", None)
            self.add_error(None, PAGE_OUTDATED)
        return data


class ScoreForm(VersionedForm):
    """A panel reviewer's level and comment for one indicator (saved as a draft)."""

    level = forms.TypedChoiceField(
        label=_("Level penilai"),
        choices=LEVEL_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Catatan"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.helper.layout = Layout(
            InlineRadios("level", wrapper_class="level-choices"), "comment", "version"
        )


class VerifiedLevelForm(FieldsOnlyHelper, VersionedForm):
    """The lead's verified level for one indicator."""

    level = forms.TypedChoiceField(
        label=_("Level terverifikasi"),
        choices=[("", "–"), *LEVEL_CHOICES],
        coerce=int,
    )
    comment = forms.CharField(
        label=_("Catatan verifikasi"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 1}),
    )


class CommentForm(FieldsOnlyHelper, forms.Form):
    """A required comment: returning a self-assessment for revision."""

    comment = forms.CharField(
        label=_("Apa yang perlu diperbaiki"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReasonForm(FieldsOnlyHelper, forms.Form):
    """A required reason: re-opening a round, excluding a participant."""

    reason = forms.CharField(
        label=_("Alasan"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WithdrawForm(FieldsOnlyHelper, forms.Form):
    """Withdrawing a published round: the reason is shown to the public."""

    prefix = "withdraw"
    reason = forms.CharField(
        label=_("Alasan penarikan (tampil untuk publik)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EarlyReviewForm(FieldsOnlyHelper, forms.Form):
    """Starting the review before the self-assessment deadline needs a reason."""

    reason = forms.CharField(
        label=_("Alasan menutup penilaian mandiri lebih awal"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Wajib bila batas penilaian mandiri belum lewat dan masih ada peserta yang belum "
            "mengirim."
        ),
    )


class PublishForm(FieldsOnlyHelper, forms.Form):
    note = forms.CharField(
        label=_("Catatan publikasi (opsional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RegionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.code} {obj.name} ({obj.province.name})"


class AddParticipantsForm(forms.Form):
    """Add regions to a draft round: a whole cohort, a province's members, or one by one."""

    cohort = forms.ModelChoiceField(
        label=_("Seluruh angkatan"),
        queryset=Cohort.objects.all(),
        required=False,
        empty_label=_("— tidak —"),
    )
    province = forms.ModelChoiceField(
        label=_("Anggota gerakan di provinsi"),
        queryset=Province.objects.all(),
        required=False,
        empty_label=_("— tidak —"),
        help_text=_("Kabupaten/kota provinsi ini yang tergabung dalam salah satu angkatan."),
    )
    regions = RegionChoiceField(
        label=_("Kabupaten/kota satu per satu"),
        queryset=Region.objects.select_related("province"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # BaseForm.clean returns cleaned_data
        if not (data.get("cohort") or data.get("province") or data.get("regions")):
            raise forms.ValidationError(
                _("Pilih angkatan, provinsi, atau setidaknya satu kabupaten/kota.")
            )
        return data

    def selected_regions(self) -> list[Region]:
        """Every region the three fields select together (one query)."""
        data = self.cleaned_data
        query = Q(pk__in=[r.pk for r in data.get("regions") or []])
        if data.get("cohort"):
            query |= Q(cohort_memberships__cohort=data["cohort"])
        if data.get("province"):
            query |= Q(province=data["province"], cohort_memberships__isnull=False)
        return list(Region.objects.filter(query).distinct().order_by("code"))


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        full = obj.get_full_name()
        return f"{full} ({obj.username})" if full else obj.username


def panel_reviewers() -> Any:
    """Users a manager may seat on a panel: active members of the reviewer group only (a
    manager who is not also a reviewer is not offered)."""
    return (
        User.objects.filter(is_active=True, groups__name=REVIEWER_GROUP)
        .distinct()
        .order_by("username")
    )


class PanelAssignForm(FieldsOnlyHelper, forms.Form):
    reviewer = ReviewerChoiceField(label=_("Penilai"), queryset=panel_reviewers())
    lead = forms.BooleanField(label=_("Jadikan ketua panel"), required=False)


class ReviewerMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        full = obj.get_full_name()
        return f"{full} ({obj.username})" if full else obj.username


class BulkPanelForm(FieldsOnlyHelper, forms.Form):
    """Top up many panels at once: which reviewers, which participants, what size."""

    reviewers = ReviewerMultipleChoiceField(
        label=_("Penilai yang dibagikan"),
        queryset=panel_reviewers(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Pilih paling sedikit satu penilai.")},
    )
    province = forms.ModelChoiceField(
        label=_("Peserta di provinsi"),
        queryset=Province.objects.none(),
        required=False,
        empty_label=_("Semua provinsi"),
    )
    cohort = forms.ModelChoiceField(
        label=_("Peserta dari angkatan"),
        queryset=Cohort.objects.none(),
        required=False,
        empty_label=_("Semua angkatan"),
    )
    size = forms.IntegerField(
        label=_("Ukuran panel"),
        min_value=1,
        max_value=7,
        initial=3,
        help_text=_("Panel yang lebih kecil ditambah sampai ukuran ini; anggota lama tetap."),
    )

    def __init__(self, *args: Any, round: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        in_round = Region.objects.filter(participations__round=round)
        cast(forms.ModelChoiceField, self.fields["province"]).queryset = Province.objects.filter(
            regions__in=in_round
        ).distinct()
        cast(forms.ModelChoiceField, self.fields["cohort"]).queryset = Cohort.objects.filter(
            regions__in=in_round
        ).distinct()


class ScoresUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas nilai (XLSX atau CSV)"),
        validators=[FileExtensionValidator(["xlsx", "csv"])],
        help_text=_("Gunakan templat yang diunduh dari halaman ini. Maksimal 5 MB."),
    )

    max_size = 5 * 1024 * 1024

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.max_size:
            raise forms.ValidationError(_("Berkas lebih dari 5 MB."))
        return upload


# --- Field reviews --------------------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class FieldReviewForm(forms.ModelForm):
    class Meta:
        model = FieldReview
        fields = ["mode", "location", "start_date", "end_date", "minutes"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "minutes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # BaseForm.clean returns cleaned_data
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        return data


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["day", "start_time", "end_time", "activity", "dimension", "location"]
        widgets = {"start_time": TimeInput(), "end_time": TimeInput()}

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # BaseForm.clean returns cleaned_data
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("Waktu selesai harus setelah waktu mulai."))
        return data


def _table_widget_classes(form: forms.BaseForm) -> None:
    """Compact Bootstrap controls for a row of an editable table."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select form-select-sm"
        else:
            css = "form-control form-control-sm"
        widget.attrs["class"] = css


ROW_GONE = _(
    "Baris %(row)s sudah tidak ada (dihapus di tempat lain sejak halaman dibuka). Muat ulang "
    "halaman; tidak ada yang disimpan."
)
# Free text in the field-review tables (the model fields are unbounded text).
TABLE_TEXT_MAX_LENGTH = 4000


class TableFormSet(BaseInlineFormSet):
    """An inline formset shown as an editable table: compact controls, and the dimension
    choices loaded once per formset instead of once per row (no N+1)."""

    _dimension_choices: list[Any] | None = None

    def clean(self) -> None:
        super().clean()
        # A row posted with an id that is not (or no longer) one of this table's rows would
        # be skipped silently by Django and the page would say "saved": refuse instead.
        for number, form in enumerate(self.initial_forms, start=1):
            if form.instance.pk is None:
                raise ValidationError(ROW_GONE, params={"row": number})

    def add_fields(self, form: forms.ModelForm, index: int | None) -> None:
        super().add_fields(form, index)
        _table_widget_classes(form)
        if "dimension" in form.fields:
            field = cast(forms.ModelChoiceField, form.fields["dimension"])
            field.empty_label = "—"
            if self._dimension_choices is None:
                self._dimension_choices = list(field.choices)  # type: ignore[arg-type]  # a list here
            field.choices = self._dimension_choices


class BoundedText(forms.CharField):
    """A text cell of a field-review table, at most ``TABLE_TEXT_MAX_LENGTH`` characters."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["max_length"] = TABLE_TEXT_MAX_LENGTH
        super().__init__(**kwargs)


AgendaFormSet = inlineformset_factory(
    FieldReview,
    AgendaItem,
    form=AgendaItemForm,
    formset=TableFormSet,
    extra=2,
    can_delete=True,
)
AttendeeFormSet = inlineformset_factory(
    FieldReview,
    Attendee,
    formset=TableFormSet,
    fields=["name", "position", "agency", "side"],
    extra=3,
    can_delete=True,
)
FindingFormSet = inlineformset_factory(
    FieldReview,
    Finding,
    formset=TableFormSet,
    fields=["dimension", "kind", "text"],
    widgets={"text": forms.Textarea(attrs={"rows": 2, "maxlength": TABLE_TEXT_MAX_LENGTH})},
    field_classes={"text": BoundedText},
    extra=3,
    can_delete=True,
)
