"""Evidence opens in a preview beside the indicator, safely: PDFs and images only, served
inline but sandboxed (no script, a unique origin), never sniffed, framed only by the
portal, and with exactly the rights of the download."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from evaluations.models import Evidence
from tests.conftest import login
from tests.reviewer.test_access import evidence_of

pytestmark = pytest.mark.django_db


def preview_url(participation, evidence) -> str:
    return reverse("reviewer:evidence", args=[participation.pk, evidence.pk]) + "?preview=1"


def test_a_pdf_is_shown_inline_in_a_sandbox(client, scenario, reviewer):
    login(client, reviewer)
    evidence = evidence_of(scenario.bekasi)
    response = client.get(preview_url(scenario.bekasi, evidence))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = [p.strip() for p in response["Content-Security-Policy"].split(";")]
    assert "sandbox" in policy  # no allow-scripts, no allow-same-origin
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'self'" in policy
    assert not any("script-src" in p for p in policy)
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    # The download stays an attachment that nothing may frame.
    download = client.get(reverse("reviewer:evidence", args=[scenario.bekasi.pk, evidence.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert "frame-ancestors" not in download["Content-Security-Policy"]
    assert download["X-Frame-Options"] == "DENY"


def test_the_scoring_page_frames_images_in_a_sandbox_and_shows_pdfs_as_page_images(
    client, scenario, reviewer
):
    login(client, reviewer)
    pdf = evidence_of(scenario.bekasi)
    answer = scenario.bekasi.answers.first()
    photo = Evidence(region=scenario.bekasi.region, title="Foto command center")
    photo.original_name = "foto.png"
    photo.content_type = "image/png"
    photo.file.save("foto.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    answer.evidence.add(photo)
    page = client.get(reverse("reviewer:participation", args=[scenario.bekasi.pk]))
    html = page.content.decode()
    assert f'src="{preview_url(scenario.bekasi, photo)}" sandbox=""' in html
    assert html.count('class="evidence-frame"') == 1
    # Chromium's PDF viewer refuses a sandboxed frame: a PDF is shown as images of its pages
    # (tests/reviewer/test_pdf_pages.py), fetched when its preview is opened.
    pages = reverse("reviewer:evidence_pages", args=[scenario.bekasi.pk, pdf.pk])
    assert f'data-hx-get="{pages}"' in html
    assert preview_url(scenario.bekasi, pdf) not in html
    assert html.count('class="evidence-pages"') == scenario.bekasi.answers.count()


def test_office_files_are_never_previewed_only_downloaded(client, scenario, reviewer):
    login(client, reviewer)
    answer = scenario.bekasi.answers.first()
    docx = Evidence(region=scenario.bekasi.region, title="Notulen rapat")
    docx.original_name = "notulen.docx"
    docx.content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    docx.file.save("notulen.docx", ContentFile(b"PK\x03\x04 not really"), save=True)
    answer.evidence.add(docx)
    response = client.get(preview_url(scenario.bekasi, docx))
    assert response["Content-Disposition"].startswith("attachment")
    assert "frame-ancestors" not in response["Content-Security-Policy"]
    page = client.get(reverse("reviewer:participation", args=[scenario.bekasi.pk])).content
    assert preview_url(scenario.bekasi, docx).encode() not in page


@pytest.mark.parametrize("who", ["outsider_reviewer", "bekasi", "bandung"])
def test_the_preview_has_the_rights_of_the_download(client, scenario, who, request):
    login(client, request.getfixturevalue(who))
    response = client.get(preview_url(scenario.bekasi, evidence_of(scenario.bekasi)))
    assert response.status_code in {403, 404}


def test_a_city_previews_its_own_evidence_and_not_another_citys(client, scenario, request):
    evidence = evidence_of(scenario.bekasi)
    url = reverse("city:evidence_download", args=["kota-bekasi", evidence.pk]) + "?preview=1"
    login(client, request.getfixturevalue("bekasi"))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    assert "sandbox" in response["Content-Security-Policy"]
    client.logout()
    login(client, request.getfixturevalue("bandung"))
    assert client.get(url).status_code in {403, 404}
