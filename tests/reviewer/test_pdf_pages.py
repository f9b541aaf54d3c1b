"""A PDF of evidence is previewed beside the indicator as images of its first pages.

Chromium shows no PDF inside a sandboxed frame, so the server renders the first pages (a
background job, bounded: pages, pixels, memory, time) and the preview shows them: images
only, nothing of the file runs in the reader's browser. The images are served with the
rights of the download, and a PDF that cannot be shown says why, never an error page.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from evaluations import pdf_pages
from evaluations.models import Evidence, EvidencePreview, PreviewProblem, PreviewState
from evaluations.services import evidence as evidence_service
from evaluations.services import evidence_previews
from smartcity.jobs.models import Job
from tests import pdfs
from tests.conftest import drain_queue, login

pytestmark = pytest.mark.django_db


# --- Rendering bounds (the child process) ----------


def render(tmp_path: Path, data: bytes, limits: pdf_pages.Limits | None = None):
    source = tmp_path / "source.pdf"
    source.write_bytes(data)
    out = tmp_path / "pages"
    out.mkdir()
    return pdf_pages.render_pages(source, out, limits)


def test_only_the_first_ten_pages_are_rendered_and_the_count_is_the_documents(tmp_path):
    outcome = render(tmp_path, pdfs.with_pages(12))
    assert outcome.problem == ""
    assert outcome.page_count == 12
    assert len(outcome.pages) == pdf_pages.Limits().max_pages == 10
    first = outcome.pages[0]
    # A4 at 1,000 pixels wide: legible beside the indicator, about 1.4 megapixels.
    assert first.width == 1000
    assert first.height in {1415, 1416}
    with Image.open(first.path) as image:
        assert image.format == "WEBP"
        assert image.size == (first.width, first.height)
        # Page 1's frame is drawn in blue at the top: the image is the page, not a blank.
        pixel = image.convert("RGB").getpixel((int(45 * 1000 / 595), 300))
        assert isinstance(pixel, tuple)
        assert pixel[2] > 200


@pytest.mark.parametrize(
    ("size", "bound"),
    [
        ((1000, 3000), "pixels"),  # 1,000 px wide would be 3 megapixels
        ((595, 14400), "side"),  # a 5 m strip: its long side is capped
        ((14400, 14400), "width"),  # PDF's largest page: as wide as any other
    ],
)
def test_a_page_never_exceeds_the_pixel_and_side_caps(tmp_path, size, bound):
    limits = pdf_pages.Limits()
    page = render(tmp_path, pdfs.blank(*size)).pages[0]
    assert page.width * page.height <= limits.max_pixels
    assert max(page.width, page.height) <= limits.max_side
    if bound == "pixels":
        assert page.width * page.height > 0.99 * limits.max_pixels
    elif bound == "side":
        assert page.height == limits.max_side
    else:
        assert page.width == limits.target_width


def test_a_stamp_sized_page_is_not_blown_up(tmp_path):
    page = render(tmp_path, pdfs.blank(10, 10)).pages[0]
    assert (page.width, page.height) == (40, 40)  # max_scale 4


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (pdfs.DAMAGED, pdf_pages.DAMAGED),
        (b"%PDF-1.4\n" + b"\x00" * 2000, pdf_pages.DAMAGED),
        (pdfs.encrypted(), pdf_pages.ENCRYPTED),
    ],
    ids=["damaged", "zeros", "encrypted"],
)
def test_a_pdf_that_cannot_be_opened_is_a_problem_not_an_exception(tmp_path, data, problem):
    outcome = render(tmp_path, data)
    assert (outcome.problem, outcome.pages) == (problem, [])


def test_a_rendering_past_its_memory_cap_is_too_heavy(tmp_path):
    # A 14,400-point page at 7,000 px a side is a 200 MB bitmap; the child may have 200 MB.
    limits = pdf_pages.Limits(
        target_width=7000, max_side=7000, max_pixels=50_000_000, memory_bytes=200 * 2**20
    )
    assert render(tmp_path, pdfs.blank(14400, 14400), limits).problem == pdf_pages.TOO_HEAVY
    # The same page within the portal's limits renders, small.
    again = tmp_path / "again"
    again.mkdir()
    assert render(again, pdfs.blank(14400, 14400)).pages[0].width == 1000


def test_a_rendering_past_its_time_limit_is_killed(tmp_path):
    started = timezone.now()
    outcome = render(tmp_path, pdfs.with_pages(10), pdf_pages.Limits(wall_seconds=0.05))
    assert outcome.problem == pdf_pages.TOO_HEAVY
    assert timezone.now() - started < timedelta(seconds=5)


def test_the_child_gets_nothing_of_the_workers_environment(tmp_path, monkeypatch):
    # A PDFium exploit in the child must find no credentials to take.
    monkeypatch.setenv("SECRET_KEY", "geheim-secret")
    monkeypatch.setenv("DATABASE_URL", "postgres://portal:secret@db/smartcity")
    with mock.patch.object(pdf_pages.subprocess, "run", wraps=pdf_pages.subprocess.run) as run:
        outcome = render(tmp_path, pdfs.with_pages(1))
    assert outcome.problem == ""
    assert len(outcome.pages) == 1
    environment = run.call_args.kwargs["env"]
    assert "SECRET_KEY" not in environment
    assert "DATABASE_URL" not in environment
    assert not any("secret" in value for value in environment.values())


@pytest.mark.parametrize(
    "name", ["/etc/passwd", "../source.pdf", "pages/../../x.webp", "page-1.png", 7, None]
)
def test_a_report_naming_a_file_it_should_not_is_refused(tmp_path, name):
    # The child is untrusted too: the worker uploads only page images it asked for, from the
    # output folder (a compromised child could otherwise have it publish any readable file).
    report = {"problem": "", "page_count": 1, "pages": [{"file": name, "width": 1, "height": 1}]}
    finished = mock.Mock(returncode=0, stdout=json.dumps(report).encode())
    with mock.patch.object(pdf_pages.subprocess, "run", return_value=finished):
        outcome = render(tmp_path, pdfs.with_pages(1))
    assert (outcome.problem, outcome.pages) == (pdf_pages.TOO_HEAVY, [])


# --- The panel beside the indicator ----------


def pdf_evidence(participation, data: bytes, title: str = "Perwal Smart City") -> Evidence:
    """A PDF attached to the participation's first answer."""
    item = Evidence(region=participation.region, title=title)
    item.original_name = "perwal.pdf"
    item.content_type = "application/pdf"
    item.file.save("perwal.pdf", ContentFile(data), save=True)
    participation.answers.order_by("indicator__order").first().evidence.add(item)
    return item


