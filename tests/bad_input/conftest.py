"""The bad-input corpus runs in the security tests' world (see tests/security/world.py)."""

from __future__ import annotations

from tests.security.conftest import world  # noqa: F401 - the fixture, shared
