"""``make stack-check``: a scripted journey through the loopback stack of ``stack.sh``.

Every request goes through nginx over TLS. Two listeners are pinned to one app server each
(``A`` and ``B``), so the journey can choose which server answers; the balanced listener
(``LB``) is what real readers use. What it shows:

1. the recipes work: TLS, HTTP → HTTPS, static files from nginx, the upload limit;
2. evidence uploaded on A is downloaded through B (the object store is shared, and the
   file is in the S3 bucket, not on either server's disk);
3. a publication step on A is seen on B at once (the published-data version is shared);
4. rate limits and lock-outs are counted across both servers (Redis, the database);
5. a long import finishes on the task worker while the manager watches its progress: the
   score template is built by a job (started on A, downloaded when done), the filled-in file
   goes through the upload preview on A, and its job page's progress fragment is polled on
   B until it says done; the levels are in the database;
6. the worker and app server 1 are killed (SIGKILL) at once in the middle of such an
   import while readers use the balancer: nothing of the import is stored, no request
   fails but those in flight on the killed server, and after the restarts the job is
   retried and completes, applied once; the server rejoins.

Run by ``deploy/stack/run-check.sh`` with the stack's environment; exits non-zero with the
step that failed.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import html
import io
import os
import re
import struct
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import boto3
import psycopg
import redis
import requests

STACK_DIR = Path(os.environ.get("STACK_DIR", "/tmp/smartcity-stack"))
CERT = str(STACK_DIR / "nginx" / "tls.crt")
HTTPS_PORT = int(os.environ.get("STACK_HTTPS_PORT", "8443"))
HTTP_PORT = int(os.environ.get("STACK_HTTP_PORT", "8083"))
PIN_PORTS = [int(p) for p in os.environ.get("STACK_PIN_PORTS", "8120 8121").split()]
LB = f"https://127.0.0.1:{HTTPS_PORT}"
A = f"https://127.0.0.1:{PIN_PORTS[0]}"
B = f"https://127.0.0.1:{PIN_PORTS[1]}"
STACK = Path(__file__).resolve().parent / "stack.sh"
DEMO_PASSWORD = "demo12345"  # noqa: S105 - the demo accounts' published password
ROUND = "demo-evaluasi-2025-tahap-1"
IMPORT_ROUND = "demo-evaluasi-2024-tahap-1"  # re-opened for the import steps
# The demo's TOTP key for Kominfo staff (smartcity/people/demo.py, RFC 6238's test key).
DEMO_TOTP_KEY = bytes.fromhex("3132333435363738393031323334353637383930")
JOB_URL = re.compile(r"/jobs/([0-9a-f-]{36})/$")
JOB_STATE = re.compile(r'id="job-status"[^>]*data-state="([a-z]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# A small valid PDF (the portal checks evidence by content).
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 100 100]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class CheckFailed(Exception):
    pass


def check(condition: bool, what: str) -> None:
    if not condition:
        raise CheckFailed(what)


def ok(what: str) -> None:
    print(f"  ok  {what}", flush=True)


@dataclass
class Browser:
    """One person's browser: a cookie jar shared by every server (cookies ignore ports)."""

    session: requests.Session = field(default_factory=requests.Session)

    def get(self, url: str, **kwargs) -> requests.Response:
        # verify per request: a session-wide one loses to REQUESTS_CA_BUNDLE in requests.
        return self.session.get(url, timeout=30, verify=CERT, **kwargs)

    def post_form(self, page: str, url: str, data: dict, files: dict | None = None):
        """Open ``page``, then post its form to ``url`` with the page's CSRF token, as a
        browser does (HTTPS: Django wants a same-origin Referer)."""
        html = self.get(page).text
        token = CSRF.search(html)
        check(token is not None, f"{page} has a CSRF token")
        return self.session.post(
            url,
            data={"csrfmiddlewaretoken": token.group(1), **data},
            files=files,
            headers={"Referer": page},
            timeout=30,
            verify=CERT,
            allow_redirects=False,
        )

    def login(self, base: str, username: str, password: str = DEMO_PASSWORD):
        return self.post_form(
            f"{base}/accounts/login/",
            f"{base}/accounts/login/",
            {"username": username, "password": password},
        )


