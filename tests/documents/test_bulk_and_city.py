"""A manager downloads every letter of a round as one ZIP (a background job with progress);
each region downloads its own letters and minutes, never another's, never unpublished."""

from __future__ import annotations

import csv
import io
import zipfile
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from evaluations.documents import services as doc_svc
from evaluations.documents.models import Document, NumberCounter
from evaluations.models import Round, RoundStatus
from evaluations.services import rounds as round_svc
from smartcity.jobs.models import Job, JobState
from tests.conftest import login
from tests.documents.conftest import LETTERHEAD

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(published, manager) -> dict[str, Document]:
    letters = doc_svc.letters_issue(round=published.scenario.round, by=manager)
    minutes = doc_svc.minutes_issue(
        participation=published.scenario.bekasi,
        by=manager,
        region_signatory=published.region_signatory,
    )
    by_region = {d.participation.region.slug: d for d in letters}
    return {
        "bekasi_letter": by_region["kota-bekasi"],
        "bandung_letter": by_region["kota-bandung"],
        "bekasi_minutes": minutes,
    }


def _zip_job(client, published) -> Job:
    response = client.post(reverse("documents:letters_zip", args=[published.scenario.round.slug]))
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    return job


def test_a_manager_gets_every_letter_in_one_zip_from_a_background_job(
    transactional_db, client, manager, published, issued, task_queue
):
    # transactional_db: the worker closes its database connection after a task, which on
    # PostgreSQL would end a test wrapped in one transaction.
    login(client, manager)
    job = _zip_job(client, published)
    job.refresh_from_db()
    assert job.state == JobState.QUEUED  # nothing rendered in the request
    call_command("worker", batch=True)
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.errors
    assert (job.percent, job.rows_done, job.rows_total) == (100, 2, 2)
    page = client.get(job.get_absolute_url())
    assert "2 surat hasil dikemas dalam satu berkas ZIP." in page.content.decode()
    download = client.get(reverse("jobs:download", args=[job.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = sorted(archive.namelist())
    assert names == sorted(
        ["daftar-surat.csv", issued["bekasi_letter"].filename, issued["bandung_letter"].filename]
    )
    assert archive.read(issued["bekasi_letter"].filename).startswith(b"%PDF-")
    rows = list(csv.DictReader(io.StringIO(archive.read("daftar-surat.csv").decode())))
    assert [r["nomor"] for r in rows] == [
        issued["bekasi_letter"].number,
        issued["bandung_letter"].number,
    ]
    stored = Document.objects.get(pk=issued["bekasi_letter"].pk)
    assert rows[0]["sha256"] == stored.pdf_sha256
    assert rows[0]["kode_verifikasi"] == stored.code


def test_the_zip_job_is_for_managers_only(client, reviewer, bekasi, published, issued):
    for user in (reviewer, bekasi):
        login(client, user)
        response = client.post(
            reverse("documents:letters_zip", args=[published.scenario.round.slug])
        )
        assert response.status_code == 403
    assert not Job.objects.exists()


def test_a_city_lists_and_downloads_its_own_letters_and_minutes(client, bekasi, issued):
    login(client, bekasi)
    page = client.get(reverse("documents:city_list", args=["kota-bekasi"]))
    text = page.content.decode()
    assert page.status_code == 200
    assert issued["bekasi_letter"].number in text
    assert issued["bekasi_minutes"].number in text
    assert issued["bandung_letter"].number not in text
    for key in ("bekasi_letter", "bekasi_minutes"):
        response = client.get(
            reverse("documents:city_download", args=["kota-bekasi", issued[key].pk]),
            {"download": "1"},
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response.content.startswith(b"%PDF-")


def test_a_city_never_reaches_another_citys_documents(client, bekasi, bandung, issued):
    login(client, bekasi)
    # Bandung's letter through Bekasi's workspace, and through Bandung's workspace.
    other = issued["bandung_letter"].pk
    assert (
        client.get(reverse("documents:city_download", args=["kota-bekasi", other])).status_code
        == 404
    )
    assert (
        client.get(reverse("documents:city_download", args=["kota-bandung", other])).status_code
        == 404
    )
    assert client.get(reverse("documents:city_list", args=["kota-bandung"])).status_code == 404
    login(client, bandung)
    mine = client.get(reverse("documents:city_list", args=["kota-bandung"])).content.decode()
    assert issued["bandung_letter"].number in mine
    assert issued["bekasi_minutes"].number not in mine


def test_a_city_keeps_its_letter_under_correction_and_loses_it_on_withdrawal(
    client, bekasi, manager, published, issued
):
    """Like its results: a re-opened round's last publication stays public (with a notice on
    the verification page); a withdrawn round's documents leave the workspace."""
    round_svc.round_reopen(round=published.scenario.round, by=manager, reason="Koreksi")
    login(client, bekasi)
    url = reverse("documents:city_download", args=["kota-bekasi", issued["bekasi_letter"].pk])
    assert client.get(url).status_code == 200
    round_svc.round_withdraw(round=published.scenario.round, by=manager, reason="Data keliru")
    text = client.get(reverse("documents:city_list", args=["kota-bekasi"])).content.decode()
    assert issued["bekasi_letter"].number not in text
    assert issued["bekasi_minutes"].number not in text
    assert client.get(url).status_code == 404


def test_the_city_list_runs_a_fixed_number_of_queries(
    client, bekasi, issued, django_assert_num_queries
):
    login(client, bekasi)
    url = reverse("documents:city_list", args=["kota-bekasi"])
    client.get(url)
    # session, user, membership and region, documents with everything they show.
    with django_assert_num_queries(4):
        client.get(url)


def _count(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_document_pages_run_as_many_queries_with_more_documents(
    client, manager, bekasi, issued, published
):
    """An N+1 would grow with the rows: three documents, then five."""
    round_url = reverse("documents:round", args=[published.scenario.round.slug])
    city_url = reverse("documents:city_list", args=["kota-bekasi"])
    login(client, manager)
    client.get(round_url)
    before = _count(client, round_url)
    login(client, bekasi)
    city_before = _count(client, city_url)
    scenario = published.scenario
    round_svc.round_reopen(round=scenario.round, by=manager, reason="Koreksi")
    round_svc.round_finalise(round=scenario.round, by=manager)
    round_svc.round_publish(round=scenario.round, by=manager, note="Koreksi")
    doc_svc.letters_issue(round=scenario.round, by=manager)
    assert Document.objects.count() == 5
    assert _count(client, city_url) == city_before
    login(client, manager)
    assert _count(client, round_url) == before
    assert before <= 12


def test_issued_letters_are_rendered_by_the_worker_not_the_request(
    transactional_db, published, manager, task_queue
):
    letters = doc_svc.letters_issue(round=published.scenario.round, by=manager)  # commits
    assert not Document.objects.exclude(pdf="").exists()  # queued, not rendered
    call_command("worker", batch=True)
    stored = Document.objects.filter(pk__in=[d.pk for d in letters])
    assert all(d.pdf and len(d.pdf_sha256) == 64 for d in stored)
    # A download now reads the stored file.
    first = stored.first()
    with first.pdf.open("rb") as handle:
        on_disk = handle.read()
    assert doc_svc.document_pdf(Document.objects.get(pk=first.pk)) == on_disk


def test_the_demo_resets_even_after_letters_were_issued(db):
    """``load_demo --reset`` purges the demo rounds' documents (the one deleting path); the
    number register keeps counting, so no number is handed out twice."""
    call_command("load_reference", verbosity=0)
    call_command("load_demo", stdout=StringIO())
    round_ = Round.objects.filter(status=RoundStatus.PUBLISHED).order_by("-year").first()
    assert round_ is not None
    manager = User.objects.get(username="manager")
    doc_svc.letterhead_set(round=round_, by=manager, **LETTERHEAD)
    issued = doc_svc.letters_issue(round=round_, by=manager)
    last = NumberCounter.objects.get().last
    assert last == len(issued)
    call_command("load_demo", "--reset", stdout=StringIO())
    assert not Document.objects.exists()
    assert NumberCounter.objects.get().last == last
