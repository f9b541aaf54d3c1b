"""Evidence opens beside the indicator: a reviewer opens "Pratinjau" and sees the image in a
sandboxed frame on the scoring page, or a PDF as images of its first pages (rendered by the
task worker), with no console error."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from playwright.sync_api import Page, expect

from evaluations.models import Evidence
from tests import pdfs
from tests.browser.conftest import login_as
from tests.conftest import drain_queue

pytestmark = pytest.mark.django_db(transaction=True)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (13, 110, 253)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def bekasi_with_photo(bekasi_under_review):
    participation = bekasi_under_review
    region = participation.region
    photo = Evidence(region=region, title="Foto command center")
    photo.original_name = "command-center.png"
    photo.content_type = "image/png"
    photo.file.save("command-center.png", ContentFile(png_bytes()), save=True)
    answer = participation.answers.order_by("indicator__order").first()
    answer.evidence.add(photo)
    return participation, answer.indicator


@pytest.mark.parametrize("viewport", [(1366, 768), (390, 844)])
def test_an_image_opens_in_a_sandboxed_frame_beside_the_indicator(
    page: Page, live_server, bekasi_with_photo, console_errors, viewport
):
    participation, indicator = bekasi_with_photo
    width, height = viewport
    page.set_viewport_size({"width": width, "height": height})
    login_as(page, live_server, "reviewer")
    page.goto(f"{live_server.url}/review/participations/{participation.pk}/")
    card = page.locator(f"#ind-{indicator.pk}")
    frame_element = card.locator("iframe.evidence-frame")
    expect(frame_element).to_be_hidden()  # closed until asked for
    card.locator("summary", has_text="Pratinjau").click()
    expect(frame_element).to_be_visible()
    assert frame_element.get_attribute("sandbox") == ""
    frame = frame_element.content_frame
    image = frame.locator("img")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.naturalWidth") == 320
    card.scroll_into_view_if_needed()
    page.screenshot(path=f"test-artifacts/screenshots/evidence-preview-{width}.png")
    assert console_errors == []


@pytest.fixture
def bekasi_with_pdf(bekasi_under_review):
    participation = bekasi_under_review
    item = Evidence(region=participation.region, title="Perwal Smart City")
    item.original_name = "perwal-smart-city.pdf"
    item.content_type = "application/pdf"
    item.file.save("perwal-smart-city.pdf", ContentFile(pdfs.with_pages(3)), save=True)
    answer = participation.answers.order_by("indicator__order").first()
    answer.evidence.add(item)
    return participation, answer.indicator


@pytest.mark.usefixtures("task_queue")
@pytest.mark.parametrize("viewport", [(1366, 768), (390, 844)])
def test_a_pdf_opens_as_page_images_beside_the_indicator(
    page: Page, live_server, bekasi_with_pdf, console_errors, viewport
):
    """The PDF's pages are rendered by the task worker: the panel says so and asks again
    until they are there, then shows page 1 as an image, within the screen's width."""
    participation, indicator = bekasi_with_pdf
    width, height = viewport
    page.set_viewport_size({"width": width, "height": height})
    login_as(page, live_server, "reviewer")
    page.goto(f"{live_server.url}/review/participations/{participation.pk}/")
    card = page.locator(f"#ind-{indicator.pk}")
    card.locator("summary", has_text="Pratinjau").click()
    expect(card.get_by_text("Menyiapkan pratinjau halaman")).to_be_visible()
    drain_queue()  # the worker renders the pages; the panel's next poll finds them
    first = card.get_by_role("img", name="Halaman 1 dari 3")
    expect(first).to_be_visible(timeout=10_000)
    assert first.evaluate("img => img.complete && img.naturalWidth") == 1000
    expect(card.get_by_role("img", name="Halaman 3 dari 3")).to_have_count(1)
    box = first.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    first.scroll_into_view_if_needed()
    page.screenshot(path=f"test-artifacts/screenshots/evidence-pdf-preview-{width}.png")
    assert console_errors == []
