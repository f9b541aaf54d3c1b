"""docs/open-data.md's pandas example, run as written against a live server: a data user who
copies it gets what the text promises (codes as text, one region's history, the API paged
through to the end)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs" / "open-data.md"

pytestmark = pytest.mark.django_db(transaction=True)


def example(language: str, heading: str) -> str:
    text = DOCS.read_text(encoding="utf-8")
    section = text.split(f"### {heading}\n", 1)[1]
    match = re.search(rf"```{language}\n(.*?)```", section, re.DOTALL)
    assert match, heading
    return match.group(1)


def test_the_pandas_example_runs_as_written(served, published, capsys):
    code = example("python", "pandas")
    assert 'BASE = "https://portal.example.id"' in code
    namespace: dict = {}
    exec(code.replace("https://portal.example.id", served), namespace)  # noqa: S102 - our docs
    results, bekasi, ranking = namespace["results"], namespace["bekasi"], namespace["ranking"]
    assert str(results["region_code"].dtype) == "string"
    assert set(results["region_code"]) == {r.code for r in published.regions}
    assert len(results) == 8  # two published rounds × four regions
    assert list(bekasi["round"]) == [published.round_2023.slug, published.round_2024.slug]
    assert namespace["latest"] == published.round_2024.slug
    assert list(ranking["national_rank"]) == [r.national_rank for r in published.results_2024]
    printed = capsys.readouterr().out
    assert "Jawa Barat" in printed
    assert "Kota Bekasi" in printed


def test_the_curl_and_r_examples_use_urls_that_exist(anonymous, published):
    """The other examples are not run (R is not installed on the test machines), but every
    portal path they name answers."""
    paths = set()
    for language, heading in (("bash", "curl"), ("r", "R")):
        code = example(language, heading)
        paths |= set(re.findall(r'(/(?:api|data)/[^"\s?)]*)', code))
    assert "/data/results.csv" in paths
    for path in paths:
        assert anonymous.get(path).status_code == 200, path
