"""Every upload and import of the portal, sent the wrong files.

Evidence files (city), the programme register import (XLSX, city) and the verified-level
upload (CSV or XLSX, round managers). As for the forms: the valid file is accepted, and each
wrong one is refused with a message naming the problem, never a 500, with no stored row
changed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from evaluations.services import scores_io
from evaluations.services.evidence import FILE_ZIP_TOO_LARGE
from evaluations.services.programmes.spreadsheet import COLUMNS
from tests.bad_input.payloads import (
    HUGE_TEXT,
    SCRIPT,
    csv_bytes,
    snapshot,
    upload,
    wrong_files,
    zip_bomb_xlsx,
)
from tests.bad_input.test_forms import refusal_page
from tests.city import files
from tests.conftest import job_next_page, job_result, login
from tests.security.world import World

pytestmark = pytest.mark.django_db

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _client(world: World, who: str) -> Client:
    user = world.users[who]
    assert user is not None
    return login(Client(), user)


# --- Verified levels (CSV or XLSX) ----------


def _scores_table(world: World) -> list[list[str]]:
    """The round's template, as the manager downloads it, with one level changed to 4."""
    client = _client(world, "manager")
    response = client.post(reverse("reviewer:scores_template", args=[world.review.slug, "csv"]))
    rows = list(csv.reader(io.StringIO(job_result(client, response).decode("utf-8-sig"))))
    rows[1][7] = "4"
    return rows


def _with_level(world: World, value: str) -> list[list[str]]:
    rows = _scores_table(world)
    rows[1][7] = value
    return rows


def _scores_xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    return files.xlsx(rows)


def _too_many_rows(world: World) -> bytes:
    rows = _scores_table(world)
    return csv_bytes(rows[:1] + rows[1:2] * (scores_io.MAX_ROWS + 1))


