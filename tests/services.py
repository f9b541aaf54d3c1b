"""Real services some tests need (Redis, an S3-compatible store): .ci/run starts them on
loopback and exports their addresses; without them a test is skipped on a laptop and fails
in CI (CI=true), like the browser tests."""

from __future__ import annotations

import os

import pytest


def service_url(variable: str) -> str:
    url = os.environ.get(variable, "")
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{variable} is required in CI (.ci/run starts the service)")
        pytest.skip(f"{variable} is not set (a real service; .ci/run starts it)")
    return url
