"""The first pages of an uploaded PDF as images, rendered in a child process with bounds.

An evidence PDF comes from a city's upload: it is untrusted input to a large C library
(PDFium, through pypdfium2). So it is never opened in the worker's own process: the parent
(``render_pages``) starts ``python -I <this file>`` with the file and the limits; the child
caps its own address space, CPU time and output file size (``resource.setrlimit``) before it
opens the PDF, and the parent kills it at the wall-clock limit. A PDF that is damaged,
password-protected or too heavy (memory, time, size) ends as a ``Problem`` code, never
as an exception in the worker, and a crash of PDFium kills the child only.

What is rendered is bounded: at most ``max_pages`` pages, each scaled to ``target_width``
pixels wide but never more than ``max_pixels`` pixels nor ``max_side`` on a side (a poster
page of 5 m comes out small, a stamp-sized page is not blown up past ``max_scale``), as WebP
(lossless for pages of text, lossy when that is smaller: scans and photographs).

The child half imports nothing from Django or the portal: it starts in about 0.1 s.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# What the child is given of the environment: a locale, a search path, nothing secret.
CHILD_ENVIRONMENT = {"PATH": os.defpath, "LANG": "C.UTF-8"}
# The names the child writes its pages under (see ``_render``).
PAGE_FILE = re.compile(r"page-\d{1,3}\.webp")

# Problem codes (the service turns them into messages for people).
DAMAGED = "damaged"
ENCRYPTED = "encrypted"
TOO_HEAVY = "too_heavy"


@dataclass(frozen=True)
class Limits:
    """Bounds of one rendering (defaults: the portal's)."""

    max_pages: int = 10
    target_width: int = 1000
    max_pixels: int = 2_000_000
    max_side: int = 4000
    max_scale: float = 4.0
    # Address space of the child (the PDFium heap, the bitmaps, Python itself: about 60 MB).
    memory_bytes: int = 768 * 1024 * 1024
    cpu_seconds: int = 30
    wall_seconds: float = 45.0
    # Any one file the child writes (a page image).
    max_file_bytes: int = 16 * 1024 * 1024
    webp_quality: int = 80
    # A lossless page image larger than this is tried lossy too (the smaller is kept).
    lossless_bytes: int = 150 * 1024


@dataclass(frozen=True)
class Page:
    path: Path
    width: int
    height: int


@dataclass
class Outcome:
    """What came out: ``problem`` is empty on success; ``page_count`` is the document's
    (more than ``len(pages)`` when ``max_pages`` cut it)."""

    problem: str = ""
    page_count: int = 0
    pages: list[Page] = field(default_factory=list)


def page_scale(width: float, height: float, limits: Limits) -> float:
    """Pixels per PDF point for a page of ``width`` × ``height`` points."""
    if not (math.isfinite(width) and math.isfinite(height)) or width <= 0 or height <= 0:
        raise ValueError("page without a size")
    scale = min(
        limits.target_width / width,
        math.sqrt(limits.max_pixels / (width * height)),
        limits.max_side / width,
        limits.max_side / height,
        limits.max_scale,
    )
    # The bitmap's sides are rounded up to whole pixels: step down until they fit too.
    while (
        math.ceil(width * scale) * math.ceil(height * scale) > limits.max_pixels
        or math.ceil(max(width, height) * scale) > limits.max_side
    ):
        scale *= 0.995
    return scale


def render_pages(source: Path, outdir: Path, limits: Limits | None = None) -> Outcome:
    """Render ``source`` (a PDF on the local disk) into ``outdir`` in a bounded child."""
    limits = limits or Limits()
    command = [
        sys.executable,
        "-I",  # no PYTHON* variables, no user site, not the current directory
        str(Path(__file__).resolve()),
        str(source),
        str(outdir),
        json.dumps(dataclasses.asdict(limits)),
    ]
    try:
        finished = subprocess.run(  # noqa: S603 - this interpreter, this file; the PDF a path
            command,
            # The child gets none of the worker's environment (SECRET_KEY, DATABASE_URL, storage
            # and signing credentials): a PDFium exploit would find nothing to take with it. Its
            # report is one short JSON line; what it might write to stderr is thrown away, so
            # no pipe grows without bound.
            env=CHILD_ENVIRONMENT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            timeout=limits.wall_seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:  # run() killed it
        return Outcome(problem=TOO_HEAVY)
    try:
        report: dict[str, Any] = json.loads(finished.stdout.decode() or "{}")
    except (UnicodeDecodeError, ValueError):
        report = {}
    if finished.returncode != 0 or "problem" not in report:
        # Killed by a limit (SIGXCPU, SIGXFSZ, SIGKILL), MemoryError, or PDFium crashed.
        return Outcome(problem=TOO_HEAVY)
    if report["problem"]:
        return Outcome(problem=str(report["problem"]))
    try:
        pages = [
            Page(
                path=_own_file(outdir, item["file"]),
                width=int(item["width"]),
                height=int(item["height"]),
            )
            for item in report["pages"]
        ]
        return Outcome(page_count=int(report["page_count"]), pages=pages)
    except (KeyError, TypeError, ValueError):
        # The child is not trusted either: a report naming a file outside ``outdir``
        # (``/etc/...``, ``../``) or not a page image would have the worker upload it.
        return Outcome(problem=TOO_HEAVY)


def _own_file(outdir: Path, name: object) -> Path:
    """``outdir/name`` when ``name`` is a page image the child was asked to write there."""
    if not isinstance(name, str) or not PAGE_FILE.fullmatch(name):
        raise ValueError(f"not a page image: {name!r}")
    path = (outdir / name).resolve()
    if path.parent != outdir.resolve() or not path.is_file():
        raise ValueError(f"not in the output directory: {name!r}")
    return path


# --- The child ----------


def _limit_self(limits: Limits) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.max_file_bytes, limits.max_file_bytes))