def pages_url(participation, evidence) -> str:
    return reverse("reviewer:evidence_pages", args=[participation.pk, evidence.pk])


def page_url(participation, evidence, number: int) -> str:
    return reverse("reviewer:evidence_page", args=[participation.pk, evidence.pk, number])


def htmx_get(client, url):
    return client.get(url, headers={"HX-Request": "true"})


def test_the_scoring_page_opens_a_pdf_as_page_images_when_asked(client, scenario, reviewer):
    login(client, reviewer)
    item = pdf_evidence(scenario.bekasi, pdfs.with_pages(3))
    html = client.get(reverse("reviewer:participation", args=[scenario.bekasi.pk])).text
    # Nothing is rendered until the preview is opened: htmx asks when the <details> opens.
    assert f'data-hx-get="{pages_url(scenario.bekasi, item)}"' in html
    assert 'data-hx-trigger="toggle once from:closest details"' in html
    assert not EvidencePreview.objects.exists()


def test_a_reviewer_sees_the_first_pages_with_their_numbers(client, scenario, reviewer):
    login(client, reviewer)
    item = pdf_evidence(scenario.bekasi, pdfs.with_pages(12))
    response = htmx_get(client, pages_url(scenario.bekasi, item))
    assert response.status_code == 200
    html = response.text
    assert "data-hx-trigger" not in html  # ready: no more polling
    sources = re.findall(r'<img src="([^"]+)" alt="([^"]+)"', html)
    assert [alt for _, alt in sources] == [f"Halaman {n} dari 12" for n in range(1, 11)]
    assert sources[0][0] == page_url(scenario.bekasi, item, 1)
    assert "10 halaman pertama dari 12 ditampilkan." in html
    assert reverse("reviewer:evidence", args=[scenario.bekasi.pk, item.pk]) in html
    image = client.get(page_url(scenario.bekasi, item, 1))
    assert image.status_code == 200
    assert image["Content-Type"] == "image/webp"
    assert image["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in image["Content-Security-Policy"]
    assert "default-src 'none'" in image["Content-Security-Policy"]
    assert "no-store" in image["Cache-Control"]
    assert b"".join(image.streaming_content)[8:12] == b"WEBP"
    assert client.get(page_url(scenario.bekasi, item, 11)).status_code == 404
    assert client.get(page_url(scenario.bekasi, item, 0)).status_code == 404


def test_in_english_the_pages_are_named_in_english(client, scenario, reviewer):
    login(client, reviewer)
    item = pdf_evidence(scenario.bekasi, pdfs.with_pages(2))
    client.cookies["django_language"] = "en"
    html = htmx_get(client, pages_url(scenario.bekasi, item)).text
    assert 'alt="Page 1 of 2"' in html


def test_without_javascript_the_pages_open_on_a_page_of_their_own(client, scenario, reviewer):
    login(client, reviewer)
    item = pdf_evidence(scenario.bekasi, pdfs.with_pages(2))
    response = client.get(pages_url(scenario.bekasi, item))
    assert response.status_code == 200
    assert "<html" in response.text
    assert 'alt="Halaman 2 dari 2"' in response.text


@pytest.mark.usefixtures("task_queue")
def test_the_panel_says_it_is_preparing_and_polls_until_the_job_is_done(client, scenario, reviewer):
    login(client, reviewer)
    item = pdf_evidence(scenario.bekasi, pdfs.with_pages(2))
    first = htmx_get(client, pages_url(scenario.bekasi, item)).text
    assert "Menyiapkan pratinjau halaman" in first
    assert f'data-hx-get="{pages_url(scenario.bekasi, item)}"' in first
    assert 'data-hx-trigger="every 1s"' in first
    # A long wait (no worker running) is asked about less and less often.
    job = Job.objects.get(kind=evidence_previews.PREVIEW_KIND)
    for waited, every in ((30, "3s"), (120, "10s")):
        Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(seconds=waited))
        assert (
            f'data-hx-trigger="every {every}"'
            in htmx_get(client, pages_url(scenario.bekasi, item)).text
        )
    # More readers, more looks: still one job.
    htmx_get(client, pages_url(scenario.bekasi, item))
    assert Job.objects.filter(kind=evidence_previews.PREVIEW_KIND).count() == 1
    assert client.get(page_url(scenario.bekasi, item, 1)).status_code == 404
    drain_queue()
    done = htmx_get(client, pages_url(scenario.bekasi, item)).text
    assert "data-hx-trigger" not in done
    assert 'alt="Halaman 1 dari 2"' in done
    assert client.get(page_url(scenario.bekasi, item, 2)).status_code == 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (pdfs.DAMAGED, evidence_previews.PROBLEM_MESSAGES[PreviewProblem.DAMAGED]),
        (pdfs.encrypted(), evidence_previews.PROBLEM_MESSAGES[PreviewProblem.ENCRYPTED]),
    ],
    ids=["damaged", "encrypted"],
)
def test_a_pdf_that_cannot_be_shown_says_why_and_offers_the_download(
    client, scenario, reviewer, data, message
):
    login(client, reviewer)
    item = pdf_evidence(scenario.bekasi, data)
    response = htmx_get(client, pages_url(scenario.bekasi, item))
    assert response.status_code == 200
    assert str(message) in response.text
    assert reverse("reviewer:evidence", args=[scenario.bekasi.pk, item.pk]) in response.text
    assert "data-hx-trigger" not in response.text
    assert client.get(page_url(scenario.bekasi, item, 1)).status_code == 404


