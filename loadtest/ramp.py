"""Capacity ramp for ``make load`` (loadtest/capacity.sh): how much the portal carries.

Run only as the ``locust`` command, with one user class named on the command line:

- ``PublicMix``: the public reader's pages of ``locustfile.Reader``;
- ``ReviewerMix``: the reviewer's pages and htmx score saves of ``locustfile.ReviewerUser``;
- ``StaticFile``: one static file (``RAMP_STATIC_PATH``) of about a public page's size, served
  through the same gunicorn and middleware (WhiteNoise): the baseline, measured the same way.

Users have no think time: each sends its next request as soon as the last one is answered
(a closed loop), so the request rate is what the server sustains at that concurrency. The
number of users grows in steps of ``RAMP_STEP_SECONDS`` (10; 1, 2, 3, 4, 7, 10, 15, ... ×1.5)
after ``RAMP_WARMUP_SECONDS`` (10) of the first step's users, not measured;
after each step its p95 and its failures are checked, and the ramp stops at the first step
whose p95 passes ``RAMP_P95_MS`` (300) or that has a failed request. The **sustained rate**
is the highest request rate of a step that passed (p95 within the limit, no failure): on a
machine shared with other work a step's rate moves with what else runs (the static file
once gave 537 req/s at 2 users and 235 at 23, both passing), and the last passing step alone
understated what the server had carried; that step is reported too. Steps go to
``RAMP_OUT`` as JSON.
"""

from __future__ import annotations

import json
import math
import os
import time

from locust import LoadTestShape, constant, events, task
from locust.contrib.fasthttp import FastHttpUser
from locustfile import Reader, ReviewerUser

STEP_SECONDS = float(os.environ.get("RAMP_STEP_SECONDS", "10"))
# Before the first step, its users run unmeasured for this long: each gunicorn worker's
# first pages (templates compiled, caches filled) and a reviewer's sign-in are a cold start,
# not what the server sustains (the reviewer mix once failed its first step on those alone).
WARMUP_SECONDS = float(os.environ.get("RAMP_WARMUP_SECONDS", "10"))
P95_LIMIT_MS = float(os.environ.get("RAMP_P95_MS", "300"))
MAX_USERS = int(os.environ.get("RAMP_MAX_USERS", "256"))
OUT = os.environ.get("RAMP_OUT", "bench-results/ramp.json")
# The first second of a step is left out of its figures: users are still arriving.
SETTLE_SECONDS = 1.0


def _levels() -> list[int]:
    levels, users = [], 1.0
    while round(users) <= MAX_USERS:
        if not levels or round(users) != levels[-1]:
            levels.append(round(users))
        users *= 1.5 if users >= 2 else 2
    return levels


LEVELS = _levels()


class PublicMix(Reader):
    wait_time = constant(0)


class ReviewerMix(ReviewerUser):
    wait_time = constant(0)
    fixed_count = 0


class StaticFile(FastHttpUser):
    wait_time = constant(0)

    @task
    def static(self) -> None:
        self.client.get(os.environ["RAMP_STATIC_PATH"], name="static file")


SIGN_IN = frozenset({"login form", "login", "second factor form", "second factor"})


class Ramp(LoadTestShape):
    """Users per step; stops after the first step that misses the p95 or fails a request."""

    def __init__(self) -> None:
        super().__init__()
        self.samples: list[tuple[float, float, bool]] = []  # (time, ms, failed)
        self.steps: list[dict[str, float | int]] = []
        self.step = -1
        self.step_started = 0.0
        self.warm_until: float | None = None
        self.done = False
        events.request.add_listener(self._on_request)
        events.quitting.add_listener(self._write)

    def _on_request(
        self, response_time: float, exception: object = None, name: str = "", **_: object
    ) -> None:
        # A reviewer signs in once (a deliberately slow password hash and a second factor)
        # before the mix it is measured by: those requests count when they fail, but their
        # time is not the mix's (with them a step's p95 was the sign-in, 2.1 s, at 1 user).
        if name in SIGN_IN and exception is None:
            return
        self.samples.append((time.monotonic(), response_time, exception is not None))

    def _close_step(self) -> None:
        start = self.step_started + SETTLE_SECONDS
        window = [s for s in self.samples if s[0] >= start]
        self.samples = []
        elapsed = max(time.monotonic() - start, 0.001)
        times = sorted(ms for _, ms, _ in window)
        p95 = times[max(0, math.ceil(0.95 * len(times)) - 1)] if times else 0.0
        failures = sum(1 for *_, failed in window if failed)
        passed = bool(times) and p95 <= P95_LIMIT_MS and failures == 0
        self.steps.append(
            {
                "users": LEVELS[self.step],
                "requests": len(times),
                "rate": round(len(times) / elapsed, 1),
                "p50_ms": round(times[len(times) // 2], 1) if times else 0.0,
                "p95_ms": round(p95, 1),
                "failures": failures,
                "passed": passed,
            }
        )
        print(f"ramp: {self.steps[-1]}", flush=True)
        if not passed:
            self.done = True

    def tick(self) -> tuple[int, float] | None:
        now = time.monotonic()
        if self.warm_until is None:
            self.warm_until = now + WARMUP_SECONDS
        if now < self.warm_until:
            return LEVELS[0], max(LEVELS[0], 1)
        if self.step == -1 or now - self.step_started >= STEP_SECONDS:
            if self.step >= 0:
                self._close_step()
            else:
                self.samples = []  # the warm-up's requests are not measured
            self.step += 1
            self.step_started = now
            if self.done or self.step >= len(LEVELS):
                return None
        users = LEVELS[self.step]
        return users, max(users, 1)

    def _write(self, **_: object) -> None:
        passed = [s for s in self.steps if s["passed"]]
        result = {
            "p95_limit_ms": P95_LIMIT_MS,
            "step_seconds": STEP_SECONDS,
            "warmup_seconds": WARMUP_SECONDS,
            "steps": self.steps,
            "sustained": max(passed, key=lambda s: s["rate"]) if passed else None,
            "last_passed": passed[-1] if passed else None,
            "stopped_by": next((s for s in self.steps if not s["passed"]), None),
        }
        with open(OUT, "w", encoding="utf-8") as out:
            json.dump(result, out, indent=1)