def totp_code(at: float | None = None) -> str:
    """The authenticator's current code (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits)."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(DEMO_TOTP_KEY, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def login_with_code(browser: Browser, base: str, username: str) -> None:
    """Password, then the code step that Kominfo staff must pass (people.second_factor)."""
    r = browser.login(base, username)
    check(r.status_code == 302, f"{username} password accepted on {base}: {r.status_code}")
    owed = browser.get(f"{base}/review/", allow_redirects=False)
    check(
        "/two-factor/verify/" in owed.headers.get("Location", ""),
        f"the workspace asks for the code first: {owed.status_code}",
    )
    verify = f"{base}/accounts/two-factor/verify/"
    r = browser.post_form(verify, verify, {"code": totp_code()})
    check(r.status_code == 302, f"{username}'s code accepted on {base}: {r.status_code}")
    check(browser.get(f"{base}/review/").status_code == 200, f"{username} reaches the workspace")


def db() -> psycopg.Connection:
    return psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)


def stored_levels(round_slug: str) -> dict[tuple[str, str], tuple[int, int]]:
    """(region code, indicator code) → (level, version) of the round's verified levels."""
    with db() as conn:
        rows = conn.execute(
            "SELECT g.code, i.code, v.level, v.version FROM evaluations_verifiedscore v"
            " JOIN evaluations_participation p ON p.id = v.participation_id"
            " JOIN evaluations_round r ON r.id = p.round_id"
            " JOIN regions_region g ON g.id = p.region_id"
            " JOIN evaluations_indicator i ON i.id = v.indicator_id WHERE r.slug = %s",
            [round_slug],
        ).fetchall()
    return {(region, indicator): (level, version) for region, indicator, level, version in rows}


def job_row(job_id: str) -> tuple[str, int]:
    with db() as conn:
        return conn.execute(
            "SELECT state, attempts FROM jobs_job WHERE id = %s", [job_id]
        ).fetchone()


def job_id_of(response: requests.Response) -> str:
    check(response.status_code == 302, f"the POST starts a job (302): {response.status_code}")
    found = JOB_URL.search(response.headers["Location"])
    check(found is not None, f"redirect to the job page: {response.headers['Location']}")
    return found.group(1)


def watch_job(browser: Browser, base: str, job_id: str, timeout: float = 120) -> list[str]:
    """Poll the job page's status fragment on ``base`` as htmx does (every second, here
    every 0.25 s) until it is finished; the states seen, in order, without repeats."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while True:
        r = browser.get(f"{base}/jobs/{job_id}/", headers={"HX-Request": "true"})
        check(r.status_code == 200, f"job fragment on {base}: {r.status_code}")
        check("<html" not in r.text, "the fragment, not the whole page")
        state = JOB_STATE.search(r.text)
        check(state is not None, f"the fragment carries the job state: {r.text[:200]}")
        if not seen or seen[-1] != state.group(1):
            seen.append(state.group(1))
        if state.group(1) in ("succeeded", "failed"):
            return seen
        check(time.monotonic() < deadline, f"job {job_id} done within {timeout:.0f} s: {seen}")
        time.sleep(0.25)


def score_template(manager: Browser) -> list[list[str]]:
    """The round's score template, built by a job started on A, downloaded through B."""
    url = f"{A}/review/rounds/{IMPORT_ROUND}/scores-template.csv"
    job_id = job_id_of(manager.post_form(url, url, {}))
    states = watch_job(manager, B, job_id)
    check(states[-1] == "succeeded", f"the template job succeeded: {states}")
    page = manager.get(f"{B}/jobs/{job_id}/").text
    check(f"/jobs/{job_id}/download/" in page, "the finished job page offers the file")
    download = manager.get(f"{B}/jobs/{job_id}/download/")
    check(download.status_code == 200, f"template download on B: {download.status_code}")
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    check(rows[0][:3] == ["kode_wilayah", "wilayah", "kode_indikator"], f"header: {rows[0]}")
    return rows


