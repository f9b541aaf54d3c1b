"""`make bench`: server time, query counts and sizes of the key pages on the national dataset.

Run by ``make bench`` (which starts the throwaway PostgreSQL of ``bench/pg.sh``, migrates,
loads the reference data, generates or reuses the synthetic national dataset and collects
the static files); by hand: ``DATABASE_URL=... .venv/bin/python bench/run.py``.

How it measures:

- **Pages** are requested in-process with Django's test ``Client`` (the whole middleware
  stack, templates, ORM and PostgreSQL over TCP; no HTTP server or network in between), so
  the time is *server time*. Each page is requested ``--warmup`` times, then ``--repeat``
  times with a timer (p50/p95 of those), and once more inside ``CaptureQueriesContext`` for
  the query count (the capture slows a request down, so it is not timed).
- Public pages are measured **uncached** (the cache is cleared before each request) and
  **cached** (served from the page cache of ``evaluations.caching``). The cached page and
  the static file it is compared with are both requested through the WSGI application
  gunicorn runs (``smartcity.wsgi``: ``FastPublicPages`` in front of Django, every
  middleware, WhiteNoise), by a ``WsgiClient`` that keeps its cookies as a browser does.
- **Baselines**, measured in the same run so that figures compare across noisy machines:
  for every page, a static file of similar size served by WhiteNoise through the same
  stack; for the rankings and the finalisation, the bare SQL behind them (the ranking
  table's SELECT, and the GROUP BY aggregate plus RANK() that computes an index and a rank).
- **Finalising** (``round_finalise``: checks, the engine, results with history) and
  **publishing** the round under review with all 514 regions, and **importing** a
  30,326-row XLSX of verified levels (``verified_levels_import``) are run inside a
  transaction that is rolled back, so the dataset stays as generated and the bench can be
  run again. The import uses a bench-only copy of the default instrument with 59 indicators
  (514 × 59 = 30,326 rows; the default has 43, i.e. 22,102 rows per round).
- **Peak memory** is the process's maximum resident set size (``getrusage``) after each
  part, and the Python allocation peak (``tracemalloc``) of the import and the finalisation,
  measured in a separate untimed run.

Prints a Markdown table and writes it to ``bench-results/latest.md``. Exits non-zero when a
target is missed (``--no-fail`` to only report).
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from wsgiref.util import FileWrapper

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcity.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from evaluations.caching import local_pages  # noqa: E402
from evaluations.models import (  # noqa: E402
    Indicator,
    Instrument,
    Participation,
    RatingBand,
    Round,
    RoundStatus,
    SelfAssessmentStatus,
    VerifiedScore,
)
from evaluations.services import rounds as round_services  # noqa: E402
from evaluations.services import scores_io  # noqa: E402
from regions.models import Region  # noqa: E402
from smartcity.people.demo import prepare_demo_account  # noqa: E402
from smartcity.people.second_factor import REQUIRED_SESSION_KEY, TOTP_DEVICE_NAME  # noqa: E402
from smartcity.synthetic import national  # noqa: E402

# Targets on the 2-core machine (issue 6).
PAGE_P95_MS = 100.0
PAGE_QUERIES = 15
CACHED_P95_MS = 10.0
# A cached public page costs at most this many times a static file of about its size
# (p50, both through the same stack; issue 10). Rate-limited downloads are exempt: the
# limit must see every request, so they go through the whole stack.
CACHED_STATIC_RATIO = 2.0
FINALISE_S = 2.0
REPUBLISH_S = 5.0  # issue 15: a correction republished with its later rounds' revisions
IMPORT_S = 10.0
IMPORT_EXTRA_INDICATORS = 16


def ms(seconds: float) -> float:
    return seconds * 1000


def pct(values: list[float], q: int) -> float:
    """The q-th percentile (inclusive method: p95 of 30 samples interpolates the top two)."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


@dataclass
class Timing:
    times: list[float]
    queries: int
    size: int
    status: int
    cpu: list[float] = field(default_factory=list)

    @property
    def cpu_p50(self) -> float:
        """This process's CPU time (Python: views, templates, ORM; not PostgreSQL's): less
        sensitive than the wall clock to other work on a shared machine."""
        return ms(pct(self.cpu, 50))

    @property
    def p50(self) -> float:
        return ms(pct(self.times, 50))

    @property
    def p95(self) -> float:
        return ms(pct(self.times, 95))