def _save_webp(image: Any, path: Path, limits: Limits) -> None:
    """Lossless first (text pages: sharp and small, about 60 KB for an A4 page of text); a
    photograph or a scan is smaller lossy, so it is saved lossy when that is smaller."""
    image.save(path, "WEBP", lossless=True, quality=50, method=4)
    if path.stat().st_size > limits.lossless_bytes:
        lossy = path.with_suffix(".lossy.webp")
        image.save(lossy, "WEBP", quality=limits.webp_quality, method=4)
        if lossy.stat().st_size < path.stat().st_size:
            lossy.replace(path)
        else:
            lossy.unlink()


def _child(source: str, outdir: str, limits: Limits) -> dict[str, Any]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    _limit_self(limits)
    try:
        document = pdfium.PdfDocument(source)
    except pdfium.PdfiumError as error:
        if getattr(error, "err_code", None) in (pdfium_c.FPDF_ERR_PASSWORD,):
            return {"problem": ENCRYPTED}
        if getattr(error, "err_code", None) == pdfium_c.FPDF_ERR_SECURITY:
            return {"problem": ENCRYPTED}  # an unsupported security handler
        return {"problem": DAMAGED}
    page_count = len(document)
    if page_count < 1:  # PDFium refuses such a file already; a PDF without pages is damaged
        return {"problem": DAMAGED}
    pages = []
    for index in range(min(page_count, limits.max_pages)):
        try:
            page = document[index]
            width, height = page.get_size()
            scale = page_scale(width, height, limits)
        except (pdfium.PdfiumError, ValueError):
            return {"problem": DAMAGED}  # a page that cannot be loaded, or has no size
        try:
            bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255), draw_annots=True)
            image = bitmap.to_pil().convert("RGB")
            name = f"page-{index + 1}.webp"
            _save_webp(image, Path(outdir) / name, limits)
        except (pdfium.PdfiumError, MemoryError, OSError):
            # No memory for the bitmap (the address-space cap), or past the file-size cap.
            return {"problem": TOO_HEAVY}
        pages.append({"file": name, "width": image.width, "height": image.height})
        page.close()
    return {"problem": "", "page_count": page_count, "pages": pages}


def main(argv: list[str]) -> int:
    source, outdir, limits_json = argv
    limits = Limits(**json.loads(limits_json))
    print(json.dumps(_child(source, outdir, limits)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
