"""A background job watched in the browser: the manager asks for a round's score template,
lands on the job's page while it waits in the queue, and sees it finish without reloading
(htmx polls the status fragment) once a worker has run it; then downloads the file."""

from __future__ import annotations

import csv

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from evaluations.services.scores_io import COLUMNS
from smartcity.jobs.models import Job, JobState
from tests.browser.conftest import login_as, screenshot
from tests.reviewer import factories as rf

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_job_page_follows_the_worker_without_a_reload(
    page: Page, live_server, kota_bekasi, kota_bandung, manager, task_queue, axe, console_errors
):
    round_ = rf.make_review_round([kota_bekasi, kota_bandung])
    login_as(page, live_server, "manager")
    page.goto(f"{live_server.url}/review/rounds/{round_.slug}/")
    page.get_by_role("button", name="Templat nilai CSV").click()

    expect(page.get_by_role("status")).to_contain_text("Menunggu")
    expect(page.get_by_text("Menunggu giliran di antrean")).to_be_visible()
    screenshot(page, "job-01-queued")
    violations = axe()
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
    job = Job.objects.get()
    assert job.state == JobState.QUEUED
    # Marks the document: a reload would lose it, an htmx swap keeps it.
    page.evaluate("document.body.dataset.sameDocument = 'yes'")

    call_command("worker", batch=True, verbosity=0)

    expect(page.get_by_text("Pekerjaan selesai.")).to_be_visible(timeout=10_000)
    expect(page.get_by_role("status")).to_contain_text("Selesai")
    assert page.evaluate("document.body.dataset.sameDocument") == "yes"
    expect(page.get_by_text("20 dari 20 baris")).to_be_visible()
    screenshot(page, "job-02-done")
    violations = axe()
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
    with page.expect_download() as info:
        page.get_by_role("link", name=f"Unduh nilai-{round_.slug}.csv").click()
    with open(info.value.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == COLUMNS
    assert len(rows) == 21

    # Reloading shows the same state: it is kept in the database.
    page.reload()
    expect(page.get_by_text("Pekerjaan selesai.")).to_be_visible()
    assert console_errors == []


def test_the_404_page_keeps_the_layout_at_phone_width(page: Page, live_server, axe):
    page.set_viewport_size({"width": 390, "height": 800})
    response = page.goto(f"{live_server.url}/tidak-ada/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", name="Halaman tidak ditemukan")).to_be_visible()
    screenshot(page, "error-404-phone")
    violations = axe()
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
    page.get_by_role("link", name="Kembali ke beranda").click()
    assert page.url == f"{live_server.url}/"