def upload_levels(manager: Browser, rows: list[list[str]], shift: int) -> tuple[str, dict]:
    """Fill the template with level + ``shift`` (mod 6), preview it on A, apply it: the job id
    and the expected levels."""
    header, body = rows[0], rows[1:]
    region, indicator, level = (
        header.index(n) for n in ("kode_wilayah", "kode_indikator", "level")
    )
    expected = {}
    for row in body:
        row[level] = str((int(row[level] or 0) + shift) % 6)
        expected[(row[region], row[indicator])] = int(row[level])
    out = io.StringIO()
    csv.writer(out).writerows([header, *body])
    page = f"{A}/review/rounds/{IMPORT_ROUND}/scores/upload/"
    # Every row is checked by a job (the preview); its page leads to the changes.
    checked = job_id_of(
        manager.post_form(
            page, page, {}, files={"file": ("nilai.csv", out.getvalue().encode(), "text/csv")}
        )
    )
    states = watch_job(manager, B, checked)
    check(states[-1] == "succeeded", f"the preview job succeeded: {states}")
    link = re.search(
        r'href="([^"]*/scores/upload/\?preview=[^"]+)"', manager.get(f"{B}/jobs/{checked}/").text
    )
    check(link is not None, "the preview job's page links to the preview")
    preview = manager.get(A + html.unescape(link.group(1)))
    check(preview.status_code == 200, f"preview of {len(body)} rows: {preview.status_code}")
    pending = re.search(r'name="upload" value="(\d+)"', preview.text)
    check(pending is not None, "the preview keeps the upload (hidden id)")
    token = CSRF.search(preview.text).group(1)
    applied = manager.session.post(
        page,
        data={"csrfmiddlewaretoken": token, "upload": pending.group(1), "apply": "1"},
        headers={"Referer": page},
        timeout=30,
        verify=CERT,
        allow_redirects=False,
    )
    return job_id_of(applied), expected


def step_long_import(manager: Browser) -> None:
    """A score import running on the worker, watched from the other app server."""
    round_page = f"{A}/review/rounds/{IMPORT_ROUND}/"
    r = manager.post_form(
        round_page, f"{round_page}step/reopen/", {"reason": "stack-check: import"}
    )
    check(r.status_code == 302, f"reopen {IMPORT_ROUND} on A: {r.status_code}")
    started = time.monotonic()
    rows = score_template(manager)
    template_s = time.monotonic() - started
    ok(f"score template built by a job (started on A, {len(rows) - 1} rows, downloaded on B)")
    before = stored_levels(IMPORT_ROUND)
    started = time.monotonic()
    job_id, expected = upload_levels(manager, rows, shift=1)
    states = watch_job(manager, B, job_id)
    took = time.monotonic() - started
    check(states[-1] == "succeeded", f"the import job succeeded: {states}")
    done = manager.get(f"{B}/jobs/{job_id}/", headers={"HX-Request": "true"}).text
    check("100%" in done, "the fragment shows 100%")
    after = stored_levels(IMPORT_ROUND)
    check(len(after) == len(expected), f"one level per row: {len(after)} ≠ {len(expected)}")
    check({k: v[0] for k, v in after.items()} == expected, "the uploaded levels are stored")
    check(
        all(after[k][1] == before.get(k, (0, 0))[1] + 1 for k in after),
        "each level changed once (version + 1)",
    )
    ok(
        f"import of {len(expected)} levels applied on A, watched on B: states {' → '.join(states)}"
        f" ({took:.1f} s upload to done; template {template_s:.1f} s); levels stored"
    )


