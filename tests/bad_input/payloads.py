"""Wrong things to send: values, texts and files that a form or an import must refuse (or
store harmlessly), and a snapshot of everything they must not change."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model

from evaluations.models import (
    AgendaItem,
    Attendee,
    Evidence,
    FieldReview,
    Finding,
    Participation,
    Programme,
    Publication,
    Result,
    ReviewerAssignment,
    Round,
    RoundEvent,
    Score,
    SelfAssessmentAnswer,
    VerifiedScore,
)
from regions.models import Agency
from tests.city import files

MEGABYTE = 1024 * 1024
HUGE_TEXT = "Teks sangat panjang. " * (MEGABYTE // 21 + 1)  # a little over 1 MB
SCRIPT = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
SQL = "Robert'); DROP TABLE evaluations_programme;-- ' OR '1'='1"
BAD_LEVELS = ["-1", "6", "abc", "1e9", "3.5", "", " ", "٣", "3\x00", "99999999999999999999"]


# --- Files ----------


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def csv_bytes(rows: Sequence[Sequence[object]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def zip_bomb_xlsx(unpacked_mb: int = 60) -> bytes:
    """A valid-looking XLSX whose shared strings unpack to ``unpacked_mb`` MB (a few hundred
    KB on the wire)."""
    strings = b"<si><t>x</t></si>" * (unpacked_mb * MEGABYTE // 17)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        with zipfile.ZipFile(io.BytesIO(files.xlsx([["a"]]))) as real:
            for info in real.infolist():
                package.writestr(info.filename, real.read(info.filename))
        package.writestr(
            "xl/sharedStrings.xml",
            b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main">' + strings + b"</sst>",
        )
    return buffer.getvalue()


def wrong_files(kind: str) -> dict[str, SimpleUploadedFile]:
    """Files that claim to be ``kind`` (pdf, xlsx or csv) and are not, or are broken."""
    return {
        "html named as it": upload(f"laporan.{kind}", files.HTML, "text/html"),
        "ELF executable": upload(f"laporan.{kind}", files.ELF),
        "Windows executable": upload(f"laporan.{kind}", files.EXE),
        "random bytes": upload(f"laporan.{kind}", bytes(range(256)) * 40),
        "empty": upload(f"laporan.{kind}", b""),
        "a zip that is not a document": upload(f"laporan.{kind}", files.plain_zip()),
        "truncated": upload(f"laporan.{kind}", files.xlsx([["a", "b"]])[:300]),
    }


# --- What must not change ----------

STORED: list[type[Model]] = [
    Round,
    RoundEvent,
    Participation,
    ReviewerAssignment,
    SelfAssessmentAnswer,
    Score,
    VerifiedScore,
    Result,
    Publication,
    FieldReview,
    AgendaItem,
    Attendee,
    Finding,
    Programme,
    Evidence,
    Agency,
]


def snapshot() -> dict[str, list[dict]]:
    """Every row, every column, of the tables a form or import could change."""
    data: dict[str, list[Any]] = {
        m._meta.label: list(m._default_manager.order_by("pk").values()) for m in STORED
    }
    data["answer evidence"] = list(
        SelfAssessmentAnswer.evidence.through.objects.order_by("pk").values()
    )
    data["programme evidence"] = list(Programme.evidence.through.objects.order_by("pk").values())
    return data
