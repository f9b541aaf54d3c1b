"""Structured logs as an operator's log shipper reads them: one JSON object per line, for
every request and for each domain event (round moved, publication, import, failed login)."""

from __future__ import annotations

import io
import json
import logging
from datetime import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.models import ImportUpload, RoundStatus
from evaluations.services import rounds as round_svc
from smartcity.logs import formatter
from tests.conftest import login
from tests.reviewer import factories as rf

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """The JSON lines the production formatter writes, parsed; read them with ``lines()``."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter("json"))
    root = logging.getLogger()
    root.addHandler(handler)

    def lines(event: str | None = None) -> list[dict]:
        parsed = [json.loads(line) for line in stream.getvalue().splitlines()]
        return [p for p in parsed if event is None or p["event"] == event]

    yield lines
    root.removeHandler(handler)


def test_one_line_per_request_with_everything_an_operator_needs(client, bekasi, json_lines):
    login(client, bekasi)
    url = reverse("city:dashboard", args=[bekasi.region_memberships.get().region.slug])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 200
    [line] = json_lines("request")
    assert line["request_id"] == response["X-Request-ID"]
    assert (line["method"], line["path"], line["status"]) == ("GET", url, 200)
    assert line["user_id"] == bekasi.pk
    assert line["client_ip"] == "198.51.100.7"
    assert line["queries"] == len(queries)
    assert isinstance(line["duration_ms"], float)
    assert line["duration_ms"] > 0
    stamp = datetime.fromisoformat(line["timestamp"])
    assert stamp.utcoffset() is not None  # time with its zone
    assert (line["level"], line["logger"]) == ("info", "smartcity.requests")


def test_the_client_address_follows_the_trusted_proxy_rule(client, settings, json_lines):
    settings.PROXY_COUNT = 1
    client.get(
        "/methodology/",
        REMOTE_ADDR="10.0.0.2",  # the proxy
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9",  # a spoofed entry, then the proxy's
    )
    [line] = json_lines("request")
    assert line["client_ip"] == "203.0.113.9"
    assert line["user_id"] is None


def test_a_proxy_request_id_is_kept_and_a_bad_one_replaced(client, json_lines):
    kept = client.get("/methodology/", HTTP_X_REQUEST_ID="lb-7f3a9c1e2b")
    assert kept["X-Request-ID"] == "lb-7f3a9c1e2b"
    replaced = client.get("/methodology/", HTTP_X_REQUEST_ID="<script>")
    assert len(replaced["X-Request-ID"]) == 32
    assert [line["request_id"] for line in json_lines("request")] == [
        "lb-7f3a9c1e2b",
        replaced["X-Request-ID"],
    ]


def test_events_logged_during_a_request_carry_its_id(client, json_lines, settings):
    settings.AXES_ENABLED = False
    response = client.post(reverse("login"), {"username": "nobody", "password": "wrong"})
    [failed] = json_lines("login.failed")
    assert failed["request_id"] == response["X-Request-ID"]
    assert failed["known_account"] is False
    assert "password" not in json.dumps(failed)
    assert "nobody" not in json.dumps(failed)


def test_a_failed_login_names_a_real_account_by_id(client, bekasi, json_lines, settings):
    settings.AXES_ENABLED = False
    client.post(
        reverse("login"), {"username": "bekasi", "password": "wrong"}, REMOTE_ADDR="192.0.2.4"
    )
    [failed] = json_lines("login.failed")
    assert (failed["user_id"], failed["client_ip"], failed["level"]) == (
        bekasi.pk,
        "192.0.2.4",
        "warning",
    )


def test_round_moves_and_publication_are_events(
    kota_bekasi, kota_bandung, manager, json_lines, django_capture_on_commit_callbacks
):
    round_ = rf.make_review_round([kota_bekasi, kota_bandung], status=RoundStatus.REVIEW)
    for participation in round_.participations.all():
        rf.verify(participation, manager, level=3)
    with django_capture_on_commit_callbacks(execute=True):
        round_svc.round_finalise(round=round_, by=manager)
        round_svc.round_publish(round=round_, by=manager)
    moves = [(e["from_status"], e["to_status"]) for e in json_lines("round.moved")]
    assert moves == [("review", "finalised"), ("finalised", "published")]
    [published] = json_lines("results.published")
    assert (published["round"], published["publication"], published["results"]) == (
        round_.slug,
        1,
        2,
    )
    assert published["user_id"] == manager.pk


def test_an_event_rolled_back_is_not_logged(
    kota_bekasi, manager, json_lines, django_capture_on_commit_callbacks
):
    round_ = rf.make_review_round([kota_bekasi], status=RoundStatus.REVIEW)

    def move_then_fail() -> None:
        with transaction.atomic():
            round_svc._move(round_, RoundStatus.FINALISED, by=manager)
            raise RuntimeError("the transaction fails after the move")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        move_then_fail()
    assert json_lines("round.moved") == []


def test_an_import_is_an_event(
    client, kota_bekasi, kota_bandung, manager, json_lines, django_capture_on_commit_callbacks
):
    import csv

    from evaluations.services import scores_io
    from tests.city import files

    round_ = rf.make_review_round([kota_bekasi, kota_bandung])
    buffer = io.StringIO()
    csv.writer(buffer).writerows([scores_io.COLUMNS, ["32.75", "", "BL-01", "", "", "", "", 4, ""]])
    login(client, manager)
    url = reverse("reviewer:scores_upload", args=[round_.slug])
    # Checked by one job (the preview), applied by another.
    client.post(url, {"file": files.upload("nilai.csv", buffer.getvalue().encode(), "text/csv")})
    pending = ImportUpload.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"upload": pending.pk, "apply": "1"})
    [event] = json_lines("import.scores")
    assert (event["round"], event["created"], event["user_id"]) == (round_.slug, 1, manager.pk)


def test_development_logs_are_readable_text(client):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter("text"))
    logging.getLogger("smartcity.requests").addHandler(handler)
    try:
        client.get("/methodology/")
    finally:
        logging.getLogger("smartcity.requests").removeHandler(handler)
    line = stream.getvalue().strip()
    assert not line.startswith("{")
    assert "request" in line
    assert "status=200" in line
    assert "path=/methodology/" in line