def step_kill_worker_and_app_server(manager: Browser) -> None:
    """SIGKILL the worker and app server 1 at once while an import is inside its
    transaction and readers use the balancer, then restart both.

    The demo round has only ~1,000 rows (well under a second to import), so the import is
    held mid-write: this script locks one of the round's verified levels (as another writer
    would), so the worker's UPDATE waits on that row, inside the import's transaction, when
    the worker is killed. Meanwhile four readers request public pages through the balancer
    and the manager's tabs poll the job page through the balancer and on B: no request may
    fail but those app server 1 was in the middle of answering."""
    # The row with the highest id: the UPDATE reaches it last (rows in id order), so the
    # rows before it are already written, uncommitted, when the worker dies.
    before = stored_levels(IMPORT_ROUND)
    rows = score_template(manager)
    blocker = db()
    blocker.autocommit = False
    blocker.execute(
        "SELECT v.id FROM evaluations_verifiedscore v"
        " JOIN evaluations_participation p ON p.id = v.participation_id"
        " JOIN evaluations_round r ON r.id = p.round_id"
        " JOIN regions_region g ON g.id = p.region_id"
        " JOIN evaluations_indicator i ON i.id = v.indicator_id"
        " WHERE r.slug = %s ORDER BY v.id DESC LIMIT 1 FOR UPDATE OF v",
        [IMPORT_ROUND],
    )
    job_id, expected = upload_levels(manager, rows, shift=2)

    stop = threading.Event()
    served: Counter[str] = Counter()
    failures: list[tuple[float, str]] = []

    def keep_asking(browser: Browser, urls: list[str], pause: float, **kwargs: object) -> None:
        i = 0
        while not stop.is_set():
            url = urls[i % len(urls)]
            i += 1
            asked = time.monotonic()
            try:
                status = browser.get(url, **kwargs).status_code
            except requests.RequestException as exc:
                failures.append((asked, f"{url}: {exc}"))
                continue
            served[url.split("/")[2]] += 1
            if status != 200:
                failures.append((asked, f"{url}: HTTP {status}"))
            time.sleep(pause)

    pages = [LB + u for u in ("/", f"/rounds/{ROUND}/", "/methodology/", "/rankings/")]
    threads = [threading.Thread(target=keep_asking, args=(Browser(), pages, 0)) for _ in range(4)]
    for base in (LB, B):
        tab = Browser()  # the manager's second tab: same cookies, own connections
        tab.session.cookies.update(manager.session.cookies)
        job_page = [f"{base}/jobs/{job_id}/"]
        threads.append(
            threading.Thread(
                target=keep_asking,
                args=(tab, job_page, 0.3),
                kwargs={"headers": {"HX-Request": "true"}},
            )
        )
    for t in threads:
        t.start()
    try:
        deadline = time.monotonic() + 60
        with db() as conn:
            while True:  # the import's UPDATE waits on the locked row
                waiting = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    " AND query ILIKE 'UPDATE%%evaluations_verifiedscore%%'"
                ).fetchone()[0]
                if waiting:
                    break
                check(
                    time.monotonic() < deadline, f"the import reached its writes: {job_row(job_id)}"
                )
                time.sleep(0.2)
        check(job_row(job_id) == ("running", 1), f"running, first attempt: {job_row(job_id)}")
        time.sleep(1)  # the readers are under way
        asked_before = sum(served.values())
        killed_at = time.monotonic()
        subprocess.run([str(STACK), "worker", "kill"], check=True)
        subprocess.run([str(STACK), "app", "1", "kill"], check=True)
        killed = job_row(job_id)
        blocker.rollback()  # the dead worker's transaction can end now: it rolls back
        blocker.close()
        time.sleep(2)
        check(stored_levels(IMPORT_ROUND) == before, "nothing of the killed import is stored")
        with db() as conn:
            idle = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%%'"
            ).fetchone()[0]
        check(idle == 0, f"no transaction left open by the dead worker ({idle})")
        during = sum(served.values()) - asked_before
        subprocess.run([str(STACK), "worker", "start"], check=True)
        subprocess.run([str(STACK), "app", "1", "start"], check=True)
        states = watch_job(manager, B, job_id)
        time.sleep(1)
    finally:
        stop.set()
        for t in threads:
            t.join()
    final = job_row(job_id)
    check(final == ("succeeded", 2), f"the job ran again after the restart: {final}, {states}")
    after = stored_levels(IMPORT_ROUND)
    check({k: v[0] for k, v in after.items()} == expected, "the retried import is stored")
    check(
        all(after[k][1] == before[k][1] + 1 for k in after) and len(after) == len(before),
        "applied exactly once (version + 1, same number of rows)",
    )
    # A request the killed server was answering when it died may fail (nginx cannot retry a
    # response it had started to pass on, and a retry that waits behind the other server's
    # queue may outlast the client's timeout on a loaded machine): only requests asked
    # before the kill may fail, at most one per reader and tab; none asked after it.
    in_flight = [f for at, f in failures if at <= killed_at + 0.5]
    later = [f for at, f in failures if at > killed_at + 0.5]
    check(not later, f"no request failed but those in flight on the killed server: {later[:5]}")
    check(len(in_flight) <= 6, f"at most one in flight per reader and tab failed: {in_flight}")
    check(during > 20, f"readers kept being served while app server 1 was down ({during})")
    a = requests.get(f"{A}/healthz", verify=CERT, timeout=5)
    check(a.status_code == 200, "app server 1 serves again after its restart")
    ok(
        f"worker and app server 1 killed at once mid-import (job {killed[0]}, attempt "
        f"{killed[1]}): {len(before)} stored levels unchanged; after the restarts the job ran "
        f"again: {final[0]} on attempt {final[1]}, {len(after)} levels applied once; "
        f"{sum(served.values())} reader requests and job-page polls through the balancer and "
        f"on B ({during} while app server 1 was down), {len(in_flight)} failed (in flight on "
        "it when killed), none other; app server 1 rejoined"
    )


