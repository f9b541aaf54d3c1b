"""gunicorn's own lines (start, workers, shutdown, the optional access log) are JSON lines in
production like the portal's, through the real gunicorn.conf.py."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin" / "gunicorn"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_gunicorn(tmp_path: Path, **env: str) -> str:
    port = _free_port()
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "smartcity.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path),
        "DEBUG": "0",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        **env,
    }
    if "LOG_FORMAT" not in env:
        environ.pop("LOG_FORMAT", None)  # the default of production (DEBUG off): json
    server = subprocess.Popen(  # noqa: S603
        [str(GUNICORN), "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    assert r.status == 200
                break
            except OSError:
                assert server.poll() is None, server.communicate()[0]
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.2)
    finally:
        server.send_signal(signal.SIGTERM)
        output = server.communicate(timeout=60)[0]
    return output


def test_gunicorns_error_and_access_logs_are_json_lines_in_production(tmp_path):
    output = _run_gunicorn(tmp_path, GUNICORN_ACCESS_LOG="-")
    lines = [line for line in output.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line, or this fails
    gunicorn = [r for r in records if r["logger"] == "gunicorn.error"]
    events = " | ".join(r["event"] for r in gunicorn)
    assert "Listening at: http://127.0.0.1" in events
    assert "Booting worker" in events
    assert "Handling signal: term" in events
    assert all(r["timestamp"].endswith("+00:00") and r["level"] for r in gunicorn)
    access = [r for r in records if r["logger"] == "gunicorn.access"]
    # One per probe answered (a probe sent while the worker booted may be answered late).
    assert access
    assert all('"GET /healthz HTTP/1.1" 200' in r["event"] for r in access)
    # Python's warnings too (e.g. WhiteNoise's about a missing STATIC_ROOT), not plain text.
    assert all(r["level"] == "warning" for r in records if r["logger"] == "py.warnings")


def test_gunicorn_logs_readable_text_in_development(tmp_path):
    output = _run_gunicorn(tmp_path, LOG_FORMAT="text")
    assert "Listening at: http://127.0.0.1" in output
    assert "[gunicorn.error]" in output
    assert not any(line.startswith("{") for line in output.splitlines())
