"""Reviewer-area test settings."""

from __future__ import annotations

import pytest


@pytest.fixture
def scenario(kota_bekasi, kota_bandung, reviewer, manager):
    """Evaluasi 2024 Tahap 1 under review: Kota Bekasi (``reviewer`` leads its panel, with
    answers and evidence) and Kota Bandung (no panel yet)."""
    from tests.reviewer import factories as rf

    return rf.make_scenario(kota_bekasi, kota_bandung, reviewer)
