"""``make load``: 50 public readers and a few reviewers saving scores (see loadtest/run.sh).

Run only as the ``locust`` command (dependency group "load"); never imported by Django.
FastHttpUser (geventhttpclient): the load generator shares the 2 cores with the server,
so it must cost as little CPU per request as possible. Reads the targets written by
``loadtest/targets.py`` from ``LOAD_TARGETS``.

- ``Reader`` (the rest of the users): the pages people open when results are announced:
  home, the latest rankings (with a sort or filter now and then), region profiles,
  comparisons, the open data files, the methodology and the map.
- ``ReviewerUser`` (``LOAD_REVIEWERS``, default 5, each a distinct account so that no
  lock-out or per-user limit is shared): logs in once through the login form, then opens
  the assignment queue and a participation, and saves draft scores the way the page does
  (htmx POST of one indicator card).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import random
import re
import struct
import time
from itertools import count

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser
from locust.exception import StopUser

TARGETS = json.loads(open(os.environ["LOAD_TARGETS"], encoding="utf-8").read())  # noqa: SIM115
REVIEWERS = list(TARGETS["reviewers"].items())[: int(os.environ.get("LOAD_REVIEWERS", "5"))]
_next_reviewer = count()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The hidden version of each indicator's score form (the portal refuses a save without the
# version the page showed: no blind overwrite).
VERSION = re.compile(r'name="i(\d+)-version" value="(\d+)"')


def totp_now(key_hex: str, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 (HMAC-SHA1), as an authenticator app computes it; locust must not import
    Django, so django-otp's own function is out of reach here."""
    counter = struct.pack(">Q", int(time.time()) // step)
    digest = hmac.new(bytes.fromhex(key_hex), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}d}"


class Reader(FastHttpUser):
    """A public reader on results day."""

    wait_time = between(0.5, 1.5)
    weight = 10

    @task(4)
    def home(self) -> None:
        self.client.get("/", name="home")

    @task(6)
    def rankings(self) -> None:
        self.client.get(f"/rounds/{TARGETS['rounds'][0]}/", name="rankings")

    @task(1)
    def rankings_sorted(self) -> None:
        sort = random.choice(["-index", "region", "-change", "province"])
        self.client.get(f"/rounds/{TARGETS['rounds'][0]}/?sort={sort}", name="rankings ?sort")

    @task(1)
    def rankings_older(self) -> None:
        self.client.get(f"/rounds/{random.choice(TARGETS['rounds'])}/", name="rankings (older)")

    @task(6)
    def region(self) -> None:
        self.client.get(f"/regions/{random.choice(TARGETS['regions'])}/", name="region profile")

    @task(2)
    def compare(self) -> None:
        regions = random.sample(TARGETS["regions"], 3)
        query = "&".join(f"regions={slug}" for slug in regions)
        self.client.get(f"/compare/?{query}", name="compare")

    @task(1)
    def open_data(self) -> None:
        fmt = random.choice(["csv", "json", "xlsx"])
        self.client.get(f"/data/{TARGETS['rounds'][0]}.{fmt}", name=f"open data {fmt}")

    @task(1)
    def methodology(self) -> None:
        self.client.get("/methodology/", name="methodology")

    @task(1)
    def map(self) -> None:
        self.client.get("/map/", name="map")


class ReviewerUser(FastHttpUser):
    """A reviewer scoring the participations on their panels in the round under review."""

    wait_time = between(1, 3)
    fixed_count = len(REVIEWERS)

    def on_start(self) -> None:
        self.username, self.participations = REVIEWERS[next(_next_reviewer) % len(REVIEWERS)]
        # {participation: {indicator: version}}, read from the scoring pages as they load.
        self.versions: dict[int, dict[int, int]] = {}
        page = self.client.get("/accounts/login/", name="login form")
        token = CSRF.search(page.text).group(1)
        refused = False
        with self.client.post(
            "/accounts/login/",
            {
                "username": self.username,
                "password": TARGETS["password"],
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # Success redirects away from the form; a refusal shows the form again (200).
            if response.status_code != 302 or "/accounts/login/" in response.headers.get(
                "Location", ""
            ):
                response.failure(f"login of {self.username} failed ({response.status_code})")
                refused = True
        # Counted as a failure; signed out, its pages would be the login form, not a
        # reviewer's (a refused login once made a ramp measure 280 such requests).
        if refused:
            raise StopUser
        # Reviewers owe a second factor: the code their authenticator would show now.
        self.client.get("/accounts/two-factor/verify/", name="second factor form")
        with self.client.post(
            "/accounts/two-factor/verify/",
            {"code": totp_now(TARGETS["totp_key"]), "csrfmiddlewaretoken": self._csrf()},
            headers={"Referer": f"{self.host}/accounts/two-factor/verify/"},
            name="second factor",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"second factor of {self.username} refused")
                refused = True
        if refused:
            raise StopUser

    def _csrf(self) -> str:
        return next((c.value for c in self.client.cookiejar if c.name == "csrftoken"), "")

    @task(1)
    def queue(self) -> None:
        self.client.get("/review/", name="reviewer queue")

    def _open(self, pk: int) -> None:
        page = self.client.get(f"/review/participations/{pk}/", name="scoring page")
        self.versions[pk] = {int(i): int(v) for i, v in VERSION.findall(page.text or "")}

    @task(2)
    def participation(self) -> None:
        self._open(random.choice(self.participations))

    @task(6)
    def save_score(self) -> None:
        """Save a draft level as the page does: the form carries the version it showed."""
        pk = random.choice(self.participations)
        if pk not in self.versions:
            self._open(pk)
        indicator = random.choice(TARGETS["indicators"])
        prefix = f"i{indicator}"
        version = self.versions[pk].get(indicator, 0)
        with self.client.post(
            f"/review/participations/{pk}/indicators/{indicator}/score/",
            {
                f"{prefix}-level": str(random.randint(0, 5)),
                f"{prefix}-comment": "Uji beban (data sintetis).",
                f"{prefix}-version": str(version),
            },
            headers={
                "HX-Request": "true",
                "X-CSRFToken": self._csrf(),
                "Referer": f"{self.host}/review/participations/{pk}/",
            },
            name="save score (htmx)",
            catch_response=True,
        ) as response:
            # The card comes back with "Tersimpan" (saved); a refused save (a form error,
            # a stale version) is a 200 too, and counts as an error here.
            if response.ok and "Tersimpan" not in response.text:
                response.failure("score not saved")
            # The card comes back with the new version.
            for i, v in VERSION.findall(response.text or ""):
                self.versions[pk][int(i)] = int(v)
