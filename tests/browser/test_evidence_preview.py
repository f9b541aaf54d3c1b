"""Evidence opens beside the indicator: a reviewer opens "Pratinjau" and sees the image in a
sandboxed frame on the scoring page, with no console error."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image
from playwright.sync_api import Page, expect

from evaluations.models import Evidence
from tests import factories
from tests.browser.conftest import login_as
from tests.reviewer import factories as rf

pytestmark = pytest.mark.django_db(transaction=True)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (13, 110, 253)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def bekasi_with_photo():
    jabar = factories.make_province("32", "Jawa Barat")
    region = factories.make_region("32.75", "Kota Bekasi", province=jabar)
    reviewer = factories.make_reviewer("reviewer")
    TOTPDevice.objects.create(user=reviewer, name="authenticator", confirmed=True)
    round_ = rf.make_review_round([region])
    participation = round_.participations.get()
    factories.assign(participation, reviewer, lead=True)
    rf.add_answers(participation, with_evidence=False)
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