def test_a_pdf_too_heavy_for_the_bounds_says_so(client, scenario, reviewer, monkeypatch):
    monkeypatch.setattr(evidence_previews, "LIMITS", pdf_pages.Limits(wall_seconds=0.05))
    login(client, reviewer)
    item = pdf_evidence(scenario.bekasi, pdfs.with_pages(3))
    response = htmx_get(client, pages_url(scenario.bekasi, item))
    assert response.status_code == 200
    assert str(evidence_previews.PROBLEM_MESSAGES[PreviewProblem.TOO_HEAVY]) in response.text
    preview = EvidencePreview.objects.get(evidence=item)
    assert (preview.state, preview.problem) == (PreviewState.FAILED, PreviewProblem.TOO_HEAVY)


def test_a_job_that_crashed_shows_a_message_then_is_tried_again_later(client, scenario, reviewer):
    login(client, reviewer)
    item = pdf_evidence(scenario.bekasi, pdfs.with_pages(1))
    with mock.patch.object(evidence_previews.pdf_pages, "render_pages", side_effect=RuntimeError):
        response = htmx_get(client, pages_url(scenario.bekasi, item))
    assert response.status_code == 200
    assert str(evidence_previews.PREVIEW_JOB_FAILED) in response.text
    assert "data-hx-trigger" not in response.text  # no loop of failing jobs
    assert htmx_get(client, pages_url(scenario.bekasi, item)).text.count("<img") == 0
    assert Job.objects.filter(kind=evidence_previews.PREVIEW_KIND).count() == 1
    Job.objects.update(finished_at=timezone.now() - evidence_previews.RETRY_AFTER * 2)
    again = htmx_get(client, pages_url(scenario.bekasi, item)).text
    assert 'alt="Halaman 1 dari 1"' in again
    assert Job.objects.filter(kind=evidence_previews.PREVIEW_KIND).count() == 2


