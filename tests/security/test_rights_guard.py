# ruff: noqa: F811 - ``world`` is the shared fixture imported below
"""The guard behind the URL walk: a view that reads a protected model without a right
(``evaluations.rights``) is caught, one that goes through a right is not.

``test_url_permissions.walk`` runs every request under ``smartcity.rights.audit()`` and fails
on any protected queryset that view or selector code evaluated without a right; these tests
show that the guard sees such a read (a throwaway view, as a careless change would write
it) and lets the scoped ways through.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from evaluations import access
from evaluations.models import (
    Attendee,
    Evidence,
    FieldReview,
    Finding,
    Participation,
    Programme,
    Result,
    Round,
)
from regions.models import Agency
from smartcity import rights
from tests.security.conftest import world  # noqa: F401 - the fixture, shared
from tests.security.test_url_permissions import READ_LAYER, unrestricted_reads

pytestmark = pytest.mark.django_db

HERE = str(Path(__file__).resolve().relative_to(Path(__file__).resolve().parents[2]))
# This module stands in for a view module: its throwaway views are "view code".
AS_VIEW_CODE = (*READ_LAYER, HERE)


def _leaky_evidence_list(request: HttpRequest) -> HttpResponse:
    """What a careless view would write: every region's evidence."""
    return HttpResponse(", ".join(e.title for e in Evidence.objects.order_by("title")))


def _scoped_evidence_list(request: HttpRequest) -> HttpResponse:
    titles = (e.title for e in Evidence.objects.downloadable_by(request.user).order_by("title"))
    return HttpResponse(", ".join(titles))


def _get(view, user) -> tuple[HttpResponse, list[str]]:
    request = RequestFactory().get("/")
    request.user = user
    with rights.audit() as reads:
        response = view(request)
    return response, unrestricted_reads(reads, AS_VIEW_CODE)


def test_a_view_listing_every_regions_evidence_fails_the_guard(world):
    response, problems = _get(_leaky_evidence_list, world.users["bandung"])
    # The leak is real (Bandung's operator reads Bekasi's file title)...
    assert world.evidence.title in response.content.decode()
    # ...and the guard names the model and the line that made the queryset.
    assert len(problems) == 1
    assert problems[0].startswith(f"evaluations.Evidence read without a right at {HERE}:")


def test_the_same_view_through_the_right_passes_and_shows_nothing_foreign(world):
    response, problems = _get(_scoped_evidence_list, world.users["bandung"])
    assert problems == []
    assert world.evidence.title not in response.content.decode()
    response, problems = _get(_scoped_evidence_list, world.users["bekasi"])
    assert problems == []
    assert world.evidence.title in response.content.decode()


def test_counting_or_asking_whether_rows_exist_is_a_read_too(world):
    def counts(request: HttpRequest) -> HttpResponse:
        published = Result.objects.filter(participation__round__is_public=True).count()
        any_draft = Round.objects.filter(status="draft").exists()
        return HttpResponse(f"{published} {any_draft}")

    _, problems = _get(counts, world.users["manager"])
    assert [p.split(" at ")[0] for p in problems] == [
        "evaluations.Result read without a right",
        "evaluations.Round read without a right",
    ]


def test_rows_reached_through_a_scoped_object_need_no_right_of_their_own(world):
    def panel(request: HttpRequest) -> HttpResponse:
        participation = access.get_reviewer_participation_or_404(
            request.user, world.review_bekasi.pk
        )
        review = FieldReview.objects.within(participation=participation).get()
        findings = list(review.findings.all())  # a related manager: scoped by ``review``
        return HttpResponse(str(len(findings)))

    response, problems = _get(panel, world.users["reviewer"])
    assert problems == []
    assert response.content == b"1"


def test_within_an_object_fetched_without_a_right_is_caught(world):
    def sneaky(request: HttpRequest) -> HttpResponse:
        participation = Participation.objects.get(pk=world.review_bekasi.pk)  # no right
        return HttpResponse(str(FieldReview.objects.within(participation=participation).count()))

    _, problems = _get(sneaky, world.users["bandung"])
    assert [p.split(" at ")[0] for p in problems] == [
        "evaluations.FieldReview read without a right",
        "evaluations.Participation read without a right",
    ]


