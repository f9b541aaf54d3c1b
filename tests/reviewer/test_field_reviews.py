"""Field reviews: schedule, the default two-day agenda, attendees, findings, minutes (PDF)."""

from __future__ import annotations

import itertools
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from evaluations.models import AgendaItem, Attendee, FieldReview, Finding, RoundStatus
from evaluations.services import field_reviews as svc
from tests import factories
from tests.conftest import login

pytestmark = pytest.mark.django_db


def schedule(participation, by):
    return svc.field_review_schedule(
        participation=participation,
        by=by,
        mode="on_site",
        start_date=date(2024, 5, 14),
        end_date=date(2024, 5, 15),
        location="Kantor Wali Kota Bekasi",
    )


def test_the_panel_schedules_a_field_review(client, scenario, reviewer):
    login(client, reviewer)
    url = reverse("reviewer:field_review", args=[scenario.bekasi.pk])
    response = client.post(
        url,
        {
            "mode": "hybrid",
            "location": "Kantor Wali Kota Bekasi",
            "start_date": "2024-05-14",
            "end_date": "2024-05-13",
        },
    )
    assert response.status_code == 400  # ends before it starts
    assert not FieldReview.objects.exists()
    response = client.post(
        url,
        {
            "mode": "hybrid",
            "location": "Kantor Wali Kota Bekasi",
            "start_date": "2024-05-14",
            "end_date": "2024-05-15",
        },
    )
    assert response.status_code == 302
    review = FieldReview.objects.get()
    assert (review.mode, review.start_date) == ("hybrid", date(2024, 5, 14))
    assert list(review.reviewers.all()) == [reviewer]


def test_the_default_agenda_has_two_days_as_in_practice(scenario, reviewer):
    factories.ensure_dimensions()
    review = schedule(scenario.bekasi, reviewer)
    count = svc.field_review_default_agenda(field_review=review, by=reviewer)
    items = list(review.agenda.select_related("dimension").order_by("day", "start_time"))
    assert count == len(items) == 18
    day1 = [i for i in items if i.day == 1]
    day2 = [i for i in items if i.day == 2]
    assert "Sekretaris Daerah" in day1[1].activity
    assert [i.dimension.code for i in day1 if i.dimension] == [
        "governance",
        "branding",
        "economy",
        "living",
        "society",
        "environment",
    ]
    assert next(i.activity for i in day2 if i.dimension) == "Kunjungan lapangan Smart Governance"
    assert "berita acara" in day2[-1].activity
    # No overlaps within a day.
    for day in (day1, day2):
        for a, b in itertools.pairwise(day):
            assert a.end_time <= b.start_time
    with pytest.raises(ValidationError):
        svc.field_review_default_agenda(field_review=review, by=reviewer)


def test_only_the_panel_or_a_manager_edits_and_only_while_the_round_is_open(
    scenario, reviewer, outsider_reviewer, manager
):
    with pytest.raises(PermissionDenied):
        schedule(scenario.bekasi, outsider_reviewer)
    schedule(scenario.bekasi, manager)
    scenario.round.status = RoundStatus.FINALISED
    scenario.round.save(update_fields=["status"])
    scenario.bekasi.round.status = RoundStatus.FINALISED
    with pytest.raises(ValidationError):
        schedule(scenario.bekasi, reviewer)


def test_agenda_attendees_and_findings_are_edited_as_tables(client, scenario, reviewer):
    factories.ensure_dimensions()
    review = schedule(scenario.bekasi, reviewer)
    login(client, reviewer)
    pk = scenario.bekasi.pk
    client.post(reverse("reviewer:field_review_default_agenda", args=[pk]))
    assert review.agenda.count() == 18

    url = reverse("reviewer:field_review_section", args=[pk, "attendees"])
    response = client.get(url)
    formset = response.context["formset"]
    prefix = formset.prefix
    data: dict[str, object] = {
        f"{prefix}-TOTAL_FORMS": "2",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        f"{prefix}-0-name": "Dr. H. Reny Hendrawati",
        f"{prefix}-0-position": "Sekretaris Daerah",
        f"{prefix}-0-agency": "Pemerintah Kota Bekasi",
        f"{prefix}-0-side": "region",
        f"{prefix}-1-name": "",
        f"{prefix}-1-side": "region",
    }
    assert client.post(url, data).status_code == 302
    assert list(Attendee.objects.values_list("name", "position")) == [
        ("Dr. H. Reny Hendrawati", "Sekretaris Daerah")
    ]

    url = reverse("reviewer:field_review_section", args=[pk, "findings"])
    prefix = client.get(url).context["formset"].prefix
    governance = factories.ensure_dimensions()[0]
    data = {
        f"{prefix}-TOTAL_FORMS": "2",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        f"{prefix}-0-dimension": governance.pk,
        f"{prefix}-0-kind": "recommendation",
        f"{prefix}-0-text": "Integrasikan layanan MPP dengan aplikasi perizinan daerah.",
        f"{prefix}-1-dimension": governance.pk,
        f"{prefix}-1-kind": "nonsense",
        f"{prefix}-1-text": "x",
    }
    response = client.post(url, data)
    assert response.status_code == 400  # an unknown kind: the table comes back, nothing saved
    assert not Finding.objects.exists()
    data[f"{prefix}-1-kind"] = "obstacle"
    assert client.post(url, data).status_code == 302
    assert Finding.objects.count() == 2

    # Agenda items edited: an end before the start is refused.
    url = reverse("reviewer:field_review_section", args=[pk, "agenda"])
    formset = client.get(url).context["formset"]
    first = formset.forms[0]
    data = {
        f"{formset.prefix}-TOTAL_FORMS": "1",
        f"{formset.prefix}-INITIAL_FORMS": "1",
        f"{formset.prefix}-MIN_NUM_FORMS": "0",
        f"{formset.prefix}-MAX_NUM_FORMS": "1000",
        f"{formset.prefix}-0-id": first.instance.pk,
        f"{formset.prefix}-0-field_review": review.pk,
        f"{formset.prefix}-0-day": "1",
        f"{formset.prefix}-0-start_time": "09:00",
        f"{formset.prefix}-0-end_time": "08:00",
        f"{formset.prefix}-0-activity": "Pembukaan",
    }
    assert client.post(url, data).status_code == 400
    data[f"{formset.prefix}-0-end_time"] = "09:30"
    assert client.post(url, data).status_code == 302
    assert AgendaItem.objects.get(pk=first.instance.pk).end_time.strftime("%H:%M") == "09:30"


