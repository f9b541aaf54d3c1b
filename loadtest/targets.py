"""Write what the load test requests (``loadtest/run.sh`` runs this before locust).

Locust must not import Django (gevent and Django do not mix in one process), so the URLs,
users and ids it needs are read from the database here and written to a JSON file:
region slugs, published round slugs, and for each of the first reviewers their
participations in the round under review with its indicator ids.

Usage: DATABASE_URL=... .venv/bin/python loadtest/targets.py OUT.json [REVIEWERS]
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcity.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402

from evaluations.models import Indicator, Participation, Round, RoundStatus  # noqa: E402
from regions.models import Region  # noqa: E402
from smartcity.people.demo import DEMO_TOTP_KEY_HEX, prepare_demo_account  # noqa: E402
from smartcity.synthetic import national  # noqa: E402


def main() -> int:
    out = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    published = list(
        Round.objects.filter(slug__startswith=national.SLUG_PREFIX, status=RoundStatus.PUBLISHED)
        .order_by("-year", "-phase")
        .values_list("slug", flat=True)
    )
    review = Round.objects.filter(
        slug__startswith=national.SLUG_PREFIX, status=RoundStatus.REVIEW
    ).first()
    if not published or review is None:
        print(
            "error: no synthetic national data: run manage.py generate_national.", file=sys.stderr
        )
        return 2
    indicators = list(
        Indicator.objects.filter(instrument_id=review.instrument_id).values_list("pk", flat=True)
    )
    reviewers = {}
    for i in range(1, count + 1):
        username = national.reviewer_username(i)
        seats = Participation.objects.filter(
            round=review, panel__reviewer__username=username, panel__completed_at__isnull=True
        ).values_list("pk", flat=True)
        reviewers[username] = sorted(seats)
    # Reviewers sign in with a second factor: the synthetic accounts get the demo
    # authenticator key (never secret: RFC 6238's test key), from which locust computes codes.
    for user in User.objects.filter(username__in=reviewers):
        prepare_demo_account(user)
    targets = {
        "password": settings.DEMO_PASSWORD,
        "rounds": published,
        "regions": list(
            Region.objects.filter(participations__round__slug=published[0])
            .order_by("code")
            .values_list("slug", flat=True)
        ),
        "reviewers": reviewers,
        "indicators": indicators,
        "totp_key": DEMO_TOTP_KEY_HEX,
    }
    out.write_text(json.dumps(targets), encoding="utf-8")
    print(f"{len(targets['regions'])} regions, {len(published)} rounds, {len(reviewers)} reviewers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
