"""The evaluation's long work on jobs: score template, score upload preview and import,
programme import. A score upload's size, format and dimensions are checked in the request;
a job reads and checks every row for the preview, and only the previewed file is applied, by
another job, all or nothing."""

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
from tests.factories import ensure_dimensions, make_agency, make_manager
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
    # The preview: its rows are read and checked by the worker, not in the request.
    started = client.post(url, {"file": files.upload("nilai.csv", data, "text/csv")})
    check = Job.objects.get()
    assert started["Location"] == check.get_absolute_url()
    assert (check.kind, check.state) == ("scores.preview", JobState.QUEUED)
    assert "Menunggu" in client.get(check.get_absolute_url()).content.decode()

    drain_queue()

    check.refresh_from_db()
    assert check.state == JobState.SUCCEEDED
    assert "1 level baru" in check.message
    assert (check.rows_done, check.rows_total) == (1, 1)
    assert not VerifiedScore.objects.exists()  # a preview saves nothing
    job_page = client.get(check.get_absolute_url()).content.decode()
    assert check.next_url in job_page.replace("&amp;", "&")
    preview = client.get(check.next_url)
    assert "1 level baru" in preview.content.decode()
    assert "32.75" in preview.content.decode()  # the changed row is listed
    pending = ImportUpload.objects.get()
    assert preview.context["pending"] == pending

    response = client.post(url, {"upload": pending.pk, "apply": "1"})
    job = Job.objects.get(kind="scores.import")
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
    # The preview of an applied file offers nothing to apply any more.
    gone = client.get(check.next_url)
    assert gone.status_code == 400
    assert "sudah tidak tersedia" in gone.content.decode()
    assert "Terapkan unggahan" not in gone.content.decode()


def test_a_file_with_bad_rows_fails_its_preview_job_visibly_and_keeps_nothing(
    client, round_, manager, task_queue
):
    login(client, manager)
    data = _csv(
        [
            ["32.75", "", "BL-01", "", "", "", "", 9, ""],
            ["32.99", "", "BL-01", "", "", "", "", 3, ""],
        ]
    )
    url = reverse("reviewer:scores_upload", args=[round_.slug])
    started = client.post(url, {"file": files.upload("nilai.csv", data, "text/csv")})
    drain_queue()
    job = Job.objects.get()
    assert job.state == JobState.FAILED, job.errors
    page = client.get(started["Location"]).content.decode()
    assert "Baris 2, kolom H (level)" in page, job.errors
    assert "Baris 3, kolom A (kode_wilayah)" in page
    assert not ImportUpload.objects.exists()  # nothing left to apply
    assert not VerifiedScore.objects.exists()


def test_only_the_uploader_sees_a_preview(client, round_, manager, task_queue):
    login(client, manager)
    data = _csv([["32.75", "", "BL-01", "", "", "", "", 4, ""]])
    url = reverse("reviewer:scores_upload", args=[round_.slug])
    client.post(url, {"file": files.upload("nilai.csv", data, "text/csv")})
    drain_queue()
    job = Job.objects.get()
    other = make_manager("pengelola-lain")
    login(client, other)
    assert client.get(job.next_url).status_code == 404
    assert client.get(f"{url}?preview=not-a-job").status_code == 404
    assert (
        client.post(url, {"upload": ImportUpload.objects.get().pk, "apply": "1"}).status_code == 404
    )


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
    assert not ImportUpload.objects.exists()


def test_a_huge_declared_sheet_is_refused_before_a_job_is_queued(
    client, round_, manager, task_queue
):
    from tests.tabular.workbooks import sheet_xml, workbook

    login(client, manager)
    data = workbook([("nilai", sheet_xml({(1, 1): "kode_wilayah"}, dimension="A1:I70000"))])
    response = client.post(
        reverse("reviewer:scores_upload", args=[round_.slug]),
        {"file": files.upload("nilai.xlsx", data, "application/octet-stream")},
    )
    assert response.status_code == 400
    assert "A1:I70000" in response.content.decode()
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