def step_recipes() -> None:
    r = requests.get(f"http://127.0.0.1:{HTTP_PORT}/rankings/", allow_redirects=False, timeout=5)
    check(r.status_code == 301, f"HTTP answers 301, got {r.status_code}")
    check(r.headers["Location"] == f"{LB}/rankings/", f"redirect to HTTPS: {r.headers}")
    ok("plain HTTP redirects to HTTPS")
    home = requests.get(f"{LB}/", verify=CERT, timeout=10)
    check(home.status_code == 200, f"home 200 through nginx, got {home.status_code}")
    check("max-age" in home.headers.get("Strict-Transport-Security", ""), "HSTS on")
    css = re.search(r'href="(/static/[^"]+\.css)"', home.text)
    check(css is not None, "home links a stylesheet")
    static = requests.get(LB + css.group(1), verify=CERT, timeout=10)
    check(static.status_code == 200, "static file served")
    check("immutable" in static.headers.get("Cache-Control", ""), "hashed static is immutable")
    check(static.headers.get("Server", "").startswith("nginx"), "static from nginx")
    ok(f"TLS, HSTS, static files from nginx ({css.group(1)})")
    too_big = requests.post(
        f"{LB}/accounts/login/",
        data=b"x" * ((int(os.environ["EVIDENCE_MAX_UPLOAD_MB"]) + 2) * 1024 * 1024),
        verify=CERT,
        timeout=30,
    )
    check(too_big.status_code == 413, f"oversized body refused by nginx: {too_big.status_code}")
    ok("a body over EVIDENCE_MAX_UPLOAD_MB + 1 MB is refused by nginx (413)")


def step_evidence(city: Browser) -> None:
    r = city.login(A, "bekasi")
    check(r.status_code == 302, f"bekasi logs in on A: {r.status_code}")
    dashboard = city.get(f"{B}/dashboard/")
    check(dashboard.status_code == 200, f"the session works on B: {dashboard.status_code}")
    slug = re.search(r"/city/([^/]+)/", dashboard.url)
    check(slug is not None, "the city dashboard links the workspace")
    evidence = f"/city/{slug.group(1)}/bukti/"
    content = PDF + f"% stack-check {time.time()}\n".encode()
    r = city.post_form(
        A + evidence,
        A + evidence,
        {"title": "Bukti stack-check", "url": ""},
        files={"file": ("stack-check.pdf", content, "application/pdf")},
    )
    check(r.status_code == 302, f"upload on A accepted (302), got {r.status_code}")
    listing = city.get(B + evidence).text
    ids = [int(i) for i in re.findall(re.escape(evidence) + r"(\d+)/unduh/", listing)]
    check(bool(ids), "B lists the uploaded file")
    url = f"{B}{evidence}{max(ids)}/unduh/"
    download = city.get(url)
    check(download.status_code == 200, f"download through B: {download.status_code}")
    check(download.content == content, "B returns the very bytes uploaded on A")
    ok(f"evidence uploaded on A, downloaded byte-identical through B ({len(content)} B)")

    opts = os.environ["MEDIA_STORAGE_OPTIONS"]
    endpoint = re.search(r'"endpoint_url": "([^"]+)"', opts).group(1)
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="stack",
        aws_secret_access_key="stack",  # noqa: S106 - moto's dummy key
        region_name="us-east-1",
    )
    stored = [
        s3.get_object(Bucket="evidence", Key=o["Key"])["Body"].read()
        for o in s3.list_objects_v2(Bucket="evidence").get("Contents", [])
    ]
    check(content in stored, "the file is in the S3 bucket")
    check(not (STACK_DIR / "media-unused").exists(), "nothing written to MEDIA_ROOT")
    ok("the file lives in the S3 bucket, not on an app server's disk")

    # Downloads are rate limited per user (RATELIMIT_DOWNLOADS=6/m), counted in Redis:
    # alternate the servers; the limit is reached after 6 in all, not 6 per server.
    def burst() -> list[int]:
        return [
            city.get(f"{(A, B)[i % 2]}{evidence}{max(ids)}/unduh/").status_code for i in range(7)
        ]

    statuses = burst()
    # One download above already counted: downloads 2-6 pass, the 7th and 8th are refused.
    if statuses != [200] * 5 + [429, 429]:
        # django-ratelimit's windows are fixed (each key's start hashed): on a slow machine
        # a window can end mid-burst and its count start again. Once more, within the new
        # window: whichever server answers, the count is shared, so once one refuses, both
        # refuse, after at most six downloads in the window.
        print(f"  ..  a rate window ended mid-burst ({statuses}): once more")
        statuses = burst()
        check(429 in statuses, f"the limit is reached across both servers: {statuses}")
        first = statuses.index(429)
        check(first <= 6, f"at most six downloads a window: {statuses}")
        check(set(statuses[first:]) == {429}, f"refused on both servers after it: {statuses}")
    ok(f"download limit counted across both servers: {statuses}")