@dataclass
class PageRow:
    name: str
    url: str
    who: str
    uncached: Timing
    cached: Timing | None = None
    static: tuple[str, int, Timing] | None = None
    rate_limited: bool = False

    def misses(self) -> list[str]:
        out = []
        if self.uncached.status != 200:
            out.append(f"{self.name}: HTTP {self.uncached.status}")
        if self.uncached.p95 > PAGE_P95_MS:
            out.append(f"{self.name}: p95 {self.uncached.p95:.0f} ms > {PAGE_P95_MS:.0f} ms")
        if self.uncached.queries > PAGE_QUERIES:
            out.append(f"{self.name}: {self.uncached.queries} queries > {PAGE_QUERIES}")
        if self.cached and self.cached.p95 > CACHED_P95_MS:
            out.append(
                f"{self.name} (cached): p95 {self.cached.p95:.1f} ms > {CACHED_P95_MS:.0f} ms"
            )
        ratio = self.cached_ratio
        if ratio is not None and not self.rate_limited and ratio > CACHED_STATIC_RATIO:
            out.append(
                f"{self.name} (cached): CPU {ratio:.1f}× a static file > {CACHED_STATIC_RATIO:.0f}×"
            )
        return out

    @property
    def cached_ratio(self) -> float | None:
        """Cost of a cached hit against a static file: this process's CPU time (p50), which
        a busy machine moves much less than the wall clock (the wall-clock ratio is shown
        beside it; it adds the wait for Redis or PostgreSQL, one round trip)."""
        if not (self.cached and self.static):
            return None
        return self.cached.cpu_p50 / max(self.static[2].cpu_p50, 0.001)

    @property
    def cached_wall_ratio(self) -> float | None:
        if not (self.cached and self.static):
            return None
        return self.cached.p50 / self.static[2].p50


@dataclass
class OpRow:
    name: str
    seconds: list[float]
    queries: int | None = None
    baseline: str = ""
    target: float | None = None
    note: str = ""
    # CPU seconds of this process and of its PostgreSQL backend per run (the wall clock
    # mostly measures waiting for a core when other jobs share the machine), and the load
    # average (1 min) when the runs ended.
    cpu: list[float] = field(default_factory=list)
    db_cpu: list[float] = field(default_factory=list)
    load: float | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def cpu_text(self) -> str:
        if not self.cpu:
            return "–"
        text = f"{statistics.median(self.cpu):.2f}"
        if self.db_cpu:
            text += f" + {statistics.median(self.db_cpu):.2f}"
        return text

    def misses(self) -> list[str]:
        if self.target is not None and max(self.seconds) > self.target:
            return [f"{self.name}: {max(self.seconds):.2f} s > {self.target:.0f} s"]
        return []


