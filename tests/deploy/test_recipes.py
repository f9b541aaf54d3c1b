"""The production recipes in deploy/ match the code they run.

- the environment template documents every variable the settings and gunicorn read;
- the nginx site renders from its template and nginx accepts it, with the upload limit
  derived from EVIDENCE_MAX_UPLOAD_MB and the client's address passed on for PROXY_COUNT=1;
- the systemd units start commands that exist.

`make stack-check` (run by .ci/run) runs these same files as a two-server stack.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands

BASE_DIR = Path(__file__).resolve().parents[2]
DEPLOY = BASE_DIR / "deploy"
ENV_READER = re.compile(r'env_(?:str|bool|int|list)\(\s*"([A-Z0-9_]+)"')
NGINX_VARS = [
    "PORTAL_HOST",
    "HTTPS_LISTEN",
    "HTTP_LISTEN",
    "HTTPS_ORIGIN",
    "TLS_CERT",
    "TLS_KEY",
    "STATIC_ROOT",
    "NGINX_MAX_BODY_MB",
    "UPSTREAM_SERVERS",
]

requires_nginx = pytest.mark.skipif(
    not shutil.which("nginx") and not os.environ.get("CI"),
    reason="nginx is not installed (required in CI)",
)


def _variables_read() -> set[str]:
    names: set[str] = set()
    for source in (BASE_DIR / "smartcity" / "settings.py", BASE_DIR / "gunicorn.conf.py"):
        names |= set(ENV_READER.findall(source.read_text(encoding="utf-8")))
    return names


def test_the_environment_template_documents_every_variable_the_portal_reads():
    template = (DEPLOY / "portal.env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", template, re.MULTILINE))
    read = _variables_read()
    assert len(read) > 30  # the reader pattern still finds the settings' variables
    assert read - documented == set(), "add these to deploy/portal.env.example"
    assert documented - read - {"MEDIA_STORAGE_OPTIONS"} <= set(), "documented but never read"


def _render_site(tmp_path: Path, max_body_mb: int) -> Path:
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-keyout", str(tmp_path / "tls.key"),
         "-out", str(tmp_path / "tls.crt")],
        check=True, capture_output=True,
    )  # fmt: skip
    values = {
        "PORTAL_HOST": "portal.example.go.id",
        "HTTPS_LISTEN": "127.0.0.1:8128",
        "HTTP_LISTEN": "127.0.0.1:8129",
        "HTTPS_ORIGIN": "https://portal.example.go.id",
        "TLS_CERT": str(tmp_path / "tls.crt"),
        "TLS_KEY": str(tmp_path / "tls.key"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "NGINX_MAX_BODY_MB": str(max_body_mb),
        "UPSTREAM_SERVERS": "server 127.0.0.1:8126 max_fails=1 fail_timeout=5s; "
        "server 127.0.0.1:8127 max_fails=1 fail_timeout=5s;",
    }
    # envsubst with the variable list, exactly as the template's header tells operators.
    site = subprocess.run(
        ["envsubst", " ".join(f"${name}" for name in NGINX_VARS)],
        input=(DEPLOY / "nginx" / "smartcity.conf.template").read_text(encoding="utf-8"),
        env={**os.environ, **values},
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events {}\nhttp {\n  include /etc/nginx/mime.types;\n"
        f"  include {tmp_path}/site.conf;\n}}\n",
        encoding="utf-8",
    )
    return tmp_path / "site.conf"


@requires_nginx
def test_the_nginx_site_renders_and_nginx_accepts_it(tmp_path):
    site = _render_site(tmp_path, max_body_mb=11)
    text = site.read_text(encoding="utf-8")
    assert "${" not in text
    assert "client_max_body_size 11m;" in text
    # nginx's own variables survive the rendering.
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in text
    assert "return 301 https://portal.example.go.id$request_uri;" in text
    result = subprocess.run(
        ["nginx", "-t", "-c", str(tmp_path / "nginx.conf"), "-g", f"error_log {tmp_path}/e.log;"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_the_systemd_units_run_commands_that_exist():
    web = (DEPLOY / "systemd" / "smartcity-web@.service").read_text(encoding="utf-8")
    worker = (DEPLOY / "systemd" / "smartcity-worker.service").read_text(encoding="utf-8")
    assert "ExecStart=/srv/smartcity/.venv/bin/gunicorn -c gunicorn.conf.py" in web
    assert "Environment=GUNICORN_BIND=127.0.0.1:%i" in web
    assert (BASE_DIR / "gunicorn.conf.py").is_file()
    command = re.search(r"^ExecStart=\S+ manage.py (\S+)", worker, re.MULTILINE)
    assert command is not None
    assert command.group(1) in get_commands()
    for unit in (web, worker):
        assert "EnvironmentFile=/etc/smartcity/portal.env" in unit
        assert "Restart=" in unit
