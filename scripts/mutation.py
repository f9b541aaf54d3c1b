"""Mutation testing of one module against its own tests (``make mutation``, README).

mutmut 3 reads its settings from the ``pyproject.toml`` of the directory it runs in and
keeps its results in ``mutants/`` there. Each target therefore runs in its own staging
directory, ``.mutation/<name>/``: symbolic links to the project's code, templates and tests,
plus a ``pyproject.toml`` made of the project's pytest settings and this target's
``[tool.mutmut]`` (the files to mutate, the tests that judge them). A second run reuses the
results of mutants whose function did not change.

    python scripts/mutation.py NAME --mutate PATH... --tests TEST... [--children N]

prints the kill rate and every surviving mutant's diff, and writes them to
``.mutation/<name>/report.txt``.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# What the tests need beside the Python packages (templates, translations, reference data).
LINKED = [
    "evaluations",
    "regions",
    "smartcity",
    "tests",
    "templates",
    "locale",
    "fixtures",
    "static",
    "manage.py",
    "uv.lock",
]
SOURCE_PACKAGES = ["evaluations", "regions", "smartcity"]


def _toml_list(values: list[str]) -> str:
    return "[" + ", ".join(f'"{v}"' for v in values) + "]"


def _pyproject(mutate: list[str], tests: list[str]) -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    pytest_options = project["tool"]["pytest"]["ini_options"]
    lines = ["[tool.pytest.ini_options]"]
    for key, value in pytest_options.items():
        if isinstance(value, list):
            lines.append(f"{key} = {_toml_list(value)}")
        else:
            lines.append(f'{key} = "{value}"')
    only = [f"{m.rstrip('/')}/*" if (ROOT / m).is_dir() else m for m in mutate]
    lines += [
        "",
        "[tool.mutmut]",
        f"source_paths = {_toml_list(SOURCE_PACKAGES)}",
        f"only_mutate = {_toml_list(only)}",
        f"also_copy = {_toml_list([p for p in LINKED if p not in SOURCE_PACKAGES])}",
        f"pytest_add_cli_args_test_selection = {_toml_list(tests)}",
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-p", "no:randomly", "-q"]',
        # Slow shared machines: a mutant that makes a test 15 times slower is a timeout.
        "timeout_multiplier = 15.0",
        "timeout_constant = 10.0",
        "",
    ]
    return "\n".join(lines)


def _stage(name: str, mutate: list[str], tests: list[str]) -> Path:
    stage = ROOT / ".mutation" / name
    stage.mkdir(parents=True, exist_ok=True)
    for entry in LINKED:
        link = stage / entry
        if not link.exists() and (ROOT / entry).exists():
            link.symlink_to(ROOT / entry)
    config = _pyproject(mutate, tests)
    path = stage / "pyproject.toml"
    if not path.exists() or path.read_text() != config:
        path.write_text(config)
    return stage


def _mutmut(stage: Path, *args: str) -> subprocess.CompletedProcess[str]:
    mutmut = Path(sys.executable).with_name("mutmut")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(  # noqa: S603 - our own tool, fixed arguments
        [str(mutmut), *args], cwd=stage, env=env, text=True, capture_output=True, check=False
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("name")
    parser.add_argument("--mutate", nargs="+", required=True)
    parser.add_argument("--tests", nargs="+", required=True)
    parser.add_argument("--children", type=int, default=2)
    parser.add_argument(
        "--report-only", action="store_true", help="report the results of the last run"
    )
    options = parser.parse_args()

    stage = _stage(options.name, options.mutate, options.tests)
    if not options.report_only:
        mutmut = str(Path(sys.executable).with_name("mutmut"))
        run = subprocess.run(  # noqa: S603
            [mutmut, "run", "--max-children", str(options.children)], cwd=stage, check=False
        )
        if run.returncode not in (0, 1):
            return run.returncode
    listing = _mutmut(stage, "results", "--all", "true").stdout
    statuses: dict[str, str] = {}
    for line in listing.splitlines():
        match = re.match(r"\s*(\S+): (.+)$", line)
        if match:
            statuses[match.group(1)] = match.group(2).strip()
    pending = sum(1 for s in statuses.values() if s == "not checked")
    total = len(statuses) - pending
    killed = sum(1 for s in statuses.values() if s in ("killed", "timeout", "segfault"))
    survivors = sorted(m for m, s in statuses.items() if s == "survived")
    untested = sorted(m for m, s in statuses.items() if s == "no tests")
    rate = 100 * killed / total if total else 0.0
    report = [
        f"{options.name}: {killed} of {total} mutants killed ({rate:.1f}%), "
        f"{len(survivors)} survived, {len(untested)} not reached by the tests"
        + (f", {pending} not run yet (interrupted run)" if pending else ""),
        f"mutated: {' '.join(options.mutate)}",
        f"tests:   {' '.join(options.tests)}",
        "",
    ]
    for mutant in survivors + untested:
        report.append(f"--- {mutant} ({statuses[mutant]})")
        report.append(_mutmut(stage, "show", mutant).stdout.rstrip())
        report.append("")
    text = "\n".join(report)
    (stage / "report.txt").write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