@pytest.fixture
def full_review(scenario, reviewer):
    dims = factories.ensure_dimensions()
    review = schedule(scenario.bekasi, reviewer)
    svc.field_review_default_agenda(field_review=review, by=reviewer)
    Attendee.objects.create(
        field_review=review,
        name="Dr. H. Reny Hendrawati",
        position="Sekretaris Daerah",
        agency="Pemerintah Kota Bekasi",
    )
    Attendee.objects.create(
        field_review=review, name="Penilai Satu", agency="Kominfo", side="reviewer"
    )
    Finding.objects.create(
        field_review=review,
        dimension=dims[0],
        kind="achievement",
        text="Mal Pelayanan Publik melayani 300 jenis layanan.",
    )
    Finding.objects.create(
        field_review=review,
        dimension=dims[0],
        kind="recommendation",
        text="Integrasikan MPP dengan aplikasi perizinan.",
    )
    Finding.objects.create(
        field_review=review, dimension=dims[3], kind="obstacle", text="Data kesehatan tersebar."
    )
    return review


def test_minutes_page_shows_agenda_attendees_and_findings_per_dimension(
    client, scenario, reviewer, full_review
):
    login(client, reviewer)
    response = client.get(reverse("reviewer:minutes", args=[scenario.bekasi.pk]))
    body = response.content.decode()
    assert "Berita Acara Tinjauan Lapangan" in body
    assert "Pemaparan capaian Smart City oleh Sekretaris Daerah" in body
    assert "Dr. H. Reny Hendrawati" in body
    assert body.index("Smart Governance</h3>") < body.index("Smart Living</h3>")
    assert "Integrasikan MPP" in body
    assert "data-print" in body  # a print button (reviewer.js), no inline script


def _render_first_page(pdf: bytes, tmp_path: Path) -> Path:
    source = tmp_path / "doc.pdf"
    source.write_bytes(pdf)
    subprocess.run(  # noqa: S603 - fixed arguments, our own file
        [
            shutil.which("pdftoppm") or "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(source),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    return next(tmp_path.glob("page*.png"))


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")
def test_minutes_pdf_renders(client, scenario, reviewer, full_review, tmp_path):
    login(client, reviewer)
    response = client.get(reverse("reviewer:minutes_pdf", args=[scenario.bekasi.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    png = _render_first_page(response.content, tmp_path)
    assert png.stat().st_size > 10_000  # a page with text on it, not a blank sheet
    artifacts = Path(__file__).resolve().parents[2] / "test-artifacts" / "pdf"
    artifacts.mkdir(parents=True, exist_ok=True)
    shutil.copy(png, artifacts / "minutes-page1.png")


def _attendee_formset(review, name: str):
    from evaluations.forms.reviewer import AttendeeFormSet

    prefix = AttendeeFormSet(instance=review).prefix
    data = {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        f"{prefix}-0-name": name,
        f"{prefix}-0-side": "region",
    }
    formset = AttendeeFormSet(data, instance=review, queryset=review.attendees.all())
    assert formset.is_valid(), formset.errors
    return formset


def test_a_section_table_is_saved_by_the_service_only_for_the_panel_of_an_open_round(
    scenario, reviewer, outsider_reviewer
):
    review = schedule(scenario.bekasi, reviewer)
    with pytest.raises(PermissionDenied):
        svc.field_review_section_save(
            field_review=review, formset=_attendee_formset(review, "Penyusup"), by=outsider_reviewer
        )
    assert not review.attendees.exists()
    svc.field_review_section_save(
        field_review=review, formset=_attendee_formset(review, "Sekretaris Daerah"), by=reviewer
    )
    assert list(review.attendees.values_list("name", flat=True)) == ["Sekretaris Daerah"]
    scenario.round.status = RoundStatus.FINALISED
    scenario.round.save(update_fields=["status"])
    review = FieldReview.objects.select_related("participation__round").get(pk=review.pk)
    with pytest.raises(ValidationError):
        svc.field_review_section_save(
            field_review=review, formset=_attendee_formset(review, "Terlambat"), by=reviewer
        )
    assert list(review.attendees.values_list("name", flat=True)) == ["Sekretaris Daerah"]
