"""Mail through a real SMTP server: aiosmtpd listens on a free loopback port, the portal
sends with Django's SMTP backend, and the test reads the messages back as a mail client
would, the calendar attachment included. Runs everywhere (aiosmtpd is a test dependency)."""

from __future__ import annotations

import email
import socket
from datetime import date
from email.message import EmailMessage
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller

from evaluations.models import RoundStatus
from evaluations.services import field_reviews as field_review_services
from smartcity.people import services
from tests import factories
from tests.people.conftest import LINK, with_email

pytestmark = pytest.mark.django_db


class Inbox:
    """aiosmtpd handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 10},
        }
    }
    settings.DEFAULT_FROM_EMAIL = "Portal Smart City <noreply@portal.example.id>"
    yield inbox
    controller.stop()


def test_field_review_mail_arrives_with_its_calendar_entry(
    smtp_server, reviewer, bekasi, kota_bekasi, django_capture_on_commit_callbacks
):
    with_email(bekasi)
    with_email(reviewer)
    round_ = factories.make_round(year=2099, status=RoundStatus.REVIEW)
    participation = factories.make_participation(round_, kota_bekasi)
    factories.assign(participation, reviewer, lead=True)
    with django_capture_on_commit_callbacks(execute=True):
        field_review_services.field_review_schedule(
            participation=participation,
            by=reviewer,
            mode="on_site",
            location="Kantor Wali Kota Bekasi",
            start_date=date(2099, 5, 6),
            end_date=date(2099, 5, 7),
        )
    assert sorted(rcpt[0] for rcpt, _m in smtp_server.messages) == [
        "bekasi@example.id",
        "reviewer@example.id",
    ]
    for _rcpt, message in smtp_server.messages:
        assert message["Subject"] == "Tinjauan lapangan Kota Bekasi dijadwalkan"
        assert message["From"] == "Portal Smart City <noreply@portal.example.id>"
        assert message["Message-ID"].startswith("<notification-")
        body = message.get_body(preferencelist=("plain",)).get_content()
        assert "6 Mei 2099 sampai 7 Mei 2099" in body
        calendars = [
            part
            for part in message.iter_attachments()
            if part.get_content_type() == "text/calendar"
        ]
        assert len(calendars) == 1
        assert calendars[0].get_filename() == "tinjauan-lapangan.ics"
        ics = calendars[0].get_content()
        assert "BEGIN:VEVENT" in ics
        assert "DTSTART;VALUE=DATE:20990506" in ics
        assert "LOCATION:Kantor Wali Kota Bekasi" in ics


def test_an_invitation_link_arrives_and_a_retry_sends_nothing_more(
    smtp_server, manager, django_capture_on_commit_callbacks
):
    from smartcity.people.tasks import send_invitation_email

    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            by=manager, email="ani@kominfo.go.id", full_name="Ani", role="reviewer", language="en"
        )
    send_invitation_email.enqueue(invitation.pk, 1)  # the job run again
    assert len(smtp_server.messages) == 1
    rcpt, message = smtp_server.messages[0]
    assert rcpt == ["ani@kominfo.go.id"]
    assert message["Subject"] == "Invitation to the Smart City Evaluation Portal"
    assert LINK.search(message.get_body(preferencelist=("plain",)).get_content())
