"""Forms of the public portal: the region picker of the comparison page (GET, no JS needed)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from evaluations.models import Round
from regions.models import Region

COMPARE_MIN, COMPARE_MAX = 2, 4
COMPARE_TOO_FEW = _("Pilih paling sedikit dua wilayah yang berbeda.")
COMPARE_TOO_MANY = _("Pilih paling banyak empat wilayah.")


class CompareForm(forms.Form):
    """Two to four regions and, optionally, the round to compare them in.

    The page renders four selects that all submit as ``regions`` (a shareable URL like
    ``/compare/?regions=kota-bekasi&regions=kota-bandung``); empty selects are dropped
    before the form sees the data.
    """

    regions = forms.MultipleChoiceField(label=_("Wilayah"), required=True)
    round = forms.ChoiceField(label=_("Putaran evaluasi"), required=False)

    def __init__(self, data: QueryDict | None, *, regions: list[Region], rounds: list[Round]):
        super().__init__(data)
        cast(forms.ChoiceField, self.fields["regions"]).choices = [
            (r.slug, r.name) for r in regions
        ]
        self.fields["regions"].error_messages["required"] = COMPARE_TOO_FEW
        cast(forms.ChoiceField, self.fields["round"]).choices = [
            ("", _("Putaran terbaru")),
            *[(r.slug, r.name) for r in rounds],
        ]

    def clean_regions(self) -> list[str]:
        slugs = list(dict.fromkeys(self.cleaned_data["regions"]))  # drop repeats, keep order
        if len(slugs) < COMPARE_MIN:
            raise ValidationError(COMPARE_TOO_FEW, code="too_few")
        if len(slugs) > COMPARE_MAX:
            raise ValidationError(COMPARE_TOO_MANY, code="too_many")
        return slugs