SCORE_FILES: dict[str, Callable[..., SimpleUploadedFile]] = {
    **{
        f"{label} named .csv": (lambda w, f=f: f)
        for label, f in wrong_files("csv").items()
        if label != "empty"
    },
    **{f"{label} named .xlsx": (lambda w, f=f: f) for label, f in wrong_files("xlsx").items()},
    "empty CSV": lambda w: upload("nilai.csv", b""),
    "CSV in UTF-16": lambda w: upload("nilai.csv", csv_bytes(_scores_table(w), encoding="utf-16")),
    "CSV in Latin-1": lambda w: upload(
        "nilai.csv",
        csv_bytes([[*r[:8], "Catatan café"] for r in _scores_table(w)], encoding="latin-1"),
    ),
    "CSV with only the header": lambda w: upload("nilai.csv", csv_bytes(_scores_table(w)[:1])),
    "CSV without the level column": lambda w: upload(
        "nilai.csv", csv_bytes([r[:7] for r in _scores_table(w)])
    ),
    **{
        f"level {value!r} in a row": (
            lambda w, value=value: upload("nilai.csv", csv_bytes(_with_level(w, value)))
        )
        for value in ["-1", "6", "abc", "1e9", "3.5", "99999999999999999999"]
    },
    "level -1 in an XLSX": lambda w: upload(
        "nilai.xlsx", _scores_xlsx(_with_level(w, "-1")), XLSX_TYPE
    ),
    "region that is not taking part": lambda w: upload(
        "nilai.csv", csv_bytes([*_scores_table(w)[:1], ["99.99", *_scores_table(w)[1][1:]]])
    ),
    "script and SQL as the indicator code": lambda w: upload(
        "nilai.csv",
        # With a level: a row without one is skipped, not checked.
        csv_bytes(
            [*_scores_table(w)[:1], [_scores_table(w)[1][0], "x", SCRIPT, "x", "", "", "", "3"]]
        ),
    ),
    "more than 50,000 rows": lambda w: upload("nilai.csv", _too_many_rows(w)),
    "larger than 5 MB": lambda w: upload("nilai.csv", b"a,b\n" * (6 * 1024 * 1024 // 4)),
    "zip bomb XLSX": lambda w: upload("nilai.xlsx", zip_bomb_xlsx(), XLSX_TYPE),
    "an XLSX named .csv": lambda w: upload("nilai.csv", _scores_xlsx(_scores_table(w))),
    "a PDF named .txt": lambda w: upload("nilai.txt", files.PDF),
}


def test_a_valid_levels_file_is_accepted_with_or_without_a_bom(world):
    client = _client(world, "manager")
    url = reverse("reviewer:scores_upload", args=[world.review.slug])
    table = _scores_table(world)
    for encoding, level in (("utf-8-sig", "4"), ("utf-8", "5")):
        table[1][7] = level
        before = snapshot()
        posted = client.post(url, {"file": upload("nilai.csv", csv_bytes(table, encoding))})
        response = job_next_page(client, posted)
        assert response.status_code == 200, encoding  # the preview
        assert snapshot() == before
        response = client.post(url, {"upload": response.context["pending"].pk, "apply": "1"})
        assert response.status_code == 302, encoding
        assert snapshot() != before
    xlsx = upload("nilai.xlsx", _scores_xlsx(_with_level(world, "2")), XLSX_TYPE)
    preview = job_next_page(client, client.post(url, {"file": xlsx}))
    assert preview.status_code == 200
    applied = client.post(url, {"upload": preview.context["pending"].pk, "apply": "1"})
    assert applied.status_code == 302


@pytest.mark.parametrize("case", SCORE_FILES)
def test_a_wrong_levels_file_is_refused_clearly_and_changes_nothing(world, case):
    client = _client(world, "manager")
    url = reverse("reviewer:scores_upload", args=[world.review.slug])
    data = SCORE_FILES[case](world)
    before = snapshot()
    page = refusal_page(client, client.post(url, {"file": data}))
    assert snapshot() == before
    if case == "zip bomb XLSX":
        assert str(FILE_ZIP_TOO_LARGE) in page


# --- Programme register import (XLSX) ----------

HEADER = [c.header for c in COLUMNS]
GOOD_ROW = [
    "Smart Parking",
    "Smart Governance",
    "",
    "",
    "Berjalan",
    "Tidak",
    2023,
    2025,
    1_250_000_000,
    "Parkir pintar",
]


def _programme_xlsx(*rows: list[object]) -> SimpleUploadedFile:
    return upload("program.xlsx", files.xlsx([HEADER, *rows]), XLSX_TYPE)


def _row(**changes: object) -> list[object]:
    row = list(GOOD_ROW)
    for key, value in changes.items():
        row[[c.key for c in COLUMNS].index(key)] = value
    return row


PROGRAMME_FILES: dict[str, Callable[..., SimpleUploadedFile]] = {
    **{f"{label} named .xlsx": (lambda f=f: f) for label, f in wrong_files("xlsx").items()},
    "a CSV named .xlsx": lambda: upload("program.xlsx", csv_bytes([HEADER, GOOD_ROW])),
    "an XLSX named .csv": lambda: upload("program.csv", files.xlsx([HEADER, GOOD_ROW])),
    "zip bomb XLSX": lambda: upload("program.xlsx", zip_bomb_xlsx(), XLSX_TYPE),
    "only the header": lambda: _programme_xlsx(),
    "no title column": lambda: upload(
        "program.xlsx", files.xlsx([HEADER[1:], GOOD_ROW[1:]]), XLSX_TYPE
    ),
    "start year -1": lambda: _programme_xlsx(_row(start_year=-1)),
    "start year as words": lambda: _programme_xlsx(_row(start_year="dua ribu")),
    "start year 1e9": lambda: _programme_xlsx(_row(start_year=1e9)),
    "budget as words": lambda: _programme_xlsx(_row(budget="satu miliar")),
    "negative budget": lambda: _programme_xlsx(_row(budget=-5)),
    "dimension that does not exist": lambda: _programme_xlsx(_row(dimension="Smart Galaxy")),
    "title of 1 MB": lambda: _programme_xlsx(_row(title=HUGE_TEXT[:32_000])),
    "one bad row among good ones": lambda: _programme_xlsx(
        GOOD_ROW, _row(title="Kedua"), _row(start_year="x")
    ),
    "more rows than allowed": lambda: _programme_xlsx(*[_row(title=f"P{i}") for i in range(2001)]),
}


def test_a_valid_programme_file_is_accepted(world):
    client = _client(world, "bekasi")
    url = reverse("city:programme_import", args=[world.kota_bekasi.slug])
    before = snapshot()
    response = client.post(url, {"file": _programme_xlsx(GOOD_ROW, _row(title="Kedua"))})
    assert response.status_code == 200  # the preview
    assert snapshot() == before
    response = client.post(url, {"upload": response.context["pending"].pk, "apply": "1"})
    assert response.status_code == 302
    assert snapshot() != before


@pytest.mark.parametrize("case", PROGRAMME_FILES)
def test_a_wrong_programme_file_is_refused_clearly_and_changes_nothing(world, case):
    client = _client(world, "bekasi")
    url = reverse("city:programme_import", args=[world.kota_bekasi.slug])
    data = PROGRAMME_FILES[case]()
    before = snapshot()
    refusal_page(client, client.post(url, {"file": data}))
    assert snapshot() == before


# --- Evidence files ----------

EVIDENCE_FILES: dict[str, Callable[..., SimpleUploadedFile]] = {
    **{f"{label} named .pdf": (lambda f=f: f) for label, f in wrong_files("pdf").items()},
    "a PDF named .exe": lambda: upload("bukti.exe", files.PDF),
    "a PDF named .html": lambda: upload("bukti.html", files.PDF),
    "a PDF without a name": lambda: upload(".pdf", files.PDF),
    "SVG with a script named .png": lambda: upload(
        "peta.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    ),
    "a Word file with macros": lambda: upload("sk.docx", files.docx(macros=True)),
    "larger than the limit": lambda: upload("besar.pdf", files.PDF + b"0" * (2 * 1024 * 1024)),
}


@pytest.mark.parametrize("case", EVIDENCE_FILES)
def test_a_wrong_evidence_file_is_refused_clearly_and_changes_nothing(world, case, settings):
    settings.EVIDENCE_MAX_UPLOAD_MB = 1
    client = _client(world, "bekasi")
    url = reverse("city:evidence_list", args=[world.kota_bekasi.slug])
    before = snapshot()
    refusal_page(client, client.post(url, {"title": "Bukti", "file": EVIDENCE_FILES[case]()}))
    assert snapshot() == before


def test_a_real_pdf_is_accepted(world):
    client = _client(world, "bekasi")
    url = reverse("city:evidence_list", args=[world.kota_bekasi.slug])
    before = snapshot()
    response = client.post(url, {"title": "Perwal", "file": files.pdf_upload("perwal.pdf")})
    assert response.status_code == 302
    assert snapshot() != before