def test_code_outside_views_and_selectors_is_not_the_guards_business(world):
    """Services and the admin read what the caller already checked (or Django's own
    permissions guard): only view and selector code must go through a right."""
    _, problems = _get(_leaky_evidence_list, world.users["manager"])
    assert problems  # seen as view code...
    with rights.audit() as reads:
        _leaky_evidence_list(RequestFactory().get("/"))
    assert reads  # ...recorded...
    assert unrestricted_reads(reads) == []  # ...but this module is not in the read layer


def test_nothing_is_recorded_outside_an_audit(world):
    qs = Evidence.objects.all()
    assert qs.right is None
    assert list(qs)  # no recorder: nothing happens
    assert Evidence.objects.downloadable_by(world.users["bekasi"]).right == "downloadable_by"
    assert Evidence.objects.downloadable_by(world.users["bekasi"]).filter(pk=1).right == (
        "downloadable_by"
    )


# --- The static half: every protected queryset in view and selector code starts from a right

PROTECTED = (Round, Participation, Result, Evidence, Programme, FieldReview, Finding)
PROTECTED_NAMES = {m.__name__ for m in (*PROTECTED, Attendee, Agency)}
# Inside these calls a queryset is a subquery or a prefetch: it runs within the outer,
# scoped query (or gets the ``instance`` hint of the objects it is prefetched for).
INNER_CALLS = {"Exists", "Subquery", "Prefetch", "subquery_count", "_subquery_count"}


def _rights_methods() -> set[str]:
    names = {"within"}
    for model in (*PROTECTED, Attendee, Agency):
        for klass in type(model.objects.all()).__mro__:
            if klass.__module__ in ("evaluations.rights", "regions.models"):
                names |= {
                    n
                    for n, v in vars(klass).items()
                    if callable(v) and not n.startswith("_") and n != "get_by_natural_key"
                }
    return names


def unscoped_querysets(source: str, filename: str) -> list[str]:
    """``Model.objects.<not a right>`` of a protected model outside a subquery or prefetch."""
    tree = ast.parse(source)
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    rights_methods = _rights_methods()
    found = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "objects"
            and isinstance(node.value.value, ast.Name)
            and node.value.value.id in PROTECTED_NAMES
        ):
            continue
        if node.attr in rights_methods:
            continue
        up, inner = parents.get(node), False
        while up is not None and not inner:
            if isinstance(up, ast.Call) and isinstance(up.func, ast.Name):
                inner = up.func.id in INNER_CALLS
            up = parents.get(up)
        if not inner:
            found.append(f"{filename}:{node.lineno} {node.value.value.id}.objects.{node.attr}")
    return found


def _read_layer_files() -> list[Path]:
    root = Path(__file__).resolve().parents[2]
    files: list[Path] = []
    for entry in READ_LAYER:
        path = root / entry
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


def test_view_and_selector_code_starts_every_protected_queryset_from_a_right():
    files = _read_layer_files()
    assert len(files) > 30  # the walk of the read layer found the views
    problems = [p for f in files for p in unscoped_querysets(f.read_text(), f.name)]
    assert problems == []


def test_the_static_check_sees_an_unscoped_queryset_and_lets_subqueries_through():
    source = (
        "from django.db.models import Exists, OuterRef, Prefetch\n"
        "def view(request, participation):\n"
        "    a = Evidence.objects.filter(region=request.region)\n"
        "    b = Evidence.objects.downloadable_by(request.user)\n"
        "    c = Participation.objects.annotate(\n"
        "        f=Exists(FieldReview.objects.filter(participation=OuterRef('pk'))))\n"
        "    d = Prefetch('findings', queryset=Finding.objects.select_related('dimension'))\n"
        "    e = FieldReview.objects.within(participation=participation)\n"
        "    return Round.objects.get(slug=request.GET['round'])\n"
    )
    assert unscoped_querysets(source, "leaky.py") == [
        "leaky.py:3 Evidence.objects.filter",
        "leaky.py:5 Participation.objects.annotate",
        "leaky.py:9 Round.objects.get",
    ]