@dataclass
class Bench:
    repeat: int
    warmup: int
    pages: list[PageRow] = field(default_factory=list)
    ops: list[OpRow] = field(default_factory=list)
    memory: list[tuple[str, float]] = field(default_factory=list)
    static_files: list[tuple[int, str]] = field(default_factory=list)
    load: str = ""

    # --- measuring ----------

    def _get(
        self, client: Client | WsgiClient, url: str, *, clear: bool
    ) -> tuple[float, float, int, int]:
        if clear:
            cache.clear()
            local_pages.clear()
        if isinstance(client, WsgiClient):
            started = time.perf_counter()
            cpu = time.process_time()
            status, content = client.get(url)
            elapsed = time.perf_counter() - started
            return elapsed, time.process_time() - cpu, len(content), status
        started = time.perf_counter()
        cpu = time.process_time()
        response = client.get(url)
        body = (
            b"".join(response.streaming_content)  # type: ignore[attr-defined]  # when streaming
            if response.streaming
            else response.content
        )
        # The client closed the response already (a second close() would send
        # request_finished again, whose handler closes the connection inside a transaction).
        elapsed = time.perf_counter() - started
        return elapsed, time.process_time() - cpu, len(body), response.status_code

    def time_url(self, client: Client | WsgiClient, url: str, *, clear: bool = False) -> Timing:
        for _ in range(self.warmup):
            self._get(client, url, clear=clear)
        times, cpu = [], []
        size = status = 0
        for _ in range(self.repeat):
            elapsed, used, size, status = self._get(client, url, clear=clear)
            times.append(elapsed)
            cpu.append(used)
        if clear:
            cache.clear()
            local_pages.clear()
        with CaptureQueriesContext(connection) as queries:
            self._get(client, url, clear=False)
        return Timing(times, len(queries), size, status, cpu)

    def nearest_static(self, size: int) -> tuple[str, int]:
        best = min(self.static_files, key=lambda item: abs(item[0] - size))
        return best[1], best[0]

    def page(
        self,
        name: str,
        url: str,
        user: User | None,
        *,
        public: bool = False,
        rate_limited: bool = False,
    ) -> PageRow:
        client = Client()
        if user is not None:
            signed_in(client, user)
        uncached = self.time_url(client, url, clear=public)
        row = PageRow(
            name, url, user.username if user else "anonymous", uncached, rate_limited=rate_limited
        )
        # The cached page and the static file: both through the WSGI application gunicorn
        # runs (smartcity.wsgi: the cached-page layer in front of Django, then Django with
        # every middleware, WhiteNoise among them), each by a reader of its own.
        if public:
            row.cached = self.time_url(WsgiClient(), url, clear=False)
        if self.static_files:
            path, size = self.nearest_static(uncached.size)
            row.static = (path, size, self.time_url(WsgiClient(), settings.STATIC_URL + path))
        self.pages.append(row)
        print(
            f"  {name:<36} {uncached.queries:>3} q  p50 {uncached.p50:6.1f} ms  "
            f"p95 {uncached.p95:6.1f} ms  cpu {uncached.cpu_p50:6.1f} ms  "
            f"{uncached.size / 1024:7.1f} KiB"
            + (f"  cached p95 {row.cached.p95:5.2f} ms" if row.cached else ""),
            flush=True,
        )
        return row

    # --- report ----------

    def misses(self) -> list[str]:
        return [m for row in self.pages for m in row.misses()] + [
            m for op in self.ops for m in op.misses()
        ]

    def markdown(self, context: dict[str, str]) -> str:
        out = ["# Benchmark results", ""]
        out += [f"- {k}: {v}" for k, v in context.items()]
        out += [
            f"- requests per page: {self.warmup} warm-up, {self.repeat} timed; times are "
            "server time in-process, PostgreSQL over loopback TCP: pages through Django's test "
            "Client; the cached page and its static file through the WSGI application gunicorn "
            "runs (smartcity.wsgi), each by one reader that keeps its cookies",
            f"- load average when the pages were measured: {self.load}",
            "",
            "## Pages",
            "",
            "| page | user | queries | p50 ms | p95 ms | CPU p50 ms | size KiB "
            "| cached p50 / p95 ms | static baseline (WhiteNoise) p50 / p95 ms "
            "| cached ÷ static: CPU p50 (wall p50 ratio) | target met |",
            "|---|---|--:|--:|--:|--:|--:|--:|---|--:|:-:|",
        ]
        for row in self.pages:
            t = row.uncached
            cached = f"{row.cached.p50:.2f} / {row.cached.p95:.2f}" if row.cached else "–"
            static = "–"
            if row.static:
                path, size, st = row.static
                static = f"{st.p50:.2f} / {st.p95:.2f} ({Path(path).name}, {size / 1024:.0f} KiB)"
            ok = "yes" if not row.misses() else "**no**"
            ratio = "–"
            if row.cached_ratio is not None and row.cached and row.static:
                ratio = (
                    f"{row.cached.cpu_p50:.3f} ÷ {row.static[2].cpu_p50:.3f} ms = "
                    f"{row.cached_ratio:.1f}× ({row.cached_wall_ratio:.1f}×)"
                )
            if row.rate_limited and row.cached_ratio is not None:
                ratio += " (rate-limited: full stack)"
            out.append(
                f"| {row.name} | {row.who} | {t.queries} | {t.p50:.1f} | {t.p95:.1f} "
                f"| {t.cpu_p50:.1f} | {t.size / 1024:.1f} | {cached} | {static} | {ratio} "
                f"| {ok} |"
            )
        out += [
            "",
            f"Targets: p95 ≤ {PAGE_P95_MS:.0f} ms and ≤ {PAGE_QUERIES} queries per page; "
            f"cached public pages p95 ≤ {CACHED_P95_MS:.0f} ms and ≤ {CACHED_STATIC_RATIO:.0f}× "
            "the CPU time of a static file of about the same size (p50); cache: "
            + settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
            + ".",
            "",
            "## Operations",
            "",
            "| operation | runs | min s | median s | max s | CPU s, median (Python + "
            "PostgreSQL) | load | queries | baseline | target | note |",
            "|---|--:|--:|--:|--:|--:|--:|--:|---|--:|---|",
        ]
        for op in self.ops:
            target = f"≤ {op.target:.0f} s" if op.target is not None else "–"
            queries = "–" if op.queries is None else str(op.queries)
            load = "–" if op.load is None else f"{op.load:.1f}"
            out.append(
                f"| {op.name} | {len(op.seconds)} | {min(op.seconds):.3f} | {op.median:.3f} "
                f"| {max(op.seconds):.3f} | {op.cpu_text()} | {load} | {queries} "
                f"| {op.baseline or '–'} | {target} | {op.note} |"
            )
        out += ["", "## Memory", "", "| after | peak RSS MiB |", "|---|--:|"]
        out += [f"| {what} | {mb:.0f} |" for what, mb in self.memory]
        misses = self.misses()
        out += ["", "## Verdict", ""]
        out += [f"- MISSED: {m}" for m in misses] or ["Every target met."]
        return "\n".join(out) + "\n"


