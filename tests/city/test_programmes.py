"""The programme register: forms, filters, archive, evidence, agencies, export."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from evaluations.models import Element, Evidence, Programme
from evaluations.services import programmes as service
from regions.models import Agency
from tests import factories
from tests.city import files
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def dims(db):
    return factories.ensure_dimensions()


def _form_data(dims, agency=None, **extra):
    data = {
        "title": "Mall Pelayanan Publik",
        "dimension": dims[0].pk,
        "element": dims[0].elements.first().pk,
        "agency": agency.pk if agency else "",
        "status": "running",
        "start_year": "2021",
        "end_year": "",
        "budget": "Rp 1.250.000.000",
        "description": "Layanan terpadu\r\nsatu pintu.",
    }
    data.update(extra)
    return data


def test_create_programme_with_a_file(bekasi_client, kota_bekasi, dims):
    agency = factories.make_agency(kota_bekasi, "Dinas Penanaman Modal dan PTSP")
    data = _form_data(dims, agency, new_file=files.pdf_upload("sk-mpp.pdf"))
    response = bekasi_client.post(reverse("city:programme_create", args=[kota_bekasi.slug]), data)
    programme = Programme.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "city:programme_detail", args=[kota_bekasi.slug, programme.pk]
    )
    assert programme.region == kota_bekasi
    assert programme.budget == 1_250_000_000
    assert programme.description == "Layanan terpadu\nsatu pintu."
    assert [e.original_name for e in programme.evidence.all()] == ["sk-mpp.pdf"]
    page = bekasi_client.get(response["Location"]).content.decode()
    assert "Rp 1.250.000.000" in page
    assert "sk-mpp.pdf" in page


def test_budget_is_shown_formatted_in_the_list_and_the_edit_form(bekasi_client, kota_bekasi):
    programme = factories.make_programme(kota_bekasi, budget=7_500_000)
    page = bekasi_client.get(reverse("city:programme_list", args=[kota_bekasi.slug]))
    assert "Rp 7.500.000" in page.content.decode()
    form = bekasi_client.get(
        reverse("city:programme_edit", args=[kota_bekasi.slug, programme.pk])
    ).content.decode()
    assert 'value="7.500.000"' in form


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Rp 1.250.000.000", 1_250_000_000),
        ("1250000000", 1_250_000_000),
        ("2.500,00", 2500),
        ("rp5000", 5000),
        ("", None),
    ],
)
def test_rupiah_is_read_as_people_write_it(text, value):
    assert service.parse_rupiah(text) == value


@pytest.mark.parametrize("text", ["1,5 juta", "-100", "12.50", "1.250,50", "abc"])
def test_bad_budgets_are_refused(text):
    with pytest.raises(ValidationError):
        service.parse_rupiah(text)


def test_element_of_another_dimension_is_refused_and_the_typed_text_stays(
    bekasi_client, kota_bekasi, dims
):
    other_element = dims[3].elements.first()
    data = _form_data(dims, element=other_element.pk, title="Kartu Sehat berbasis NIK")
    response = bekasi_client.post(reverse("city:programme_create", args=[kota_bekasi.slug]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert str(service.ELEMENT_NOT_IN_DIMENSION) in page
    assert 'value="Kartu Sehat berbasis NIK"' in page
    assert "Layanan terpadu\nsatu pintu." in page or "Layanan terpadu\r\nsatu pintu." in page
    assert not Programme.objects.exists()


def test_element_options_carry_their_dimension_for_the_narrowing_script(
    bekasi_client, kota_bekasi, dims
):
    page = bekasi_client.get(reverse("city:programme_create", args=[kota_bekasi.slug]))
    element = Element.objects.filter(dimension=dims[2]).first()
    assert f'value="{element.pk}" data-dimension="{dims[2].pk}"' in page.content.decode()


def test_a_valid_file_survives_an_invalid_form_and_is_attached_on_the_next_save(
    bekasi_client, kota_bekasi, dims
):
    url = reverse("city:programme_create", args=[kota_bekasi.slug])
    bad = _form_data(dims, start_year="2025", end_year="2020", new_file=files.pdf_upload("sk.pdf"))
    response = bekasi_client.post(url, bad)
    assert response.status_code == 200
    kept = Evidence.objects.get(region=kota_bekasi)
    page = response.content.decode()
    assert "tidak perlu diunggah ulang" in page
    assert f'name="pending_evidence" value="{kept.pk}"' in page
    good = _form_data(dims, start_year="2020", pending_evidence=[str(kept.pk)])
    assert bekasi_client.post(url, good).status_code == 302
    assert list(Programme.objects.get().evidence.all()) == [kept]


def test_pending_evidence_of_another_region_is_never_attached(
    bekasi_client, kota_bekasi, kota_bandung, dims
):
    from tests.city import factories as cf

    foreign = cf.make_file_evidence(kota_bandung)
    data = _form_data(dims, pending_evidence=[str(foreign.pk)])
    bekasi_client.post(reverse("city:programme_create", args=[kota_bekasi.slug]), data)
    assert Programme.objects.get().evidence.count() == 0


def test_archive_hides_from_register_and_restore_brings_back(bekasi_client, kota_bekasi):
    programme = factories.make_programme(kota_bekasi, title="Command Center")
    list_url = reverse("city:programme_list", args=[kota_bekasi.slug])
    bekasi_client.post(reverse("city:programme_archive", args=[kota_bekasi.slug, programme.pk]))
    programme.refresh_from_db()
    assert programme.archived_at is not None

    def listed(query: str = "") -> list[Programme]:
        return list(bekasi_client.get(list_url + query).context["page"].object_list)

    assert listed() == []
    assert listed("?archived=1") == [programme]
    bekasi_client.post(reverse("city:programme_restore", args=[kota_bekasi.slug, programme.pk]))
    assert listed() == [programme]
    assert listed("?archived=1") == []


def test_register_filters_and_search(bekasi_client, kota_bekasi, dims):
    dpmptsp = factories.make_agency(kota_bekasi, "DPMPTSP")
    factories.make_programme(kota_bekasi, title="Mall Pelayanan Publik", agency=dpmptsp)
    factories.make_programme(
        kota_bekasi, title="Kartu Sehat NIK", dimension=dims[3], element=dims[3].elements.first()
    )
    factories.make_programme(kota_bekasi, title="Aplikasi URC", status="planned", is_quick_win=True)
    url = reverse("city:programme_list", args=[kota_bekasi.slug])

    def titles(query: str) -> set[str]:
        page = bekasi_client.get(f"{url}?{query}")
        return {p.title for p in page.context["page"].object_list}

    assert titles(f"dimension={dims[3].pk}") == {"Kartu Sehat NIK"}
    assert titles(f"element={dims[3].elements.first().pk}") == {"Kartu Sehat NIK"}
    assert titles("status=planned") == {"Aplikasi URC"}
    assert titles(f"agency={dpmptsp.pk}") == {"Mall Pelayanan Publik"}
    assert titles("is_quick_win=1") == {"Aplikasi URC"}
    assert titles("q=sehat") == {"Kartu Sehat NIK"}
    assert titles("q=dpmptsp") == {"Mall Pelayanan Publik"}


def test_register_is_paginated(bekasi_client, kota_bekasi):
    for i in range(30):
        factories.make_programme(kota_bekasi, title=f"Program {i:02d}")
    url = reverse("city:programme_list", args=[kota_bekasi.slug])
    first = bekasi_client.get(url).context["page"]
    second = bekasi_client.get(url + "?page=2").context["page"]
    assert len(first.object_list) == 25
    assert len(second.object_list) == 5
    assert first.paginator.count == 30


def test_agency_choices_are_the_regions_own(bekasi_client, kota_bekasi, kota_bandung, dims):
    own = factories.make_agency(kota_bekasi, "Diskominfostandi Kota Bekasi")
    foreign = factories.make_agency(kota_bandung, "Diskominfo Kota Bandung")
    page = bekasi_client.get(reverse("city:programme_create", args=[kota_bekasi.slug]))
    assert list(page.context["form"].fields["agency"].queryset) == [own]
    response = bekasi_client.post(
        reverse("city:programme_create", args=[kota_bekasi.slug]), _form_data(dims, foreign)
    )
    assert response.status_code == 200
    assert not Programme.objects.exists()


# --- Agencies ----------


def test_coordinator_manages_agencies(client, coordinator, kota_bekasi):
    login(client, coordinator)
    client.post(
        reverse("city:agency_create", args=[kota_bekasi.slug]),
        {"name": "Dinas Kesehatan", "acronym": "Dinkes"},
    )
    agency = Agency.objects.get(region=kota_bekasi)
    client.post(
        reverse("city:agency_edit", args=[kota_bekasi.slug, agency.pk]),
        {"name": "Dinas Kesehatan Kota Bekasi", "acronym": "Dinkes"},
    )
    agency.refresh_from_db()
    assert agency.name == "Dinas Kesehatan Kota Bekasi"
    duplicate = client.post(
        reverse("city:agency_create", args=[kota_bekasi.slug]),
        {"name": "Dinas Kesehatan Kota Bekasi"},
    )
    assert "OPD dengan nama ini sudah ada" in duplicate.content.decode()
    client.post(reverse("city:agency_delete", args=[kota_bekasi.slug, agency.pk]))
    assert not Agency.objects.exists()


def test_agency_in_use_cannot_be_deleted(client, coordinator, kota_bekasi):
    agency = factories.make_agency(kota_bekasi, "DPMPTSP")
    factories.make_programme(kota_bekasi, agency=agency)
    login(client, coordinator)
    client.post(reverse("city:agency_delete", args=[kota_bekasi.slug, agency.pk]))
    assert Agency.objects.filter(pk=agency.pk).exists()


def test_operator_reads_agencies_but_cannot_manage_them(bekasi_client, kota_bekasi):
    agency = factories.make_agency(kota_bekasi, "DPMPTSP")
    slug = kota_bekasi.slug
    assert bekasi_client.get(reverse("city:agency_list", args=[slug])).status_code == 200
    assert bekasi_client.get(reverse("city:agency_create", args=[slug])).status_code == 403
    assert (
        bekasi_client.post(reverse("city:agency_create", args=[slug]), {"name": "X"}).status_code
        == 403
    )
    assert (
        bekasi_client.post(
            reverse("city:agency_edit", args=[slug, agency.pk]), {"name": "Y"}
        ).status_code
        == 403
    )
    assert (
        bekasi_client.post(reverse("city:agency_delete", args=[slug, agency.pk])).status_code == 403
    )
    assert list(Agency.objects.values_list("name", flat=True)) == ["DPMPTSP"]


# --- Export ----------


def test_export_xlsx_and_csv_follow_the_filters(bekasi_client, kota_bekasi, kota_bandung, dims):
    factories.make_programme(kota_bekasi, title="Mall Pelayanan Publik", budget=1_000_000)
    factories.make_programme(kota_bekasi, title='=HYPERLINK("http://evil")', status="planned")
    factories.make_programme(kota_bandung, title="Program Bandung")
    url = reverse("city:programme_export", args=[kota_bekasi.slug, "csv"])
    response = bekasi_client.get(url)
    assert response["Content-Disposition"].startswith('attachment; filename="program-kota-bekasi-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["ID", "Nama program", "Dimensi"]
    titles = {row[1] for row in rows[1:]}
    assert titles == {"Mall Pelayanan Publik", '\'=HYPERLINK("http://evil")'}

    xlsx = bekasi_client.get(
        reverse("city:programme_export", args=[kota_bekasi.slug, "xlsx"]) + "?status=running"
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert [row[1] for row in values[1:]] == ["Mall Pelayanan Publik"]
    assert values[1][9] == 1_000_000


def test_unknown_export_format_is_404(bekasi_client, kota_bekasi):
    url = reverse("city:programme_export", args=[kota_bekasi.slug, "pdf"])
    assert bekasi_client.get(url).status_code == 404