def test_an_image_has_no_page_images(client, scenario, reviewer):
    login(client, reviewer)
    photo = Evidence(region=scenario.bekasi.region, title="Foto")
    photo.original_name = "foto.png"
    photo.content_type = "image/png"
    photo.file.save("foto.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    scenario.bekasi.answers.first().evidence.add(photo)
    assert htmx_get(client, pages_url(scenario.bekasi, photo)).status_code == 404


# --- Storage: keyed by the file's hash ----------


def test_the_same_file_uploaded_twice_is_rendered_once(client, scenario, reviewer):
    login(client, reviewer)
    data = pdfs.with_pages(2)
    first = pdf_evidence(scenario.bekasi, data, title="Perwal")
    second = pdf_evidence(scenario.bekasi, data, title="Perwal (lagi)")
    htmx_get(client, pages_url(scenario.bekasi, first))
    with mock.patch.object(evidence_previews.pdf_pages, "render_pages") as renderer:
        html = htmx_get(client, pages_url(scenario.bekasi, second)).text
    renderer.assert_not_called()
    assert 'alt="Halaman 2 dari 2"' in html
    one, two = (EvidencePreview.objects.get(evidence=e) for e in (first, second))
    assert one.sha256 == two.sha256
    assert len(one.sha256) == 64
    assert one.pages == two.pages
    assert one.pages[0]["name"].startswith(f"evidence-previews/{one.sha256}/v1/")


def test_a_replaced_file_is_rendered_again(client, scenario, reviewer):
    login(client, reviewer)
    item = pdf_evidence(scenario.bekasi, pdfs.with_pages(1))
    htmx_get(client, pages_url(scenario.bekasi, item))
    item.file.save("perwal-baru.pdf", ContentFile(pdfs.with_pages(3)), save=True)
    assert 'alt="Halaman 3 dari 3"' in htmx_get(client, pages_url(scenario.bekasi, item)).text


def test_a_page_image_gone_from_the_storage_is_not_found_not_an_error(client, scenario, reviewer):
    login(client, reviewer)
    item = pdf_evidence(scenario.bekasi, pdfs.with_pages(2))
    htmx_get(client, pages_url(scenario.bekasi, item))
    default_storage.delete(EvidencePreview.objects.get(evidence=item).pages[0]["name"])
    assert client.get(page_url(scenario.bekasi, item, 1)).status_code == 404
    assert client.get(page_url(scenario.bekasi, item, 2)).status_code == 200


def test_a_new_render_version_renders_ready_previews_again(client, scenario, reviewer, monkeypatch):
    login(client, reviewer)
    item = pdf_evidence(scenario.bekasi, pdfs.with_pages(1))
    htmx_get(client, pages_url(scenario.bekasi, item))
    monkeypatch.setattr(evidence_previews, "RENDER_VERSION", "v2")
    assert 'alt="Halaman 1 dari 1"' in htmx_get(client, pages_url(scenario.bekasi, item)).text
    preview = EvidencePreview.objects.get(evidence=item)
    assert preview.pages[0]["name"].startswith(f"evidence-previews/{preview.sha256}/v2/")


def test_deleting_evidence_deletes_its_page_images_unless_shared(
    scenario, bekasi, django_capture_on_commit_callbacks
):
    data = pdfs.with_pages(1)
    kept = pdf_evidence(scenario.bekasi, data)
    twin = Evidence(region=scenario.bekasi.region, title="Salinan", content_type="application/pdf")
    twin.file.save("salinan.pdf", ContentFile(data), save=True)
    evidence_previews.evidence_pdf_preview(evidence=kept)
    evidence_previews.evidence_pdf_preview(evidence=twin)
    name = EvidencePreview.objects.get(evidence=twin).pages[0]["name"]
    alone = Evidence(region=scenario.bekasi.region, title="Lain", content_type="application/pdf")
    alone.file.save("lain.pdf", ContentFile(pdfs.with_pages(2)), save=True)
    evidence_previews.evidence_pdf_preview(evidence=alone)
    own = [p["name"] for p in EvidencePreview.objects.get(evidence=alone).pages]
    with django_capture_on_commit_callbacks(execute=True):
        evidence_service.evidence_delete(evidence=twin, by=bekasi)
        evidence_service.evidence_delete(evidence=alone, by=bekasi)
    assert default_storage.exists(name)  # still the preview of ``kept``
    assert not any(default_storage.exists(n) for n in own)


def test_page_images_have_their_own_budget_beside_the_downloads(
    client, scenario, reviewer, settings
):
    settings.RATELIMIT_PREVIEWS = "3/m"
    settings.RATELIMIT_DOWNLOADS = "1/m"
    login(client, reviewer)
    item = pdf_evidence(scenario.bekasi, pdfs.with_pages(4))
    htmx_get(client, pages_url(scenario.bekasi, item))
    # Three page images pass without touching the one download allowed...
    for number in (1, 2, 3):
        assert client.get(page_url(scenario.bekasi, item, number)).status_code == 200
    download = reverse("reviewer:evidence", args=[scenario.bekasi.pk, item.pk])
    assert client.get(download).status_code == 200
    # ...and the fourth image is refused, as a page saying when to come back.
    refused = client.get(page_url(scenario.bekasi, item, 4))
    assert refused.status_code == 429
    assert "Retry-After" in refused


# --- Rights: those of the download ----------


@pytest.mark.parametrize("who", ["outsider_reviewer", "bekasi", "bandung"])
def test_nobody_off_the_panel_sees_the_pages(client, scenario, reviewer, who, request):
    item = pdf_evidence(scenario.bekasi, pdfs.with_pages(1))
    login(client, reviewer)
    assert htmx_get(client, pages_url(scenario.bekasi, item)).status_code == 200
    client.logout()
    login(client, request.getfixturevalue(who))
    assert htmx_get(client, pages_url(scenario.bekasi, item)).status_code in {403, 404}
    assert client.get(page_url(scenario.bekasi, item, 1)).status_code in {403, 404}


def test_anonymous_readers_are_sent_to_the_login_without_an_image(client, scenario, reviewer):
    item = pdf_evidence(scenario.bekasi, pdfs.with_pages(1))
    evidence_previews.evidence_pdf_preview(evidence=item)
    for url in (pages_url(scenario.bekasi, item), page_url(scenario.bekasi, item, 1)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_seat_removed_is_the_pages_removed(client, scenario, reviewer):
    login(client, reviewer)
    item = pdf_evidence(scenario.bekasi, pdfs.with_pages(1))
    assert client.get(page_url(scenario.bekasi, item, 1)).status_code == 404  # not yet
    htmx_get(client, pages_url(scenario.bekasi, item))
    assert client.get(page_url(scenario.bekasi, item, 1)).status_code == 200
    scenario.bekasi.panel.filter(reviewer=reviewer).delete()
    assert client.get(page_url(scenario.bekasi, item, 1)).status_code in {403, 404}


def test_evidence_of_another_participation_is_not_reached_through_this_one(
    client, scenario, reviewer, kota_bandung
):
    """The panel seat is on Bekasi: Bandung's PDF is not reachable by changing the id."""
    login(client, reviewer)
    other = Evidence(region=kota_bandung, title="Perwal Bandung", content_type="application/pdf")
    other.file.save("bandung.pdf", ContentFile(pdfs.with_pages(1)), save=True)
    evidence_previews.evidence_pdf_preview(evidence=other)
    assert htmx_get(client, pages_url(scenario.bekasi, other)).status_code == 404
    assert client.get(page_url(scenario.bekasi, other, 1)).status_code == 404


def test_a_city_sees_its_own_pdf_pages_and_not_another_citys(client, scenario, request):
    item = pdf_evidence(scenario.bekasi, pdfs.with_pages(2))
    panel = reverse("city:evidence_pages", args=["kota-bekasi", item.pk])
    image = reverse("city:evidence_page", args=["kota-bekasi", item.pk, 1])
    login(client, request.getfixturevalue("bekasi"))
    response = client.get(panel)
    assert response.status_code == 200
    assert 'alt="Halaman 1 dari 2"' in response.text
    assert image in response.text
    assert client.get(image)["Content-Type"] == "image/webp"
    client.logout()
    login(client, request.getfixturevalue("bandung"))
    assert client.get(panel).status_code == 404
    assert client.get(image).status_code == 404
    assert client.get(
        reverse("city:evidence_page", args=["kota-bandung", item.pk, 1])
    ).status_code in {403, 404}


# --- Query counts ----------


@pytest.mark.parametrize("pages", [2, 12])
def test_the_panel_and_an_image_cost_the_same_queries_whatever_the_pages(
    client, scenario, reviewer, pages
):
    login(client, reviewer)
    item = pdf_evidence(scenario.bekasi, pdfs.with_pages(pages))
    htmx_get(client, pages_url(scenario.bekasi, item))  # rendered
    with CaptureQueriesContext(connection) as panel:
        assert htmx_get(client, pages_url(scenario.bekasi, item)).status_code == 200
    with CaptureQueriesContext(connection) as image:
        assert client.get(page_url(scenario.bekasi, item, 2)).status_code == 200
    assert (len(panel), len(image)) == (PANEL_QUERIES, IMAGE_QUERIES), (
        [q["sql"] for q in panel],
        [q["sql"] for q in image],
    )


# Session, user, the reviewer's and manager's groups, the participation through the seat,
# the evidence through its rights, and the preview (with its job for the panel).
PANEL_QUERIES = 7
IMAGE_QUERIES = 7
