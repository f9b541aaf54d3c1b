"""Frictionless Data Packages: the whole history and each published round, validated by the
``frictionless`` library itself against the live responses (schemas, types, primary and
foreign keys), and read the way a data user reads them."""

from __future__ import annotations

import json

import frictionless
import pytest
import requests
from django.urls import reverse

from tests.public.scene import SECRET_INDEX

pytestmark = pytest.mark.django_db(transaction=True)


def _validate(url: str) -> frictionless.Report:
    return frictionless.validate(url)


def test_the_whole_history_package_is_valid(served, published):
    report = _validate(served + "/data/datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = frictionless.Package(served + "/data/datapackage.json")
    assert [r.name for r in package.resources] == [
        "results", "dimension_scores", "component_scores", "regions", "rounds", "instruments",
        "rating_bands", "revisions",
    ]  # fmt: skip
    results = package.get_resource("results")
    rows = results.read_rows()  # type: ignore[attr-defined]  # a TableResource
    # Both published rounds, four regions each; the finalised 2025 round is nowhere.
    assert len(rows) == 8
    assert {r["round"] for r in rows} == {published.round_2023.slug, published.round_2024.slug}
    assert SECRET_INDEX not in {r["index"] for r in rows}
    assert {r["revision"] for r in rows} == {1}
    assert {r["instrument"] for r in rows} == {"instrumen-2024"}


def test_a_round_package_is_valid_and_holds_that_round_only(served, published):
    url = served + f"/data/{published.round_2024.slug}/datapackage.json"
    report = _validate(url)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = frictionless.Package(url)
    rows = package.get_resource("results").read_rows()  # type: ignore[attr-defined]  # a TableResource
    assert {r["round"] for r in rows} == {published.round_2024.slug}
    assert len(package.get_resource("dimension_scores").read_rows()) == 4 * 6  # type: ignore[attr-defined]  # a TableResource
    assert len(package.get_resource("component_scores").read_rows()) == 4 * 5  # type: ignore[attr-defined]  # a TableResource
    assert [r["slug"] for r in package.get_resource("rounds").read_rows()] == [  # type: ignore[attr-defined]  # a TableResource
        published.round_2024.slug
    ]


def test_the_schema_keeps_codes_as_strings_and_states_precision(anonymous, published):
    package = json.loads(anonymous.get(reverse("public:datapackage")).content)
    results = next(r for r in package["resources"] if r["name"] == "results")
    fields = {f["name"]: f for f in results["schema"]["fields"]}
    assert fields["region_code"]["type"] == "string"
    assert fields["region_code"]["constraints"]["pattern"] == r"^[0-9]{2}\.[0-9]{2}$"
    assert fields["province_code"]["type"] == "string"
    assert fields["index"]["type"] == "number"
    assert fields["index"]["decimalPlaces"] == 2
    assert "2" in fields["index"]["description"]
    assert fields["national_rank"]["type"] == "integer"
    assert results["schema"]["primaryKey"] == ["round", "region_code"]
    references = {fk["reference"]["resource"] for fk in results["schema"]["foreignKeys"]}
    assert references == {"rounds", "regions", "instruments", "revisions"}
    assert package["licenses"][0]["path"] == "https://creativecommons.org/licenses/by/4.0/"
    # Full-precision figures (issue 15) are numbers with six places; revisions say why.
    assert fields["index_exact"]["type"] == "number"
    assert fields["index_exact"]["decimalPlaces"] == 6
    assert fields["score_governance_exact"]["constraints"] == {"minimum": 0, "maximum": 5}
    revisions = next(r for r in package["resources"] if r["name"] == "revisions")
    kinds = next(f for f in revisions["schema"]["fields"] if f["name"] == "kind")
    assert kinds["constraints"]["enum"] == ["publication", "correction", "derived", "withdrawal"]


def test_a_broken_reference_is_caught_by_the_schema(served, published, tmp_path):
    """The keys are real constraints: a copy of the package whose regions table lost Kota
    Bekasi fails validation on exactly Bekasi's rows (what a harvester would see if the
    tables drifted apart)."""
    text = requests.get(served + "/data/datapackage.json", timeout=10).text
    (tmp_path / "datapackage.json").write_text(text)
    for resource in json.loads(text)["resources"]:
        body = requests.get(f"{served}/data/{resource['path']}", timeout=10).text
        if resource["name"] == "regions":
            body = "".join(line for line in body.splitlines(keepends=True) if "32.75" not in line)
        (tmp_path / resource["path"]).parent.mkdir(exist_ok=True)
        (tmp_path / resource["path"]).write_text(body)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    errors = [e for task in report.tasks for e in task.errors]
    assert {e.type for e in errors} == {"foreign-key"}
    # Bekasi's two results, and nothing else, point at a region that is not there.
    assert len(errors) == 2
    assert all("32.75" in e.cells for e in errors)
