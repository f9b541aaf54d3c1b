"""Invalid data typed into the admin comes back with a clear Indonesian message and what the
person typed still in the form; nothing is saved and nothing fails with a 500."""

from __future__ import annotations

import pytest
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluations.models import (
    Evidence,
    FieldReview,
    Indicator,
    Instrument,
    Participation,
    Programme,
    ReviewerAssignment,
    Round,
    Score,
    SelfAssessmentAnswer,
    VerifiedScore,
)
from tests import factories
from tests.conftest import login

pytestmark = pytest.mark.django_db

LEVEL_MESSAGE = "Level harus antara 0 dan 5."


def _url(model, view: str, *args) -> str:
    return reverse(admin_urlname(model._meta, view), args=args)  # type: ignore[arg-type]  # any str


def _post(client, url: str, data: dict):
    """POST ``data`` with the management forms of the page's inlines (no inline rows)."""
    page = client.get(url)
    assert page.status_code == 200
    management = {}
    for inline in page.context["inline_admin_formsets"]:
        form = inline.formset.management_form
        management.update({f"{form.prefix}-{name}": form.initial[name] for name in form.fields})
    return client.post(url, {**management, **data})


def _refused(response, message: str, *typed: str) -> None:
    assert response.status_code == 200, "the form should come back, not redirect or fail"
    content = response.content.decode()
    assert message in content
    for value in typed:
        assert value in content, f"typed value {value!r} was lost"


@pytest.fixture
def scored(kota_bekasi, reviewer, manager, client):
    """A participation with an indicator, and the manager logged in to the admin."""
    round_ = factories.make_round()
    participation = factories.make_participation(round_, kota_bekasi)
    login(client, manager)
    return participation, round_.instrument.indicators.first()


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (Score, {"level": 6, "comment": "Catatan penilai uji"}),
        (VerifiedScore, {"level": 6, "comment": "Catatan penilai uji"}),
        (SelfAssessmentAnswer, {"claimed_level": 6, "narrative": "Catatan penilai uji"}),
    ],
    ids=["score", "verified", "claimed"],
)
def test_level_6_is_refused_with_a_message(model, fields, scored, reviewer, client):
    participation, indicator = scored
    data = {"participation": participation.pk, "indicator": indicator.pk, **fields}
    if model is Score:
        data["reviewer"] = reviewer.pk
    response = _post(client, _url(model, "add"), data)
    _refused(response, LEVEL_MESSAGE, "Catatan penilai uji")
    assert not model.objects.exists()


def test_second_score_by_the_same_reviewer_is_refused(scored, reviewer, client):
    participation, indicator = scored
    Score.objects.create(
        participation=participation, indicator=indicator, reviewer=reviewer, level=3
    )
    data = {
        "participation": participation.pk,
        "indicator": indicator.pk,
        "reviewer": reviewer.pk,
        "level": 4,
        "comment": "Nilai kedua",
    }
    response = _post(client, _url(Score, "add"), data)
    _refused(
        response,
        "Penilai ini sudah memberi nilai untuk indikator ini pada peserta ini.",
        "Nilai kedua",
    )
    assert Score.objects.get().level == 3


def _instrument_data(**overrides) -> dict:
    data = {
        "code": "instrumen-keliru",
        "name": "Instrumen keliru",
        "year": 2025,
        "weight_baseline": 10,
        "weight_output": 20,
        "weight_outcome": 30,
        "weight_impact": 20,
        "weight_quick_win": 10,
    }
    data.update(overrides)
    return data


def test_weights_summing_to_90_percent_are_refused(client, manager):
    login(client, manager)
    response = _post(client, _url(Instrument, "add"), _instrument_data())
    _refused(response, "Bobot kelima komponen harus berjumlah 100%.", "Instrumen keliru")
    assert not Instrument.objects.exists()


def test_a_second_default_instrument_is_refused(client, manager):
    factories.make_instrument(is_default=True)
    login(client, manager)
    data = _instrument_data(weight_impact=30, is_default="on", name="Instrumen bawaan kedua")
    response = _post(client, _url(Instrument, "add"), data)
    _refused(response, "Hanya satu instrumen yang boleh menjadi bawaan.", "Instrumen bawaan kedua")
    assert Instrument.objects.filter(is_default=True).count() == 1


def _round_data(instrument: Instrument, **overrides) -> dict:
    data = {
        "name": "Evaluasi 2025 Tahap I",
        "slug": "evaluasi-2025-tahap-i",
        "year": 2025,
        "phase": 1,
        "instrument": instrument.pk,
        "self_assessment_opens": "2025-03-01",
        "self_assessment_closes": "2025-04-30",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        (
            {"self_assessment_closes": "2025-02-01"},
            "Batas penilaian mandiri tidak boleh sebelum tanggal dibuka.",
        ),
        (
            {"review_ends": "2025-04-01"},
            "Penilaian tidak boleh selesai sebelum batas penilaian mandiri.",
        ),
    ],
    ids=["self-assessment", "review"],
)
def test_round_dates_out_of_order_are_refused(dates, message, client, manager):
    instrument = factories.make_instrument()
    login(client, manager)
    response = _post(client, _url(Round, "add"), _round_data(instrument, **dates))
    _refused(response, message, "Evaluasi 2025 Tahap I")
    assert not Round.objects.exists()


