from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends


@pytest.fixture
def dead_database(tmp_path):
    """Ask the portal for pages while its PostgreSQL refuses connections, DEBUG off."""

    def ask(*requests: str, **env: str) -> dict[str, dict]:
        environ = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "smartcity.settings",
            "DATABASE_URL": f"postgres://nobody@127.0.0.1:{_closed_port()}/gone",
            "DEBUG": "0",
            "MEDIA_ROOT": str(tmp_path),
            "LOG_FORMAT": "json",
            **env,
        }
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "tests.ops.dead_database", *requests],
            cwd=ROOT,
            env=environ,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        answers = json.loads(done.stdout.strip().splitlines()[-1])
        answers["_stderr"] = done.stderr
        return answers

    return ask