def step_freshness(manager: Browser, reader: Browser) -> None:
    login_with_code(manager, A, "manager")
    page = f"/rounds/{ROUND}/"
    for _ in range(2):  # the second read is a cached hit on B
        check(reader.get(B + page).status_code == 200, "the round is public on B")
        check(reader.get(A + page).status_code == 200, "the round is public on A")
    round_page = f"{A}/review/rounds/{ROUND}/"

    notice = 'data-notice="correction"'
    check(notice not in reader.get(B + page).text, "no correction notice before the re-open")
    r = manager.post_form(
        round_page, f"{A}/review/rounds/{ROUND}/step/reopen/", {"reason": "stack-check"}
    )
    check(r.status_code == 302, f"reopen on A: {r.status_code}")
    # Published is forever: the figures stay public, marked as under correction.
    under = reader.get(B + page)
    check(under.status_code == 200, f"the published figures stay public ({under.status_code})")
    check(notice in under.text and "stack-check" in under.text, "B shows the correction at once")
    ok("a round re-opened on A shows its correction notice on B's cached page at once")

    for action in ("finalise", "publish"):
        r = manager.post_form(
            round_page, f"{A}/review/rounds/{ROUND}/step/{action}/", {"note": "stack-check"}
        )
        check(r.status_code == 302, f"{action} on A: {r.status_code}")
    back = reader.get(B + page)
    check(back.status_code == 200, f"B shows the republished round ({back.status_code})")
    check(notice not in back.text, "B drops the correction notice at once")
    again = reader.get(A + page)
    check(again.headers["ETag"] == back.headers["ETag"], "same page, same ETag on A and B")
    ok("its new publication on A is on B at once; both servers give the same ETag")


def step_lockout() -> None:
    """Failed logins for one user from one address, alternating servers, lock the pair out."""
    intruder = Browser()
    statuses = [
        intruder.login((A, B)[i % 2], "bandung", "wrong-password").status_code for i in range(3)
    ]
    # Failures 1 (A) and 2 (B) get the form again; failure 3 (A) reaches the limit.
    check(statuses[:2] == [200, 200], f"wrong passwords refused with the form: {statuses}")
    check(statuses[2] in (403, 429), f"the third failure locks out: {statuses}")
    owner = Browser()
    r = owner.login(B, "bandung")
    check(r.status_code in (403, 429), f"after 3 failures on A and B, locked out: {r.status_code}")
    check(r.status_code != 302, "no session for a locked-out user")
    ok(f"lock-out after AXES_FAILURE_LIMIT=3 failures, counted across A and B ({r.status_code})")


def step_shared_cache() -> None:
    r = redis.Redis.from_url(os.environ["REDIS_URL"])
    keys = [k.decode() for k in r.keys("smartcity:*")]
    check(any("public-page" in k for k in keys), f"public pages cached in Redis: {keys[:5]}")
    ok(f"Redis holds the shared cache ({len(keys)} keys)")


def main() -> int:
    started = time.monotonic()
    print("stack-check: a journey across two app servers behind nginx")
    try:
        step_recipes()
        step_evidence(Browser())
        manager = Browser()
        step_freshness(manager, Browser())
        step_long_import(manager)
        step_lockout()
        step_shared_cache()
        step_kill_worker_and_app_server(manager)
    except CheckFailed as exc:
        print(f"FAIL {exc}", file=sys.stderr)
        return 1
    print(f"stack-check passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