def test_exclusion_without_reason_is_refused(client, manager, kota_bekasi):
    participation = factories.make_participation(factories.make_round(), kota_bekasi)
    login(client, manager)
    data = {
        "round": participation.round_id,
        "region": kota_bekasi.pk,
        "self_assessment_status": "draft",
        "return_comment": "Lengkapi bukti dukung",
        "excluded": "on",
        "exclusion_reason": "",
    }
    response = _post(client, _url(Participation, "change", participation.pk), data)
    _refused(response, "Pengecualian harus disertai alasan.", "Lengkapi bukti dukung")
    participation.refresh_from_db()
    assert not participation.excluded


def test_a_second_lead_on_a_panel_is_refused(client, manager, kota_bekasi, reviewer):
    participation = factories.make_participation(factories.make_round(), kota_bekasi)
    factories.assign(participation, factories.make_reviewer("ketua"), lead=True)
    login(client, manager)
    data = {"participation": participation.pk, "reviewer": reviewer.pk, "is_lead": "on"}
    response = _post(client, _url(ReviewerAssignment, "add"), data)
    _refused(response, "Panel hanya boleh punya satu ketua.")
    assert participation.panel.count() == 1


def test_two_leads_typed_into_one_panel_are_refused(client, manager, kota_bekasi, reviewer):
    participation = factories.make_participation(factories.make_round(), kota_bekasi)
    other = factories.make_reviewer("penilai-lain")
    login(client, manager)
    data = {
        "round": participation.round_id,
        "region": kota_bekasi.pk,
        "self_assessment_status": "not_started",
        "return_comment": "Catatan tetap",
        "panel-TOTAL_FORMS": 2,
        "panel-INITIAL_FORMS": 0,
        "panel-0-reviewer": reviewer.pk,
        "panel-0-is_lead": "on",
        "panel-1-reviewer": other.pk,
        "panel-1-is_lead": "on",
    }
    response = _post(client, _url(Participation, "change", participation.pk), data)
    _refused(response, "Panel hanya boleh punya satu ketua.", "Catatan tetap")
    assert not participation.panel.exists()


def test_field_review_ending_before_it_starts_is_refused(client, manager, kota_bekasi):
    participation = factories.make_participation(factories.make_round(), kota_bekasi)
    login(client, manager)
    data = {
        "participation": participation.pk,
        "mode": "on_site",
        "location": "Plaza Pemkot Bekasi",
        "start_date": "2025-05-02",
        "end_date": "2025-05-01",
    }
    response = _post(client, _url(FieldReview, "add"), data)
    _refused(response, "Tanggal selesai tidak boleh sebelum tanggal mulai.", "Plaza Pemkot Bekasi")
    assert not FieldReview.objects.exists()


def test_programme_ending_before_it_starts_is_refused(client, manager, kota_bekasi):
    dimension = factories.ensure_dimensions()[0]
    login(client, manager)
    data = {
        "region": kota_bekasi.pk,
        "title": "Mall Pelayanan Publik",
        "dimension": dimension.pk,
        "status": "running",
        "start_year": 2022,
        "end_year": 2020,
    }
    response = _post(client, _url(Programme, "add"), data)
    _refused(response, "Tahun selesai tidak boleh sebelum tahun mulai.", "Mall Pelayanan Publik")
    assert not Programme.objects.exists()


def test_indicator_with_an_element_of_another_dimension_is_refused(client, manager):
    instrument = factories.make_instrument()
    governance, branding = factories.ensure_dimensions()[:2]
    login(client, manager)
    data = {
        "instrument": instrument.pk,
        "code": "OP-99",
        "order": 99,
        "name": "Indikator salah elemen",
        "component": "output",
        "weight": "1.00",
        "dimension": governance.pk,
        "element": branding.elements.first().pk,
    }
    response = _post(client, _url(Indicator, "add"), data)
    _refused(
        response, "Elemen ini bukan bagian dari dimensi yang dipilih.", "Indikator salah elemen"
    )
    assert not instrument.indicators.filter(code="OP-99").exists()


def test_evidence_without_a_link_is_refused(client, manager, kota_bekasi):
    login(client, manager)
    data = {"region": kota_bekasi.pk, "title": "SK Dewan Smart City", "url": ""}
    response = _post(client, _url(Evidence, "add"), data)
    _refused(
        response, "Bukti dukung berupa berkas atau tautan, bukan keduanya.", "SK Dewan Smart City"
    )
    assert not Evidence.objects.exists()


def test_model_validation_names_the_broken_rule(kota_bekasi, reviewer):
    """Code outside the admin (services, imports) gets the same messages from full_clean."""
    round_ = factories.make_round()
    participation = factories.make_participation(round_, kota_bekasi)
    indicator = round_.instrument.indicators.first()
    score = Score(participation=participation, indicator=indicator, reviewer=reviewer, level=6)
    with pytest.raises(ValidationError) as excinfo:
        score.full_clean()
    assert LEVEL_MESSAGE in excinfo.value.message_dict["level"]

    instrument = Instrument(
        code="x", name="X", year=2025, weight_baseline=10, weight_output=20,
        weight_outcome=30, weight_impact=20, weight_quick_win=10,
    )  # fmt: skip
    with pytest.raises(ValidationError) as excinfo:
        instrument.full_clean()
    assert "Bobot kelima komponen harus berjumlah 100%." in excinfo.value.messages
