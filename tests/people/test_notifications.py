"""Each event of an evaluation tells the right people, in their language, by e-mail and in
the inbox; a kind can be switched off; a retried job never sends twice."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from evaluations.models import RoundStatus, SelfAssessmentStatus
from evaluations.services import field_reviews as field_review_services
from evaluations.services import review as review_services
from evaluations.services import rounds as round_services
from evaluations.services.self_assessment import self_assessment_submit
from smartcity.people.models import Notification, NotificationKind, Profile
from smartcity.people.notifications import send_deadline_reminders
from smartcity.people.tasks import send_notification_email
from tests import factories
from tests.city import factories as city_factories
from tests.conftest import login
from tests.people.conftest import with_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(manager, reviewer, bekasi, bandung, bekasi_coordinator):
    for user in (manager, reviewer, bekasi, bandung):
        with_email(user)
    return {"manager": manager, "reviewer": reviewer, "bekasi": bekasi}


@pytest.fixture
def open_round(cast, kota_bekasi, kota_bandung):
    round_ = factories.make_round(year=2099, phase=1)
    factories.make_participation(round_, kota_bekasi)
    factories.make_participation(round_, kota_bandung)
    return round_


def _kinds(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def _mail_to(address: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if address in m.to]


def test_self_assessment_opened_reaches_every_participating_regions_staff(
    open_round, cast, bekasi_coordinator, bandung, django_capture_on_commit_callbacks
):
    Profile.objects.create(user=bandung, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        round_services.round_open_self_assessment(round=open_round, by=cast["manager"])
    for user in (cast["bekasi"], bekasi_coordinator, bandung):
        assert _kinds(user) == [NotificationKind.SELF_ASSESSMENT_OPENED]
    assert _kinds(cast["reviewer"]) == []
    indonesian = _mail_to("bekasi@example.id")[0]
    english = _mail_to("bandung@example.id")[0]
    assert indonesian.subject == f"Penilaian mandiri {open_round.name} dibuka"
    assert english.subject == f"Self-assessment {open_round.name} is open"
    assert "/city/kota-bekasi/putaran/" in indonesian.body


def _open(open_round, cast, capture):
    with capture(execute=True):
        round_services.round_open_self_assessment(round=open_round, by=cast["manager"])
    mail.outbox.clear()


def test_reminders_7_and_1_days_before_to_regions_that_have_not_submitted(
    open_round, cast, bandung, django_capture_on_commit_callbacks
):
    _open(open_round, cast, django_capture_on_commit_callbacks)
    deadline = open_round.self_assessment_closes
    bandung_part = open_round.participations.get(region__code="32.73")
    bandung_part.self_assessment_status = SelfAssessmentStatus.SUBMITTED
    bandung_part.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_reminders(today=deadline - timedelta(days=8)) == 0
        first = send_deadline_reminders(today=deadline - timedelta(days=7))
        # A second run the same day (a retry, a second scheduler) sends nothing more.
        assert send_deadline_reminders(today=deadline - timedelta(days=7)) == 0
        last = send_deadline_reminders(today=deadline - timedelta(days=1))
    assert first == last == 2  # the operator and the coordinator of Kota Bekasi
    bekasi_mail = _mail_to("bekasi@example.id")
    assert [m.subject for m in bekasi_mail] == [
        "Pengingat: 7 hari lagi batas penilaian mandiri",
        "Pengingat: 1 hari lagi batas penilaian mandiri",
    ]
    assert not _mail_to("bandung@example.id")


def test_submission_receipt_to_submitter_and_coordinators_and_the_panel_is_told(
    open_round, cast, bekasi_coordinator, django_capture_on_commit_callbacks
):
    _open(open_round, cast, django_capture_on_commit_callbacks)
    participation = open_round.participations.get(region__code="32.75")
    factories.assign(participation, cast["reviewer"], lead=True)
    evidence = city_factories.make_link_evidence(participation.region)
    for indicator in open_round.instrument.indicators.all():
        city_factories.make_answer(participation, indicator, evidence=[evidence])
    with django_capture_on_commit_callbacks(execute=True):
        self_assessment_submit(participation=participation, by=cast["bekasi"])
    receipt = _mail_to("bekasi@example.id")[0]
    assert receipt.subject.startswith("Tanda terima")
    count = open_round.instrument.indicators.count()
    assert f"{count} indikator dijawab" in receipt.body
    assert "Langkah berikutnya" in receipt.body
    assert _kinds(bekasi_coordinator) == [
        NotificationKind.SUBMISSION_RECEIPT,
        NotificationKind.SELF_ASSESSMENT_OPENED,
    ]
    panel = _mail_to("reviewer@example.id")[0]
    assert "Kota Bekasi" in panel.subject
    assert f"/review/participations/{participation.pk}/" in panel.body


def test_returned_with_the_reason(open_round, cast, django_capture_on_commit_callbacks):
    _open(open_round, cast, django_capture_on_commit_callbacks)
    participation = open_round.participations.get(region__code="32.75")
    participation.self_assessment_status = SelfAssessmentStatus.SUBMITTED
    participation.save()
    factories.assign(participation, cast["reviewer"], lead=True)
    with django_capture_on_commit_callbacks(execute=True):
        review_services.self_assessment_return(
            participation=participation, by=cast["reviewer"], comment="Lampirkan Perwal 12/2024."
        )
    message = _mail_to("bekasi@example.id")[0]
    assert "dikembalikan" in message.subject
    assert "Lampirkan Perwal 12/2024." in message.body


def test_panel_seat_given_and_removed(open_round, cast, django_capture_on_commit_callbacks):
    participation = open_round.participations.get(region__code="32.75")
    with django_capture_on_commit_callbacks(execute=True):
        seat = round_services.panel_assign(
            participation=participation, reviewer=cast["reviewer"], lead=True, by=cast["manager"]
        )
        # Changing the lead flag is not a new seat.
        round_services.panel_assign(
            participation=participation, reviewer=cast["reviewer"], lead=False, by=cast["manager"]
        )
        round_services.panel_remove(assignment=seat, by=cast["manager"])
    subjects = [m.subject for m in _mail_to("reviewer@example.id")]
    assert subjects == [
        "Anda ditugaskan di panel Kota Bekasi",
        "Anda tidak lagi di panel Kota Bekasi",
    ]


def test_field_review_scheduled_then_moved_with_a_calendar_entry(
    open_round, cast, django_capture_on_commit_callbacks
):
    participation = open_round.participations.get(region__code="32.75")
    factories.assign(participation, cast["reviewer"], lead=True)
    open_round.status = RoundStatus.REVIEW
    open_round.save()
    schedule = {
        "participation": participation,
        "by": cast["reviewer"],
        "mode": "on_site",
        "location": "Kantor Wali Kota Bekasi, Jl. Jend. A. Yani No.1",
    }
    with django_capture_on_commit_callbacks(execute=True):
        field_review_services.field_review_schedule(
            **schedule, start_date=date(2099, 5, 6), end_date=date(2099, 5, 7)
        )
        # Saving the minutes only is no news.
        field_review_services.field_review_schedule(
            **schedule, start_date=date(2099, 5, 6), end_date=date(2099, 5, 7), minutes="x"
        )
        field_review_services.field_review_schedule(
            **schedule, start_date=date(2099, 5, 13), end_date=date(2099, 5, 14)
        )
    city = _mail_to("bekasi@example.id")
    panel = _mail_to("reviewer@example.id")
    assert [m.subject for m in city] == [
        "Tinjauan lapangan Kota Bekasi dijadwalkan",
        "Jadwal tinjauan lapangan Kota Bekasi diubah",
    ]
    assert len(panel) == 2
    first, moved = (m.attachments[0] for m in city)
    assert first.filename == "tinjauan-lapangan.ics"
    assert first.mimetype.startswith("text/calendar")
    assert "DTSTART;VALUE=DATE:20990506" in first.content
    assert "DTEND;VALUE=DATE:20990508" in first.content  # exclusive end
    assert "DTSTART;VALUE=DATE:20990513" in moved.content
    uid = [line for line in first.content.splitlines() if line.startswith("UID:")]
    assert uid
    assert uid[0] in moved.content
    assert all(len(line.encode()) <= 75 for line in moved.content.split("\r\n"))
    assert "Jl. Jend. A. Yani No.1" in moved.content.replace("\r\n ", "").replace("\\,", ",")


def test_results_published_with_links(open_round, cast, django_capture_on_commit_callbacks):
    participation = open_round.participations.get(region__code="32.75")
    open_round.status = RoundStatus.FINALISED
    open_round.save()
    with django_capture_on_commit_callbacks(execute=True):
        round_services.round_publish(round=open_round, by=cast["manager"])
    message = _mail_to("bekasi@example.id")[0]
    assert message.subject == f"Hasil {open_round.name} dipublikasikan"
    assert f"/city/kota-bekasi/hasil/{open_round.slug}/" in message.body
    assert "/regions/kota-bekasi/" in message.body
    assert participation.region.slug in message.body


def test_a_kind_switched_off_stays_in_the_inbox_but_sends_no_mail(
    client, open_round, cast, django_capture_on_commit_callbacks
):
    login(client, cast["bekasi"])
    response = client.post(
        reverse("people:security"),
        {
            "language": "id",
            "email_kinds": [k.value for k in NotificationKind.switchable() if k != "sa_opened"],
        },
    )
    assert response.status_code == 302
    assert cast["bekasi"].profile.muted_kinds == ["sa_opened"]
    with django_capture_on_commit_callbacks(execute=True):
        round_services.round_open_self_assessment(round=open_round, by=cast["manager"])
    assert not _mail_to("bekasi@example.id")
    assert _kinds(cast["bekasi"]) == [NotificationKind.SELF_ASSESSMENT_OPENED]


def test_security_mail_cannot_be_switched_off_in_the_form(client, cast):
    login(client, cast["bekasi"])
    client.post(reverse("people:security"), {"language": "id", "email_kinds": ["security"]})
    form = client.get(reverse("people:security")).context["form"]
    assert "security" not in dict(form.fields["email_kinds"].choices)


def test_a_retried_job_never_sends_twice(open_round, cast, django_capture_on_commit_callbacks):
    _open(open_round, cast, django_capture_on_commit_callbacks)
    note = Notification.objects.filter(user=cast["bekasi"]).get()
    assert note.emailed_at is not None
    assert send_notification_email.call(note.pk) is False
    result = send_notification_email.enqueue(note.pk)
    assert result.return_value is False
    assert not mail.outbox


def test_a_failed_send_leaves_no_marker_so_the_retry_sends(
    open_round, cast, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.mail import EmailMultiAlternatives

    real_send = EmailMultiAlternatives.send

    def broken(self, *args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", broken)
    with django_capture_on_commit_callbacks(execute=True):
        round_services.round_open_self_assessment(round=open_round, by=cast["manager"])
    note = Notification.objects.filter(user=cast["bekasi"]).get()
    assert note.emailed_at is None
    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)
    assert send_notification_email.call(note.pk) is True
    assert send_notification_email.call(note.pk) is False
    assert len(_mail_to("bekasi@example.id")) == 1


def test_inbox_counts_and_reading(
    client, open_round, cast, bandung, django_capture_on_commit_callbacks, django_assert_num_queries
):
    _open(open_round, cast, django_capture_on_commit_callbacks)
    participation = open_round.participations.get(region__code="32.75")
    participation.self_assessment_status = SelfAssessmentStatus.SUBMITTED
    participation.save()
    with django_capture_on_commit_callbacks(execute=True):
        review_services.self_assessment_return(
            participation=participation, by=cast["manager"], comment="Kurang bukti."
        )
    login(client, cast["bekasi"])
    badge = client.get(reverse("people:inbox_badge"))
    assert 'data-unread-count="2"' in badge.content.decode()
    inbox = client.get(reverse("people:inbox"))
    assert inbox.context["unread"] == 2
    newest = inbox.context["page"].object_list[0]
    assert newest.kind == NotificationKind.RETURNED
    detail = client.get(reverse("people:notification", args=[newest.pk]))
    assert "Kurang bukti." in detail.content.decode()
    # Reading is safe (a prefetch or a link preview marks nothing); the buttons POST.
    assert 'data-unread-count="2"' in client.get(reverse("people:inbox_badge")).content.decode()
    opened = client.post(reverse("people:notification", args=[newest.pk]), {"open": "1"})
    assert opened.status_code == 302
    assert opened.url == newest.url
    assert 'data-unread-count="1"' in client.get(reverse("people:inbox_badge")).content.decode()
    newest.refresh_from_db()
    read_at = newest.read_at
    # Marking it again changes nothing (the first reading time stays) and leads to the inbox.
    again = client.post(reverse("people:notification", args=[newest.pk]))
    assert again.url == reverse("people:inbox")
    newest.refresh_from_db()
    assert newest.read_at == read_at
    client.post(reverse("people:inbox_read_all"))
    assert client.get(reverse("people:inbox_badge")).content.decode().strip() == ""
    # Nobody reads another person's notifications.
    others = Notification.objects.filter(user=bandung).first()
    assert client.get(reverse("people:notification", args=[others.pk])).status_code == 404
    # The inbox costs the same number of queries with 2 or 40 entries.
    url = reverse("people:inbox")
    with django_assert_num_queries(5) as few:
        client.get(url)
    for n in range(38):
        Notification.objects.create(
            user=cast["bekasi"], kind="security", event_key=f"x{n}", subject="s", body="b"
        )
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


def test_a_workspace_page_costs_no_extra_query_for_the_inbox(
    client, cast, kota_bekasi, django_assert_max_num_queries
):
    """The unread count is fetched by htmx after the page: pages keep their query counts."""
    Notification.objects.create(
        user=cast["bekasi"], kind="security", event_key="k", subject="s", body="b"
    )
    login(client, cast["bekasi"])
    with django_assert_max_num_queries(50) as captured:
        page = client.get(reverse("city:dashboard", args=[kota_bekasi.slug]))
    assert f'data-url="{reverse("people:inbox_badge")}"' in page.content.decode()
    assert not any("people_notification" in q["sql"] for q in captured.captured_queries)


def test_the_periodic_reminders_job_calls_the_people_reminders(
    open_round, cast, settings, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from evaluations.models import Round
    from smartcity.jobs import periodic

    _open(open_round, cast, django_capture_on_commit_callbacks)
    today = timezone.localdate()
    Round.objects.filter(pk=open_round.pk).update(
        self_assessment_opens=today - timedelta(days=20),
        self_assessment_closes=today + timedelta(days=7),
    )
    assert "smartcity.people.notifications.send_deadline_reminders" in settings.REMINDER_SENDERS
    with django_capture_on_commit_callbacks(execute=True):
        periodic.reminders()
        periodic.reminders()  # hourly: the second run of the day adds nothing
    # Kota Bekasi's operator and coordinator, Kota Bandung's operator.
    assert Notification.objects.filter(kind=NotificationKind.DEADLINE_REMINDER).count() == 3
    assert len(_mail_to("bekasi@example.id")) == 1
