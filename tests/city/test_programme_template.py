"""Finding 8: the import template's dropdowns accepted any typed value, the element list
ignored the chosen dimension and showed English codes. Now every coded column is a strict
list, the element list follows the row's dimension, and labels are in the reader's
language (and import back in either language)."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from evaluations.models import Element, Programme
from evaluations.services import programmes as service
from tests import factories
from tests.city import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def dims():
    factories.ensure_dimensions()
    element = Element.objects.get(code="governance-1")
    element.name = "Layanan Publik"
    element.description = "Layanan kepada warga. (English: public service.)"
    element.save()
    return element


def _template(client, region, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("city:programme_import_template", args=[region.slug]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def test_every_dropdown_is_strict_and_the_element_list_follows_the_dimension(
    bekasi_client, kota_bekasi, dims
):
    workbook = _template(bekasi_client, kota_bekasi, "id")
    validations = workbook["Program"].data_validations.dataValidation
    lists = {str(v.sqref).split(":")[0]: v for v in validations if v.type == "list"}
    assert set(lists) >= {"B2", "C2", "E2", "F2"}  # dimension, element, status, quick win
    for validation in validations:
        assert validation.showErrorMessage
        assert validation.errorStyle in (None, "stop")
    element = lists["C2"].formula1
    assert element.startswith("OFFSET(Referensi!$G$1,MATCH($B2,")
    assert "COUNTIF(Referensi!$F:$F,$B2)" in element
    whole = [v for v in validations if v.type == "whole"]
    assert {str(v.sqref).split(":")[0] for v in whole} == {"G2", "H2"}
    reference = list(workbook["Referensi"].iter_rows(min_row=2, values_only=True))
    # The element block is sorted by dimension, so OFFSET/COUNTIF find one contiguous run.
    blocks = [row[5] for row in reference if row[5]]
    assert blocks == sorted(blocks, key=blocks.index)
    assert ("Smart Governance", "Layanan Publik", "governance-1") in [r[5:8] for r in reference]


def test_labels_follow_the_language_and_import_back_in_either(bekasi_client, kota_bekasi, dims):
    workbook = _template(bekasi_client, kota_bekasi, "en")
    reference = list(workbook["Referensi"].iter_rows(min_row=2, values_only=True))
    assert "Public service" in [r[6] for r in reference]
    assert "Planned" in [r[1] for r in reference]
    sheet = workbook["Program"]
    sheet.append(
        [
            "Mall Pelayanan Publik",
            "Smart Governance",
            "Public service",
            None,
            "Planned",
            "yes",
            2024,
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    with translation.override("id"):  # another operator, in Indonesian, imports it
        plan = service.programmes_import(
            region=kota_bekasi, upload=files.upload("t.xlsx", buffer.getvalue()), by=None
        )
    (programme,) = plan.created
    programme = Programme.objects.get(pk=programme.pk)
    assert (programme.element, programme.status, programme.is_quick_win) == (
        dims,
        "planned",
        True,
    )
