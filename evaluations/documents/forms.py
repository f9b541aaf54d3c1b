from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.documents.models import Letterhead
from evaluations.forms.reviewer import FieldsOnlyHelper
from evaluations.models import Attendee

LETTERHEAD_FIELDS = [
    "institution",
    "unit",
    "unit_code",
    "address",
    "contact",
    "place",
    "signatory_name",
    "signatory_position",
    "signatory_nip",
    "letter_number_pattern",
    "minutes_number_pattern",
]


class LetterheadForm(FieldsOnlyHelper, forms.ModelForm):
    """A new letterhead version; the logo is optional and kept when none is chosen."""

    logo_file = forms.FileField(
        label=_("Logo (PNG atau JPEG, maks. 512 KB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Hapus logo"), required=False)
    # Longer than the 18 digits on purpose: a NIP is often written in groups with spaces,
    # which are taken out before the model checks the 18 digits.
    signatory_nip = forms.CharField(label=_("NIP penanda tangan"), max_length=40)

    class Meta:
        model = Letterhead
        fields = LETTERHEAD_FIELDS

    def clean_signatory_nip(self) -> str:
        return "".join(self.cleaned_data["signatory_nip"].split())

    def logo_bytes(self) -> bytes | None:
        """New logo bytes, ``b""`` to remove it, None to keep the current one."""
        if self.cleaned_data.get("remove_logo"):
            return b""
        upload = self.cleaned_data.get("logo_file")
        if upload is None:
            return None
        return upload.read(512 * 1024 + 1)

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in LETTERHEAD_FIELDS}


class MinutesIssueForm(FieldsOnlyHelper, forms.Form):
    region_signatory = forms.ModelChoiceField(
        queryset=Attendee.objects.none(),
        label=_("Penanda tangan pihak pemerintah daerah"),
        required=False,
        empty_label=_("— pilih peserta hadir —"),
    )

    def __init__(self, *args: Any, attendees: list[Attendee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["region_signatory"])
        field.queryset = Attendee.objects.filter(pk__in=[a.pk for a in attendees])
        # Per-field labels (Django calls this attribute); the stubs only know a method.
        field.label_from_instance = lambda a: f"{a.name} – {a.position}" if a.position else a.name  # type: ignore[method-assign,assignment]
