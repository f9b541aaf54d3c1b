"""``make stack-check``: a scripted journey through the loopback stack of ``stack.sh``.

Every request goes through nginx over TLS. Two listeners are pinned to one app server each
(``A`` and ``B``), so the journey can choose which server answers; the balanced listener
(``LB``) is what real readers use. What it shows:

1. the recipes work: TLS, HTTP → HTTPS, static files from nginx, the upload limit;
2. evidence uploaded on A is downloaded through B (the object store is shared, and the
   file is in the S3 bucket, not on either server's disk);
3. a publication step on A is seen on B at once (the published-data version is shared);
4. rate limits and lock-outs are counted across both servers (Redis, the database);
5. killing an app server mid-traffic fails no request through the balancer, and the
   server rejoins after a restart.

Run by ``deploy/stack/run-check.sh`` with the stack's environment; exits non-zero with the
step that failed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import boto3
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
    statuses = [
        city.get(f"{(A, B)[i % 2]}{evidence}{max(ids)}/unduh/").status_code for i in range(7)
    ]
    # One download above already counted.
    check(statuses[:5] == [200] * 5, f"first downloads pass: {statuses}")
    check(statuses[5:] == [429, 429], f"the 7th and 8th are refused on either server: {statuses}")
    ok(f"download limit counted across both servers: {statuses}")


def step_freshness(manager: Browser, reader: Browser) -> None:
    r = manager.login(A, "manager")
    check(r.status_code == 302, f"manager logs in on A: {r.status_code}")
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


def step_kill_app_server() -> None:
    """Readers hammer the balancer while app server 1 is killed (SIGKILL) and restarted."""
    stop = threading.Event()
    results: Counter[str] = Counter()
    failures: list[str] = []
    urls = ["/", f"/rounds/{ROUND}/", "/methodology/", "/rankings/"]

    def reader() -> None:
        browser = Browser()
        i = 0
        while not stop.is_set():
            url = LB + urls[i % len(urls)]
            i += 1
            try:
                status = browser.get(url).status_code
            except requests.RequestException as exc:
                failures.append(f"{time.monotonic():.3f} {url}: {exc}")
                continue
            results[str(status)] += 1
            if status != 200:
                failures.append(f"{url}: HTTP {status}")

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(3)
    before = sum(results.values())
    killed_at = time.monotonic()
    subprocess.run([str(STACK), "app", "1", "kill"], check=True)
    time.sleep(4)
    during = sum(results.values()) - before
    subprocess.run([str(STACK), "app", "1", "start"], check=True)
    time.sleep(3)
    stop.set()
    for t in threads:
        t.join()
    # A response the killed server was sending when it died cannot be retried (nginx had
    # passed part of it on): those requests in flight may fail, nothing after them.
    in_flight = [f for f in failures if killed_at <= float(f.split()[0]) <= killed_at + 2]
    later = [f for f in failures if f not in in_flight]
    check(not later, f"no reader request failed but those in flight: {later[:5]}")
    check(len(in_flight) <= 4, f"at most one in flight per reader failed: {in_flight}")
    check(during > 20, f"readers kept being served while app server 1 was down ({during})")
    a = requests.get(f"{A}/healthz", verify=CERT, timeout=5)
    check(a.status_code == 200, "app server 1 serves again after its restart")
    ok(
        f"app server 1 killed mid-traffic: {sum(results.values())} reader requests, "
        f"{during} while it was down, {len(in_flight)} failed (in flight on it when killed), "
        "none other; it rejoined after a restart"
    )


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
        step_freshness(Browser(), Browser())
        step_lockout()
        step_shared_cache()
        step_kill_app_server()
    except CheckFailed as exc:
        print(f"FAIL {exc}", file=sys.stderr)
        return 1
    print(f"stack-check passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