def signed_in(client: Client, user: User) -> None:
    """``user`` signed in on ``client``, past the second factor that reviewers and managers
    owe (without it their pages answer 302 to the code step; the load test's accounts get
    the same authenticator, ``prepare_demo_account``)."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    if session.get(REQUIRED_SESSION_KEY):
        prepare_demo_account(user)
        device = TOTPDevice.objects.get(user=user, name=TOTP_DEVICE_NAME)
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


class WsgiClient:
    """A reader in front of ``smartcity.wsgi.application``, as gunicorn calls it: a WSGI
    environ (with gunicorn's ``wsgi.file_wrapper``), the body read to its end and closed
    (which ends Django's request), the cookies kept between requests."""

    def __init__(self) -> None:
        from smartcity.wsgi import application

        self.app = application
        self.cookies = SimpleCookie()

    def get(self, url: str) -> tuple[int, bytes]:
        path, _, query = url.partition("?")
        # What gunicorn hands the application for a browser's GET.
        environ = {
            "REQUEST_METHOD": "GET",
            "SCRIPT_NAME": "",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "testserver",
            "HTTP_USER_AGENT": "Mozilla/5.0 (bench)",
            "HTTP_ACCEPT": "text/html,application/xhtml+xml,*/*;q=0.8",
            "HTTP_ACCEPT_LANGUAGE": "id-ID,id;q=0.9,en;q=0.8",
            "HTTP_ACCEPT_ENCODING": "gzip, deflate, br",
            "HTTP_COOKIE": "; ".join(f"{k}={m.value}" for k, m in self.cookies.items()),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "wsgi.file_wrapper": FileWrapper,
        }
        got: list[Any] = []

        def start_response(status: str, headers: list[tuple[str, str]], *exc: Any) -> None:
            got[:] = [status, headers]

        # Django ends a request by closing the database connections it may hold; the bench's
        # own connection inside a transaction (the editable form) must stay open.
        quiet = connection.in_atomic_block
        if quiet:
            request_started.disconnect(close_old_connections)
            request_finished.disconnect(close_old_connections)
        try:
            body = self.app(environ, start_response)
            try:
                content = b"".join(body)
            finally:
                if hasattr(body, "close"):
                    body.close()
        finally:
            if quiet:
                request_started.connect(close_old_connections)
                request_finished.connect(close_old_connections)
        for name, value in got[1]:
            if name.lower() == "set-cookie":
                self.cookies.load(value)
        return int(got[0][:3]), content


# --- The dataset --------------------------------------------------------------------------------


def latest_published() -> Round:
    return Round.objects.filter(
        slug__startswith=national.SLUG_PREFIX, status=RoundStatus.PUBLISHED
    ).latest("year", "phase")


def current_round() -> Round:
    return Round.objects.get(slug__startswith=national.SLUG_PREFIX, status=RoundStatus.REVIEW)


def collect_static_files() -> list[tuple[int, str]]:
    root = Path(settings.STATIC_ROOT)
    if not root.is_dir():
        return []
    files = []
    for path in root.rglob("*"):
        if path.is_file() and path.suffix not in {".gz", ".br"} and path.name != "staticfiles.json":
            files.append((path.stat().st_size, path.relative_to(root).as_posix()))
    return files


# --- Bare SQL baselines ---------------------------------------------------------------------

RANKING_SQL = """
SELECT r.national_rank, g.code, g.name, p.name, r.index, r.rating_band
FROM evaluations_result r
JOIN evaluations_participation pa ON pa.id = r.participation_id
JOIN regions_region g ON g.id = pa.region_id
JOIN regions_province p ON p.id = g.province_id
WHERE pa.round_id = %s
ORDER BY r.national_rank, g.code
"""

AGGREGATE_SQL = """
WITH component AS (
    SELECT v.participation_id AS pid, i.component,
           ROUND(SUM(v.level * i.weight) / SUM(i.weight), 2) AS score
    FROM evaluations_verifiedscore v
    JOIN evaluations_indicator i ON i.id = v.indicator_id
    JOIN evaluations_participation pa ON pa.id = v.participation_id
    WHERE pa.round_id = %s AND NOT pa.excluded
    GROUP BY v.participation_id, i.component
), indexed AS (
    SELECT pid, ROUND(SUM(score * CASE component
        WHEN 'baseline' THEN %s WHEN 'output' THEN %s WHEN 'outcome' THEN %s
        WHEN 'impact' THEN %s ELSE %s END) / 100, 2) AS idx
    FROM component GROUP BY pid
)
SELECT pid, idx, RANK() OVER (ORDER BY idx DESC) FROM indexed
"""


def backend_cpu() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend (``/proc``; the
    bench runs as root beside its own cluster), or None where that cannot be read."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuClock:
    """CPU seconds of this process and of its PostgreSQL backend over a ``with`` block."""

    def __enter__(self) -> CpuClock:
        self.db_start = backend_cpu()
        self.start = time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cpu = time.process_time() - self.start
        end = backend_cpu()
        self.db = None if end is None or self.db_start is None else end - self.db_start


def time_sql(sql: str, params: list[Any], repeat: int) -> list[float]:
    times = []
    with connection.cursor() as cursor:
        for _ in range(repeat + 1):
            started = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            times.append(time.perf_counter() - started)
    return times[1:]


# --- Operations ----------------------------------------------------------------------------------


def _fill_verified(round_: Round, manager: User) -> None:
    """Every participation of the round under review gets a verified level per indicator
    (the mean of its panel's scores, 3 where nobody scored), as a lead would set them."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO evaluations_verifiedscore
                (participation_id, indicator_id, level, comment, set_by_id, updated_at, version)
            SELECT pa.id, i.id, COALESCE(ROUND(AVG(s.level))::int, 3), '', %s, NOW(), 1
            FROM evaluations_participation pa
            JOIN evaluations_indicator i ON i.instrument_id = %s
            LEFT JOIN evaluations_score s
                ON s.participation_id = pa.id AND s.indicator_id = i.id
            WHERE pa.round_id = %s
            GROUP BY pa.id, i.id
            """,
            [manager.pk, round_.instrument_id, round_.pk],
        )


class Rollback(Exception):
    pass


def measure_finalise(bench: Bench, manager: User, repeat: int, *, trace: bool = False) -> None:
    """Finalise and publish the round under review, rolled back each time."""
    round_ = current_round()
    regions = round_.participations.count()
    finalise, publish = [], []
    cpu, db_cpu = [], []
    queries = None
    peak = 0
    for _ in range(1 if trace else repeat):
        try:
            with transaction.atomic():
                _fill_verified(round_, manager)
                round_.refresh_from_db()
                if trace:
                    tracemalloc.start()
                with CaptureQueriesContext(connection) as captured, CpuClock() as clock:
                    started = time.perf_counter()
                    round_services.round_finalise(round=round_, by=manager)
                    finalise.append(time.perf_counter() - started)
                queries = len(captured)
                cpu.append(clock.cpu)
                if clock.db is not None:
                    db_cpu.append(clock.db)
                started = time.perf_counter()
                round_services.round_publish(round=round_, by=manager, note="bench")
                publish.append(time.perf_counter() - started)
                if trace:
                    peak = tracemalloc.get_traced_memory()[1]
                    tracemalloc.stop()
                raise Rollback
        except Rollback:
            pass
        round_.refresh_from_db()
        cache.clear()
    if trace:
        bench.memory.append(
            ("finalise + publish: Python allocation peak (tracemalloc)", peak / 2**20)
        )
        return
    weights = round_.instrument.component_weights()
    sql = time_sql(AGGREGATE_SQL, [latest_published().pk, *weights.values()], repeat=max(repeat, 5))
    bench.ops.append(
        OpRow(
            f"finalise a {regions}-region round (round_finalise: checks, engine, results)",
            finalise,
            queries,
            baseline=f"bare SQL aggregate + RANK(): {ms(statistics.median(sql)):.1f} ms",
            target=FINALISE_S,
            note="rolled back after each run",
            cpu=cpu,
            db_cpu=db_cpu,
            load=os.getloadavg()[0],
        )
    )
    bench.ops.append(
        OpRow(
            f"publish it (round_publish: snapshot of {regions} results)",
            publish,
            note="rolled back after each run",
        )
    )


def measure_republish(bench: Bench, manager: User, repeat: int) -> None:
    """Correct the earliest published national round and republish it: the engine
    recomputes it and every later published round gets a derived revision (issue 15), all
    in one transaction; rolled back each time."""
    round_ = (
        Round.objects.filter(slug__startswith=national.SLUG_PREFIX, status=RoundStatus.PUBLISHED)
        .order_by("year", "phase")
        .first()
    )
    assert round_ is not None, "no published national round (generate_national first)"
    later = (
        Round.objects.filter(
            slug__startswith=national.SLUG_PREFIX, status=RoundStatus.PUBLISHED
        ).count()
        - 1
    )
    regions = round_.participations.count()
    times: list[float] = []
    cpu: list[float] = []
    db_cpu: list[float] = []
    queries = None
    for _ in range(repeat):
        try:
            with transaction.atomic():
                round_services.round_reopen(round=round_, by=manager, reason="bench")
                # A correction that moves every region: one level up on the first indicator.
                first = round_.instrument.indicators.order_by("order", "code").first()
                VerifiedScore.objects.filter(
                    participation__round=round_, indicator=first, level__lt=5
                ).update(level=F("level") + 1)
                round_services.round_finalise(round=round_, by=manager)
                with CaptureQueriesContext(connection) as captured, CpuClock() as clock:
                    started = time.perf_counter()
                    round_services.round_publish(round=round_, by=manager, note="bench")
                    times.append(time.perf_counter() - started)
                queries = len(captured)
                cpu.append(clock.cpu)
                if clock.db is not None:
                    db_cpu.append(clock.db)
                raise Rollback
        except Rollback:
            pass
        round_.refresh_from_db()
        cache.clear()
    bench.ops.append(
        OpRow(
            f"republish a corrected {regions}-region round with its {later} later rounds' "
            "revisions (round_publish)",
            times,
            queries,
            target=REPUBLISH_S,
            note="rolled back after each run",
            cpu=cpu,
            db_cpu=db_cpu,
            load=os.getloadavg()[0],
        )
    )


def _import_round(manager: User) -> Round:
    """A round under review with every region and a 59-indicator copy of the default
    instrument (inside the caller's transaction, which is rolled back)."""
    default = Instrument.objects.default()
    copy = Instrument.objects.create(
        code=f"{national.SLUG_PREFIX}bench-import",
        name=f"Instrumen uji impor ({national.LABEL})",
        year=default.year,
        **{f"weight_{code}": w for code, w in default.component_weights().items()},
    )
    indicators = list(default.indicators.order_by("order", "code"))
    extra = indicators[:IMPORT_EXTRA_INDICATORS]
    fields = ("name", "component", "dimension_id", "element_id", "weight")
    Indicator.objects.bulk_create(
        [
            Indicator(instrument=copy, code=i.code, order=n, **{f: getattr(i, f) for f in fields})
            for n, i in enumerate(indicators)
        ]
        + [
            Indicator(
                instrument=copy,
                code=f"{i.code}-B",
                order=len(indicators) + n,
                **{f: getattr(i, f) for f in fields},
            )
            for n, i in enumerate(extra)
        ]
    )
    RatingBand.objects.bulk_create(
        [
            RatingBand(instrument=copy, name=b.name, min_index=b.min_index)
            for b in default.rating_bands.all()
        ]
    )
    round_ = Round.objects.create(
        year=2099,
        phase=4,
        name=f"Uji impor ({national.LABEL})",
        slug=f"{national.SLUG_PREFIX}bench-import",
        instrument=copy,
        self_assessment_opens="2000-01-01",
        self_assessment_closes="2000-01-31",
    )
    round_services.round_add_participants(round=round_, regions=Region.objects.all(), by=manager)
    round_services.round_open_self_assessment(round=round_, by=manager)
    round_services.round_start_review(round=round_, by=manager)
    return round_


def _filled_xlsx(round_: Round) -> tuple[bytes, int]:
    """The round's scores template with every level filled in, as a user would upload it."""
    rows = scores_io.template_rows(round_)
    level = scores_io.COLUMNS.index("level")
    # A normal (not write-only) workbook, as the portal's template and spreadsheet programs
    # write them.
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = scores_io.SHEET_NAME
    sheet.append(scores_io.COLUMNS)
    for n, row in enumerate(rows):
        row[level] = (n * 7 + n // 43) % 6
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), len(rows)


def measure_import(bench: Bench, manager: User, repeat: int, *, trace: bool = False) -> None:
    imports, templates = [], []
    queries = rows = size = None
    peak = 0
    for _ in range(1 if trace else repeat):
        try:
            with transaction.atomic():
                round_ = _import_round(manager)
                started = time.perf_counter()
                scores_io.template_xlsx(round_)
                templates.append(time.perf_counter() - started)
                data, rows = _filled_xlsx(round_)
                size = len(data)
                if trace:
                    tracemalloc.start()
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    report = scores_io.verified_levels_import(
                        round=round_, data=data, filename="nilai.xlsx", by=manager
                    )
                    imports.append(time.perf_counter() - started)
                if trace:
                    peak = tracemalloc.get_traced_memory()[1]
                    tracemalloc.stop()
                queries = len(captured)
                assert report.created == rows, report
                raise Rollback
        except Rollback:
            pass
    if trace:
        bench.memory.append(("XLSX import: Python allocation peak (tracemalloc)", peak / 2**20))
        return
    assert size is not None
    bench.ops.append(
        OpRow(
            f"import verified levels from XLSX ({rows:,} rows, {size / 2**20:.1f} MiB)",
            imports,
            queries,
            baseline="",
            target=IMPORT_S,
            note="verified_levels_import: parse, check every row, bulk insert with history",
        )
    )
    bench.ops.append(
        OpRow(
            f"scores template XLSX download ({rows:,} rows)",
            templates,
            note="scores_io.template_xlsx",
        )
    )


# --- Main -------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=50, help="Timed requests per page.")
    parser.add_argument("--warmup", type=int, default=3, help="Untimed requests per page.")
    parser.add_argument("--op-repeat", type=int, default=3, help="Runs of each operation.")
    parser.add_argument("--out", default=str(ROOT / "bench-results" / "latest.md"))
    parser.add_argument(
        "--pages-only", action="store_true", help="Skip finalising and importing (minutes)."
    )
    parser.add_argument("--no-fail", action="store_true", help="Exit 0 even if a target is missed.")
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        print("error: the benchmark runs on PostgreSQL (set DATABASE_URL).", file=sys.stderr)
        return 2
    if settings.DEBUG:
        print("error: run with DEBUG off (it keeps every query in memory).", file=sys.stderr)
        return 2
    # The test client's host.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if not Round.objects.filter(slug__startswith=national.SLUG_PREFIX).exists():
        print("error: no synthetic data: run manage.py generate_national.", file=sys.stderr)
        return 2

    bench = Bench(repeat=args.repeat, warmup=args.warmup)
    bench.static_files = collect_static_files()
    if not bench.static_files:
        print("warning: no collected static files: run manage.py collectstatic for the baseline.")

    published = latest_published()
    review = current_round()
    manager = User.objects.get(username=national.MANAGER_USERNAME)
    reviewer = User.objects.get(username=national.reviewer_username(1))
    participations = Participation.objects.filter(round=review).select_related("region")
    mine = participations.filter(panel__reviewer=reviewer).order_by("region__code").first()
    assert mine is not None, "the national reviewer has no seat (generate_national first)"
    # Kota Bekasi when it takes part (a smaller --regions dataset may leave it out).
    region = (
        Region.objects.filter(code="32.75", participations__round=review).first() or mine.region
    )
    operator = User.objects.get(username=national.operator_username(region))
    others = list(
        Region.objects.filter(province=region.province).exclude(pk=region.pk).order_by("code")[:2]
    )
    counts = {
        "regions": Region.objects.count(),
        "synthetic rounds": Round.objects.filter(slug__startswith=national.SLUG_PREFIX).count(),
        "results": published.participations.count(),
    }

    print(f"Pages ({args.warmup} warm-up + {args.repeat} timed requests each):", flush=True)
    bench.page("home", reverse("public:home"), None, public=True)
    bench.page(
        "rankings (latest round)",
        reverse("public:rankings", kwargs={"round_slug": published.slug}),
        None,
        public=True,
    )
    bench.page(
        "region profile", reverse("public:region", kwargs={"slug": region.slug}), None, public=True
    )
    compare = "&".join(f"regions={r.slug}" for r in [region, *others])
    bench.page("compare (3 regions)", f"{reverse('public:compare')}?{compare}", None, public=True)
    bench.page(
        "open data CSV (latest round)",
        reverse("public:export", kwargs={"round_slug": published.slug, "fmt": "csv"}),
        None,
        public=True,
        rate_limited=True,
    )
    bench.page("reviewer assignment queue", reverse("reviewer:assignments"), reviewer)
    bench.page(
        "scoring page (participation)",
        reverse("reviewer:participation", kwargs={"pk": mine.pk}),
        reviewer,
    )
    bench.page(
        "city dashboard", reverse("city:dashboard", kwargs={"region_slug": region.slug}), operator
    )
    bench.page(
        "self-assessment overview",
        reverse(
            "city:self_assessment", kwargs={"region_slug": region.slug, "round_slug": review.slug}
        ),
        operator,
    )
    section_url = reverse(
        "city:self_assessment_section",
        kwargs={"region_slug": region.slug, "round_slug": review.slug, "section": "governance"},
    )
    bench.page("self-assessment section (read-only)", section_url, operator)
    # The editable form: the self-assessment returned for revision opens it again during
    # the review; rolled back afterwards.
    with transaction.atomic():
        participations.filter(region=region).update(
            self_assessment_status=SelfAssessmentStatus.RETURNED
        )
        bench.page("self-assessment section (editable)", section_url, operator)
        transaction.set_rollback(True)
    bench.memory.append(("pages", peak_rss_mb()))
    bench.load = " / ".join(f"{x:.2f}" for x in os.getloadavg()) + " (1 / 5 / 15 min)"

    ranking = time_sql(RANKING_SQL, [published.pk], repeat=args.repeat)
    for row in bench.pages:
        if row.name.startswith("rankings"):
            row.name += f" – bare SQL baseline p50 {ms(statistics.median(ranking)):.1f} ms"

    if not args.pages_only:
        print("Finalise and publish (rolled back)…", flush=True)
        measure_finalise(bench, manager, args.op_repeat)
        bench.memory.append(("finalise + publish", peak_rss_mb()))
        print("Republish a corrected round with later revisions (rolled back)…", flush=True)
        measure_republish(bench, manager, args.op_repeat)
        print("XLSX import (rolled back)…", flush=True)
        measure_import(bench, manager, max(1, args.op_repeat - 1))
        bench.memory.append(("XLSX import", peak_rss_mb()))
        measure_finalise(bench, manager, 1, trace=True)
        measure_import(bench, manager, 1, trace=True)

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    context = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "machine": f"{os.cpu_count()} CPUs, {platform.machine()}, "
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"PostgreSQL {pg_version}",
        "dataset": ", ".join(f"{v} {k}" for k, v in counts.items())
        + f"; latest published round {published.slug}, round under review {review.slug}",
    }
    report = bench.markdown(context)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    print()
    print(report)
    print(f"Written to {out}")
    return 1 if bench.misses() and not args.no_fail else 0


if __name__ == "__main__":
    sys.exit(main())
