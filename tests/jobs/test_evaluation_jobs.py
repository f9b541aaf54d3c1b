"""The evaluation's long work on jobs: score template, score import, programme import.
An upload is read and previewed (bounded reader) in the request; only the previewed file is
applied, by the job, all or nothing."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from evaluations.models import ImportUpload, Programme, VerifiedScore
from evaluations.services import scores_io
from smartcity.jobs.models import Job, JobState
from tests.city import files
from tests.city.test_programme_import import HEADER, _row
from tests.conftest import drain_queue, job_result, login
from tests.factories import ensure_dimensions, make_agency
from tests.reviewer import factories as rf

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(kota_bekasi, kota_bandung):
    return rf.make_review_round([kota_bekasi, kota_bandung])


def _csv(rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([scores_io.COLUMNS, *rows])
    return buffer.getvalue().encode()


def test_the_template_is_built_by_a_job_and_downloaded_from_its_page(client, round_, manager):
    login(client, manager)
    url = reverse("reviewer:scores_template", args=[round_.slug, "csv"])
    assert 'method="post"' in client.get(url).content.decode()  # GET changes nothing
    assert not Job.objects.exists()

    response = client.post(url)
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert (job.kind, job.state, job.rows_total, job.rows_done) == (
        "scores.template",
        JobState.SUCCEEDED,
        20,
        20,
    )
    rows = list(csv.reader(io.StringIO(job_result(client, response).decode("utf-8-sig"))))
    assert rows[0] == scores_io.COLUMNS
    assert len(rows) == 1 + 2 * 10  # two participants × ten indicators


def test_a_score_upload_waits_in_the_queue_and_the_worker_applies_it(
    client, round_, manager, task_queue
):
    login(client, manager)
    data = _csv([["32.75", "", "BL-01", "", "", "", "", 4, "ok"]])
    url = reverse("reviewer:scores_upload", args=[round_.slug])
    preview = client.post(url, {"file": files.upload("nilai.csv", data, "text/csv")})
    assert "1 level baru" in preview.content.decode()
    assert not Job.objects.exists()  # a preview queues nothing
    pending = ImportUpload.objects.get()
    response = client.post(url, {"upload": pending.pk, "apply": "1"})
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.state == JobState.QUEUED
    assert not VerifiedScore.objects.exists()  # nothing happens in the request

    drain_queue()

    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    assert "1 level baru" in job.message
    assert VerifiedScore.objects.get().level == 4
    assert not job.input_file  # the upload is not kept once the job is done
    page = client.get(job.get_absolute_url()).content.decode()
    assert reverse("reviewer:round", args=[round_.slug]) in page


def test_too_many_rows_are_refused_before_a_job_is_queued(client, round_, manager, task_queue):
    login(client, manager)
    rows = [["32.75", "", "BL-01", "", "", "", "", 1, ""]] * (scores_io.MAX_ROWS + 1)
    response = client.post(
        reverse("reviewer:scores_upload", args=[round_.slug]),
        {"file": files.upload("nilai.csv", _csv(rows), "text/csv")},
    )
    assert response.status_code == 400
    assert "Paling banyak 50000 baris data sekali unggah." in response.content.decode()
    assert not Job.objects.exists()


def test_a_programme_import_runs_as_a_job_for_the_operator(client, kota_bekasi, bekasi):
    ensure_dimensions()
    make_agency(kota_bekasi, "DPMPTSP").__class__.objects.filter(region=kota_bekasi).update(
        acronym="DPMPTSP"
    )
    login(client, bekasi)
    url = reverse("city:programme_import", args=[kota_bekasi.slug])
    client.post(
        url, {"file": files.upload("program.xlsx", files.xlsx([HEADER, _row(), _row(title="B")]))}
    )
    assert not Programme.objects.filter(region=kota_bekasi).exists()  # previewed only
    pending = ImportUpload.objects.get()
    response = client.post(url, {"upload": pending.pk, "apply": "1"}, follow=True)
    page = response.content.decode()
    assert "2 program ditambahkan, 0 diubah." in page
    assert reverse("city:programme_list", args=[kota_bekasi.slug]) in page
    assert Programme.objects.filter(region=kota_bekasi).count() == 2
    job = Job.objects.get()
    assert (job.owner, job.state, job.rows_done) == (bekasi, JobState.SUCCEEDED, 2)
