"""Forms of the city workspace.

No form has a region or participation field: views take both from the URL-scoped
workspace, so nothing posted can move data to another region. Choice fields that name
region data (agencies, evidence) are built from querysets scoped to the workspace region,
so a tampered id of another region's object is simply an invalid choice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any, cast

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Fieldset, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxLengthValidator
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from evaluations.models import (
    LEVELS,
    Dimension,
    Element,
    Evidence,
    Programme,
)
from evaluations.models.reviews import Attendee
from evaluations.services.evidence import ACCEPT_ATTRIBUTE, validate_evidence_file
from evaluations.services.programmes import BUDGET_INVALID, format_rupiah, parse_rupiah
from evaluations.services.programmes.register import PROGRAMME_FIELDS
from regions.models import Agency

FILE_AND_LINK = _("Isi salah satu saja: unggah berkas atau tautan.")
FILE_OR_LINK_REQUIRED = _("Unggah berkas atau isi tautan.")
YEARS_ORDER = _("Tahun selesai tidak boleh sebelum tahun mulai.")


def normalise_text(value: str) -> str:
    """Browsers post CRLF line ends; store and compare plain LF."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


class EvidenceFileField(forms.FileField):
    """A file input whose content is checked by ``services.evidence`` (type and size)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> UploadedFile | None:
        upload = super().clean(data, initial)
        if upload:
            validate_evidence_file(upload)
        return upload or None


class RupiahField(forms.Field):
    """A budget in whole rupiah, typed as people write it ("Rp 1.250.000.000")."""

    widget = forms.TextInput
    default_error_messages = {"invalid": BUDGET_INVALID}

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return format_rupiah(value, prefix=False)
        return value

    def to_python(self, value: Any) -> int | None:
        text = "" if value is None else str(value).strip()
        if len(text) > 40:
            raise ValidationError(BUDGET_INVALID, code="invalid")
        return parse_rupiah(text)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "data-rupiah": "", "maxlength": "40"}
        )
        return attrs


def _col(name: str, width: int, extra: str = "") -> Column:
    return Column(name, css_class=f"col-md-{width} {extra}".strip())


class ElementSelect(forms.Select):
    """Options carry their dimension, so city.js can narrow them to the chosen dimension."""

    def create_option(
        self,
        name: str,
        value: Any,
        label: int | str,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-dimension"] = str(instance.dimension_id)
        return option


class ElementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Element) -> str:
        return f"{obj.dimension.name_i18n} › {obj.name_i18n}"


DESCRIPTION_MAX_LENGTH = 10_000


class ProgrammeForm(forms.ModelForm):
    """Create or edit a programme; an optional file or link becomes its evidence."""

    budget = RupiahField(
        label=_("Anggaran (Rp)"),
        required=False,
        help_text=_("Rupiah tanpa sen, mis. 1.250.000.000."),
    )
    new_file = EvidenceFileField(label=_("Unggah bukti dukung"))
    new_link = forms.URLField(
        label=_("atau tautan bukti dukung"),
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    # Files already received with an earlier, invalid post of this form (see the view).
    # Ids that are not the region's evidence are dropped, never attached.
    pending_evidence = forms.CharField(required=False, widget=forms.MultipleHiddenInput)

    class Meta:
        model = Programme
        fields = list(PROGRAMME_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "start_year": forms.NumberInput(attrs={"min": 2000, "max": 2100}),
            "end_year": forms.NumberInput(attrs={"min": 2000, "max": 2100}),
            "element": ElementSelect(attrs={"data-element-select": ""}),
            "dimension": forms.Select(attrs={"data-dimension-select": ""}),
        }
        field_classes = {"element": ElementChoiceField}

    def __init__(
        self,
        *args: Any,
        agencies: QuerySet[Agency],
        evidence: QuerySet[Evidence],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["dimension"]).queryset = Dimension.objects.all()
        cast(
            forms.ModelChoiceField, self.fields["element"]
        ).queryset = Element.objects.select_related("dimension")
        agency = cast(forms.ModelChoiceField, self.fields["agency"])
        agency.queryset = agencies
        agency.empty_label = _("— belum ditentukan —")
        # The model's text field has no bound; a form does (a description, not a document).
        cast(forms.CharField, self.fields["description"]).max_length = DESCRIPTION_MAX_LENGTH
        self.fields["description"].validators.append(MaxLengthValidator(DESCRIPTION_MAX_LENGTH))
        self.fields["description"].widget.attrs["maxlength"] = str(DESCRIPTION_MAX_LENGTH)
        self._evidence = evidence
        if self.instance.pk:
            self.fields["new_file"].label = _("Tambah bukti dukung")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Program"),
                "title",
                Row(_col("dimension", 6), _col("element", 6)),
                Row(_col("agency", 6), _col("status", 3), _col("is_quick_win", 3, "pt-md-4")),
                Row(_col("start_year", 3), _col("end_year", 3), _col("budget", 6)),
                "description",
            ),
            Fieldset(
                _("Bukti dukung"),
                HTML('{% include "evaluations/city/programmes/_pending.html" %}'),
                Row(_col("new_file", 6), _col("new_link", 6)),
                "pending_evidence",
            ),
        )

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()

    def clean_description(self) -> str:
        return normalise_text(self.cleaned_data["description"])

    def clean_pending_evidence(self) -> list[Evidence]:
        ids = {
            int(v)
            for v in cast(QueryDict, self.data).getlist(self.add_prefix("pending_evidence"))
            if v.isdigit()
        }
        return list(self._evidence.filter(pk__in=ids)) if ids else []

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # BaseForm.clean returns cleaned_data
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            # Also a database constraint; said here so the message sits on the field.
            self.add_error("end_year", YEARS_ORDER)
        if data.get("new_file") and data.get("new_link"):
            self.add_error("new_link", FILE_AND_LINK)
        return data

    def programme_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def pending(self) -> list[Evidence]:
        """Evidence received with earlier posts, to attach when the programme is saved."""
        return list(getattr(self, "cleaned_data", {}).get("pending_evidence") or [])

    def keep_pending(self, evidence: Evidence) -> None:
        """Carry a just-stored file to the next post of this form (the page shows it)."""
        data = cast(QueryDict, self.data)  # a bound form's data is the POST QueryDict
        if not data._mutable:
            self.data = data = data.copy()
        data.appendlist(self.add_prefix("pending_evidence"), str(evidence.pk))


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "acronym"]

    def _get_validation_exclusions(self) -> set[str]:
        # The region is set by the view, not the form; keep it in the checks so that the
        # one-name-per-region constraint is reported on the form instead of failing later.
        exclusions = super()._get_validation_exclusions()  # type: ignore[misc]  # private, not in the stubs
        exclusions.discard("region")
        return exclusions

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class EvidenceForm(forms.Form):
    """Add a file or a link to the region's evidence (library page, programme page)."""

    title = forms.CharField(
        label=_("Judul"),
        required=False,
        max_length=200,
        help_text=_("Kosongkan untuk memakai nama berkas atau alamat tautan."),
    )
    file = EvidenceFileField(label=_("Berkas"))
    url = forms.URLField(
        label=_("atau tautan"),
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("title", "file", "url")

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # BaseForm.clean returns cleaned_data
        has_file, has_url = bool(data.get("file")), bool(data.get("url"))
        if has_file and has_url:
            raise ValidationError(FILE_AND_LINK)
        if not has_file and not has_url and not self.errors:
            raise ValidationError(FILE_OR_LINK_REQUIRED)
        return data


class ProgrammeImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas XLSX"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


# --- Self-assessment ----------


def answer_digest(level: int | None, narrative: str, evidence_ids: Iterable[int]) -> str:
    """A fingerprint of an answer as a page showed it.

    Posted back with the page, it tells which answers the user actually changed: an answer
    they left alone is not saved (so it cannot clash with a colleague's newer version).
    """
    ids = ",".join(str(i) for i in sorted({int(i) for i in evidence_ids}))
    text = f"{'' if level is None else level}|{normalise_text(narrative)}|{ids}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class AnswerForm(forms.Form):
    """One indicator of a self-assessment page (prefix ``ind-<indicator id>``)."""

    # Absent only when a card was not posted at all (a hand-made request): then the card
    # counts as untouched and is not saved.
    version = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    original = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    claimed_level = forms.TypedChoiceField(
        label=_("Level yang diklaim"),
        choices=[(level, str(level)) for level in LEVELS],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    narrative = forms.CharField(
        label=_("Narasi"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Jelaskan capaian yang mendukung level ini."),
    )
    evidence = forms.TypedMultipleChoiceField(
        label=_("Pilih dari bukti dukung yang sudah ada"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_file = EvidenceFileField(label=_("Unggah berkas baru"))
    new_link = forms.URLField(
        label=_("atau tambahkan tautan"),
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    def __init__(
        self, *args: Any, indicator: Any, evidence_choices: Sequence[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        cast(forms.ChoiceField, self.fields["evidence"]).choices = evidence_choices
        self.conflict: Any = None

    def clean_narrative(self) -> str:
        return normalise_text(self.cleaned_data["narrative"])

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())  # BaseForm.clean returns cleaned_data
        if data.get("new_file") and data.get("new_link"):
            self.add_error("new_link", FILE_AND_LINK)
        return data

    def posted_digest(self) -> str:
        data = self.cleaned_data
        return answer_digest(
            data.get("claimed_level"), data.get("narrative", ""), data.get("evidence") or []
        )

    def user_changed(self) -> bool:
        """True when the user touched this indicator (or added a file or link to it)."""
        data = self.cleaned_data
        if data.get("version") is None:
            return False
        if data.get("new_file") or data.get("new_link"):
            return True
        return self.posted_digest() != (data.get("original") or "")

    def add_evidence_choice(self, evidence_id: int) -> None:
        """Tick a just-stored evidence item when the page is shown again."""
        key = self.add_prefix("evidence")
        data = cast(QueryDict, self.data)
        chosen = data.getlist(key)
        if str(evidence_id) not in chosen:
            data.appendlist(key, str(evidence_id))


class AttendeeForm(forms.ModelForm):
    class Meta:
        model = Attendee
        fields = ["name", "position", "agency"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Div(
                Column("name", css_class="col-md-4"),
                Column("position", css_class="col-md-4"),
                Column("agency", css_class="col-md-4"),
                css_class="row",
            )
        )
