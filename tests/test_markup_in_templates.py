"""HTML is written in templates only: no Python module outside the tests builds markup with
``mark_safe``, ``format_html`` or ``format_html_join`` (ruff's S308 also refuses
``mark_safe``). Charts, table rows and form fields are templates fed with plain data."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["evaluations", "regions", "smartcity", "bench", "deploy", "loadtest"]
MARKUP_BUILDERS = re.compile(r"\b(mark_safe|format_html|format_html_join|SafeString\()")


def test_no_python_module_builds_markup():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for package in PACKAGES
        if (ROOT / package).is_dir()
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if MARKUP_BUILDERS.search(line)
    ]
    assert offenders == []
