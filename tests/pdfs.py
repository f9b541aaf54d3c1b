"""Real PDFs for tests: pages with something on them, odd page sizes, a damaged file and a
password-protected one (made here, so nothing binary is kept in the repository)."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
from PIL import Image, ImageDraw
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import copy_into_new_writer

# A4 portrait in PDF points.
A4 = (595, 842)


def with_pages(count: int, size: tuple[int, int] = A4) -> bytes:
    """``count`` pages, each with a blue frame and its number written on it."""
    pages = []
    for number in range(1, count + 1):
        page = Image.new("RGB", size, "white")
        draw = ImageDraw.Draw(page)
        draw.rectangle((40, 40, size[0] - 40, size[1] // 3), outline=(13, 110, 253), width=8)
        draw.text((60, 60), f"Halaman {number}", fill="black", font_size=48)
        pages.append(page)
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", save_all=True, append_images=pages[1:], resolution=72)
    return buffer.getvalue()


def blank(width: float, height: float, count: int = 1) -> bytes:
    """Blank pages of any size (up to PDF's 14,400 points), without drawing an image."""
    document = pdfium.PdfDocument.new()
    for _ in range(count):
        document.new_page(width, height)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def encrypted(password: str = "rahasia") -> bytes:
    """One page that opens only with ``password``."""
    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(with_pages(1)), strict=False))
    writer.encrypt(password, password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# Starts like a PDF, is not one.
DAMAGED = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nthis is not a PDF body\n"
