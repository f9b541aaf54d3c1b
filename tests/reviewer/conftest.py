"""Reviewer-area test settings."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings) -> None:
    # The default PBKDF2 costs about a second per user on a busy CI core; the cast and the
    # panels make several users per test. (Worth moving to tests/conftest.py for everyone.)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def scenario(kota_bekasi, kota_bandung, reviewer, manager):
    """Evaluasi 2024 Tahap 1 under review: Kota Bekasi (``reviewer`` leads its panel, with
    answers and evidence) and Kota Bandung (no panel yet)."""
    from tests.reviewer import factories as rf

    return rf.make_scenario(kota_bekasi, kota_bandung, reviewer)
