"""Every URL pattern of the project, for every kind of user, by GET and by POST.

The patterns are discovered from the URLconf (``tests/security/urlwalk.py``), the admin
included, so a new view cannot escape: a URL without parameters in ``urlwalk.KWARGS`` or
without expected answers in ``EXPECTED`` below fails this test. The cast, in this order:

    anonymous · bekasi (operator of Kota Bekasi) · bandung (operator of Kota Bandung) ·
    reviewer (lead of Kota Bekasi's panel) · outsider (a reviewer on no panel) · manager

Every URL is about Kota Bekasi's objects (see ``world.py``). An answer is a status code, or
``LOGIN`` / ``ADMIN`` for a redirect to the portal's / the admin's login page. Each request
runs in a transaction that is rolled back, so a POST that succeeds (a manager deleting a
row in the admin) changes nothing for the next one.

Along the way every HTML page is checked against the Content Security Policy (no inline
script or style, the policy header present without ``unsafe-inline``), and every answer that
is a file must come from a view with the download rate limit.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client

from smartcity import rights
from smartcity.rights import UnrestrictedRead
from tests.conftest import login
from tests.security import urlwalk
from tests.security.csp import csp_problems
from tests.security.world import CAST, World

pytestmark = pytest.mark.django_db

LOGIN = "LOGIN"  # 302 to /accounts/login/?next=...
ADMIN = "ADMIN"  # 302 to /admin/login/?next=...
Answer = int | str
Row = tuple[Answer, Answer, Answer, Answer, Answer, Answer]


@dataclass(frozen=True)
class Expect:
    get: Row
    post: Row


def same(answer: Answer) -> Row:
    return (answer,) * 6


# --- Shapes of answer that many URLs share ----------
# Columns: anonymous, bekasi, bandung, reviewer, outsider, manager.
PUBLIC = Expect(get=same(200), post=same(405))
PUBLIC_REDIRECT = Expect(get=same(302), post=same(405))
# Kota Bekasi's workspace: its own staff only; for everyone else it does not exist.
CITY_READ = Expect(get=(LOGIN, 200, 404, 404, 404, 404), post=(LOGIN, 405, 404, 404, 404, 404))
CITY_FORM = Expect(get=(LOGIN, 200, 404, 404, 404, 404), post=(LOGIN, 200, 404, 404, 404, 404))


def city_action(post: Answer) -> Expect:
    """A button of Bekasi's workspace (POST only)."""
    return Expect(get=(LOGIN, 405, 404, 404, 404, 404), post=(LOGIN, post, 404, 404, 404, 404))


# Agencies (OPD) are managed by the region's coordinator; ``bekasi`` is an operator.
CITY_COORDINATOR = Expect(
    get=(LOGIN, 403, 404, 404, 404, 404), post=(LOGIN, 403, 404, 404, 404, 404)
)
# The participation on whose panel ``reviewer`` sits (a manager may read it too); city staff
# are not reviewers (403), a reviewer off the panel is told it does not exist.
PANEL_READ = Expect(get=(LOGIN, 403, 403, 200, 404, 200), post=(LOGIN, 403, 403, 405, 405, 405))
PANEL_FORM = Expect(get=(LOGIN, 403, 403, 200, 404, 200), post=(LOGIN, 403, 403, 400, 404, 400))


def panel_action(reviewer: Answer, manager: Answer) -> Expect:
    return Expect(
        get=(LOGIN, 403, 403, 405, 405, 405), post=(LOGIN, 403, 403, reviewer, 404, manager)
    )


MANAGER_READ = Expect(get=(LOGIN, 403, 403, 403, 403, 200), post=(LOGIN, 403, 403, 403, 403, 405))
MANAGER_FORM = Expect(get=(LOGIN, 403, 403, 403, 403, 200), post=(LOGIN, 403, 403, 403, 403, 200))
MANAGER_ACTION = Expect(get=(LOGIN, 403, 403, 403, 403, 405), post=(LOGIN, 403, 403, 403, 403, 302))

EXPECTED: dict[str, Expect] = {
    # Project
    "dashboard": Expect(get=(LOGIN, 302, 302, 302, 302, 302), post=(LOGIN, *same(405)[1:])),
    "login": Expect(get=(200, *same(302)[1:]), post=(200, *same(302)[1:])),
    "logout": Expect(get=same(405), post=same(302)),
    "set_language": Expect(get=same(302), post=same(302)),
    "healthz": PUBLIC,
    "readyz": PUBLIC,
    "favicon": PUBLIC_REDIRECT,
    # Public portal: the same for everyone, read only.
    "public:home": PUBLIC,
    "public:rankings_latest": PUBLIC,
    "public:rankings": PUBLIC,
    "public:revisions": PUBLIC,
    "public:revision_download": PUBLIC,
    "public:rankings_provinces": PUBLIC,
    "public:rankings_metrics": PUBLIC,
    "public:rankings_metric": PUBLIC,
    "public:region": PUBLIC,
    "public:search": PUBLIC,
    "public:compare": PUBLIC,
    "public:map": PUBLIC,
    "public:methodology_latest": PUBLIC,
    "public:methodology": PUBLIC,
    "public:opendata": PUBLIC,
    "public:export": PUBLIC,
    "public:datapackage": PUBLIC,
    "public:round_datapackage": PUBLIC,
    "public:catalogue": PUBLIC,
    "public:openapi": PUBLIC,
    "public:series": PUBLIC,
    "public:table": PUBLIC,
    "public:round_table": PUBLIC,
    # Open-data bundles: a POST (no sign-in) starts or reuses one and goes to its page.
    "public:bundle_start": Expect(get=same(405), post=same(302)),
    "public:round_bundle_start": Expect(get=same(405), post=same(302)),
    "public:bundle": PUBLIC,
    "public:bundle_download": PUBLIC,
    "public:robots": PUBLIC,
    "public:sitemap": PUBLIC,
    # The JSON API: open to all, read only. Compare without regions is a 400 (JSON).
    "api:index": PUBLIC,
    "api:rounds": PUBLIC,
    "api:rankings": PUBLIC,
    "api:regions": PUBLIC,
    "api:region_history": PUBLIC,
    "api:compare": Expect(get=same(400), post=same(405)),
    # Reviewer workspace
    "reviewer:assignments": Expect(
        get=(LOGIN, 403, 403, 200, 200, 200), post=(LOGIN, 403, 403, 405, 405, 405)
    ),
    "reviewer:participation": PANEL_READ,
    # Scores come from a panel seat only: the manager reads the page but has no seat.
    "reviewer:score": panel_action(reviewer=400, manager=403),
    "reviewer:complete": panel_action(reviewer=302, manager=403),
    "reviewer:return": panel_action(reviewer=302, manager=302),
    "reviewer:evidence": PANEL_READ,
    # A PDF's page images (the panel beside the indicator, and one image): the download's.
    "reviewer:evidence_pages": PANEL_READ,
    "reviewer:evidence_page": PANEL_READ,
    "reviewer:panel": PANEL_READ,
    "reviewer:verify": panel_action(reviewer=400, manager=400),
    "reviewer:verify_agreed": panel_action(reviewer=302, manager=302),
    "reviewer:review_reopen": panel_action(reviewer=302, manager=302),
    # An empty POST is an unbound form here: the page again.
    "reviewer:field_review": Expect(
        get=(LOGIN, 403, 403, 200, 404, 200), post=(LOGIN, 403, 403, 200, 404, 200)
    ),
    "reviewer:field_review_section": PANEL_FORM,
    "reviewer:field_review_default_agenda": panel_action(reviewer=302, manager=302),
    "reviewer:minutes": PANEL_READ,
    "reviewer:minutes_pdf": PANEL_READ,
    # Round management
    "reviewer:rounds": MANAGER_READ,
    "reviewer:round": MANAGER_READ,
    "reviewer:round_step": MANAGER_ACTION,
    "reviewer:participants_add": MANAGER_ACTION,
    "reviewer:participant": MANAGER_FORM,
    "reviewer:panels_bulk": MANAGER_FORM,
    "reviewer:participant_action": MANAGER_ACTION,
    "reviewer:panel_remove": MANAGER_ACTION,
    "reviewer:results": MANAGER_READ,
    "reviewer:results_export": MANAGER_READ,
    "reviewer:result_letter": MANAGER_READ,
    # GET: a page with the button; POST: the job that builds the template (its page).
    "reviewer:scores_template": Expect(
        get=(LOGIN, 403, 403, 403, 403, 200), post=(LOGIN, 403, 403, 403, 403, 302)
    ),
    "reviewer:scores_upload": MANAGER_FORM,
    "reviewer:history": MANAGER_READ,
    # City workspace
    "city:dashboard": CITY_READ,
    "city:rounds": CITY_READ,
    "city:programme_list": CITY_READ,
    "city:programme_create": CITY_FORM,
    "city:programme_import": CITY_FORM,
    "city:programme_import_template": CITY_READ,
    "city:programme_export": CITY_READ,
    "city:programme_detail": CITY_READ,
    "city:programme_edit": CITY_FORM,
    "city:programme_archive": city_action(302),
    "city:programme_restore": city_action(302),
    "city:programme_evidence_add": city_action(200),
    "city:programme_evidence_detach": city_action(302),
    "city:agency_list": CITY_READ,
    "city:agency_create": CITY_COORDINATOR,
    "city:agency_edit": CITY_COORDINATOR,
    "city:agency_delete": Expect(
        get=(LOGIN, 405, 404, 404, 404, 404), post=(LOGIN, 403, 404, 404, 404, 404)
    ),
    "city:evidence_list": CITY_FORM,
    "city:evidence_download": CITY_READ,
    "city:evidence_pages": CITY_READ,
    "city:evidence_page": CITY_READ,
    "city:evidence_delete": city_action(302),
    "city:self_assessment": CITY_READ,
    "city:self_assessment_submit": city_action(302),
    # Under review the answers are locked: the POST is sent back to the page with a message.
    "city:self_assessment_section": Expect(
        get=(LOGIN, 200, 404, 404, 404, 404), post=(LOGIN, 302, 404, 404, 404, 404)
    ),
    "city:field_review_list": CITY_READ,
    "city:field_review": CITY_READ,
    "city:attendee_add": city_action(200),
    "city:attendee_remove": city_action(302),
    "city:attendees_confirm": city_action(302),
    # People. Invitations, Kominfo accounts and the audit list: managers (a coordinator has
    # the invitations too; ``bekasi`` is an operator).
    "people:invitations": MANAGER_READ,
    "people:invitation_create": MANAGER_FORM,
    "people:invitation_import": MANAGER_FORM,
    "people:invitation_resend": MANAGER_ACTION,
    "people:invitation_revoke": MANAGER_ACTION,
    # An unknown invitation link says so to anyone.
    "people:accept": Expect(get=same(410), post=same(410)),
    # Bekasi's team page: its coordinators and managers; nobody else learns it exists.
    "people:team": Expect(
        get=(LOGIN, 404, 404, 404, 404, 200), post=(LOGIN, 405, 405, 405, 405, 405)
    ),
    "people:team_deactivate": Expect(
        get=(LOGIN, 405, 405, 405, 405, 405), post=(LOGIN, 404, 404, 404, 404, 302)
    ),
    "people:people": MANAGER_READ,
    "people:person_action": MANAGER_ACTION,
    "people:audit": MANAGER_READ,
    # Sign-in steps. City staff have no authenticator (verify sends them to enrol one);
    # the others were verified by the test login.
    "people:two_factor_verify": Expect(
        get=(LOGIN, 302, 302, 200, 200, 200), post=(LOGIN, 302, 302, 200, 200, 200)
    ),
    "people:two_factor_setup": Expect(get=(LOGIN, *same(200)[1:]), post=(LOGIN, *same(200)[1:])),
    "people:recovery_codes": Expect(get=(LOGIN, *same(302)[1:]), post=(LOGIN, *same(302)[1:])),
    "people:security": Expect(get=(LOGIN, *same(200)[1:]), post=(LOGIN, *same(200)[1:])),
    "people:password_change": Expect(get=(LOGIN, *same(200)[1:]), post=(LOGIN, *same(200)[1:])),
    "people:password_reset": Expect(get=same(200), post=same(200)),
    "people:password_reset_done": Expect(get=same(200), post=same(405)),
    "people:password_reset_confirm": Expect(get=same(200), post=same(200)),
    "people:password_reset_complete": Expect(get=same(200), post=same(405)),
    # The inbox is each person's own.
    "people:inbox": Expect(get=(LOGIN, *same(200)[1:]), post=(LOGIN, *same(405)[1:])),
    "people:inbox_badge": Expect(get=(LOGIN, *same(200)[1:]), post=(LOGIN, *same(405)[1:])),
    "people:inbox_read_all": Expect(get=(LOGIN, *same(405)[1:]), post=(LOGIN, *same(302)[1:])),
    "people:notification": Expect(
        get=(LOGIN, 200, 404, 404, 404, 404), post=(LOGIN, 302, 404, 404, 404, 404)
    ),
    "city:result_list": CITY_READ,
    "city:result_detail": CITY_READ,
    # Official documents. The letter is of the published round, whose panel ``reviewer`` is
    # not on: only managers download it from the reviewer side. An empty letterhead form is
    # refused (400); issuing again when every letter exists says so and goes back (302).
    "documents:verify": PUBLIC,
    "documents:round": Expect(
        get=(LOGIN, 403, 403, 403, 403, 200), post=(LOGIN, 403, 403, 403, 403, 400)
    ),
    "documents:letters_issue": MANAGER_ACTION,
    # Starts the ZIP job and goes to its progress page.
    "documents:letters_zip": MANAGER_ACTION,
    # No region signatory chosen (and the review still ahead): the form again, 400.
    "documents:minutes_issue": PANEL_FORM,
    "documents:reviewer_download": Expect(
        get=(LOGIN, 403, 403, 404, 404, 200), post=(LOGIN, 403, 403, 405, 405, 405)
    ),
    "documents:city_list": CITY_READ,
    "documents:city_download": CITY_READ,
    # A job is seen by its owner (Bekasi's operator) and managers; it has no file here.
    "jobs:detail": Expect(get=(LOGIN, 200, 404, 404, 404, 200), post=(LOGIN, *same(405)[1:])),
    "jobs:download": Expect(get=(LOGIN, *same(404)[1:]), post=(LOGIN, *same(405)[1:])),
}

# --- The admin ----------
# What managers and reviewers may do per admin model (v view, a add, c change, d delete),
# from evaluations.roles.ensure_groups and the admin classes: results, publications and round
# events are read-only for everyone. Reviewers only read reference data in the admin: it does
# not know panels, so participation data (answers, evidence, scores, results, field reviews)
# is theirs only through the panel-scoped reviewer pages. Only superusers, none in the cast,
# manage user groups and django-axes' records.
_REFERENCE = ("vacd", "v")
_MANAGERS_ONLY = ("vacd", "")
ADMIN_RIGHTS: dict[str, tuple[str, str]] = {
    "auth.group": ("", ""),
    "auth.user": ("v", ""),
    "axes.accessattempt": ("", ""),
    "axes.accesslog": ("", ""),
    "axes.accessfailurelog": ("", ""),
    **{
        f"regions.{m}": _REFERENCE
        for m in (
            "province",
            "region",
            "cohort",
            "cohortmembership",
            "digitalgovernmentindex",
            "award",
        )
    },
    **{f"regions.{m}": _MANAGERS_ONLY for m in ("agency", "regionmembership")},
    **{
        f"evaluations.{m}": _REFERENCE
        for m in ("dimension", "element", "instrument", "indicator", "ratingband", "round")
    },
    **{
        f"evaluations.{m}": _MANAGERS_ONLY
        for m in (
            "evidence",
            "programme",
            "participation",
            "reviewerassignment",
            "selfassessmentanswer",
            "score",
            "verifiedscore",
            "fieldreview",
            "agendaitem",
            "attendee",
            "finding",
        )
    },
    **{
        f"evaluations.{m}": ("v", "")
        for m in ("result", "publication", "roundevent", "publishedprogramme", "importupload")
    },
}
# The walk's row of these models (the first by pk) is part of a frozen instrument or a closed
# round of the world: the trust guards refuse changing or deleting it.
CLOSED_IN_THE_WORLD = {
    "evaluations.instrument",
    "evaluations.indicator",
    "evaluations.ratingband",
    "evaluations.participation",
    "evaluations.verifiedscore",
}
# Issue 16: a frozen version's rows take English translations (``*_en``) from their change
# form; the rest of the form is read-only (tests/trust/test_frozen_translations.py).
TRANSLATABLE_WHEN_FROZEN = {
    "evaluations.instrument",
    "evaluations.indicator",
    "evaluations.ratingband",
}
# Restoring an old version from the history is a change, refused where the rows belong to
# the lifecycle services (a round's status) or to an instrument version's method.
NO_HISTORY_REVERT = {"evaluations.round", *TRANSLATABLE_WHEN_FROZEN}
ALLOWED = "ALLOWED"  # an admin form posted by someone with the right: 200 or 302
STAFF_SITE_URLS: dict[str, tuple[Answer, Answer]] = {
    "admin-page": (200, 200),
    "admin-autocomplete": (403, 405),  # only with the parameters a select sends
    "admin-view-on-site": (302, 302),
    "admin-catch-all": (404, 404),
}


def _answer(response) -> Answer:
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith("/accounts/login/"):
            return LOGIN
        if location.startswith("/admin/login/"):
            return ADMIN
    return response.status_code


@contextmanager
def _rolled_back(client: Client) -> Iterator[None]:
    """Run one request and forget it: database rows and the client's cookies."""
    cookies = deepcopy(client.cookies)
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
    client.cookies = cookies


def _client(world: World, who: str) -> Client:
    client = Client()
    user = world.users[who]
    if user is not None:
        login(client, user)
    return client


def _is_download(response) -> bool:
    disposition = response.get("Content-Disposition", "")
    return "attachment" in disposition or response.get("Content-Type", "").startswith(
        ("application/pdf", "image/")
    )


# The rate-limit group a view answering a file must carry (page images of evidence
# previews have their own budget; every other file counts as a download).
FILE_LIMITS = {"reviewer:evidence_page": "previews", "city:evidence_page": "previews"}


# Where views and their read layer live: a protected queryset created here must carry a
# right (``evaluations.rights``) or come from an object already in hand (a related manager).
READ_LAYER = (
    "evaluations/views/",
    "evaluations/selectors/",
    "evaluations/documents/views.py",
    "smartcity/views.py",
)


def unrestricted_reads(reads: list[UnrestrictedRead], read_layer=READ_LAYER) -> list[str]:
    """The reads of protected models that view or selector code made without a right."""
    return sorted({str(r) for r in reads if r.origin.startswith(read_layer)})


def walk(world: World, who: str) -> tuple[dict[str, tuple[Answer, Answer]], list[str]]:
    """Every route by GET and POST as ``who``: the answers, and the problems seen (among
    them every read of a protected model that bypassed the rights querysets)."""
    client = _client(world, who)
    answers: dict[str, tuple[Answer, Answer]] = {}
    problems: list[str] = []
    for route in urlwalk.discover():
        url = urlwalk.url_for(route, world)
        pair = []
        for method in ("get", "post"):
            with _rolled_back(client), rights.audit() as reads:
                response = getattr(client, method)(url)
            pair.append(_answer(response))
            problems += [f"{method.upper()} {url} as {who}: {r}" for r in unrestricted_reads(reads)]
            if response.status_code == 500:
                problems.append(f"{method.upper()} {url} as {who}: 500")
            if method == "get" and response.status_code == 200:
                if response.get("Content-Type", "").startswith("text/html"):
                    problems += [f"{url} as {who}: {p}" for p in csp_problems(response)]
                if _is_download(response):
                    group = getattr(route.view, "rate_limit_group", None)
                    if group != FILE_LIMITS.get(route.key, "downloads"):
                        problems.append(f"{url} answers a file without its rate limit")
        answers[route.key] = (pair[0], pair[1])
    return answers, problems


def _expected(route: urlwalk.Route) -> Expect:
    if route.key in EXPECTED:
        return EXPECTED[route.key]
    if route.key.startswith("admin"):
        return admin_expected(route)
    raise LookupError(f"No expected answers for {route.key!r}: add them to EXPECTED")


def admin_expected(route: urlwalk.Route) -> Expect:
    """Anonymous readers and city staff are sent to the admin's login; staff get what their
    rights in ``ADMIN_RIGHTS`` allow."""
    kind = urlwalk.admin_kind(route)
    if kind == "admin-login-page":
        return Expect(get=(200, 200, 200, 302, 302, 302), post=same(200))
    if kind == "admin-logout":
        return Expect(get=(302, 302, 302, 405, 405, 405), post=same(302))
    outside = (ADMIN, ADMIN, ADMIN)
    if route.key == "admin:password_change_done":
        return Expect(get=(*outside, 200, 200, 200), post=(*outside, 405, 405, 405))
    if route.key == "admin:jsi18n":
        return Expect(get=(*outside, 200, 200, 200), post=(*outside, 405, 405, 405))
    if kind in STAFF_SITE_URLS:
        get, post = STAFF_SITE_URLS[kind]
        return Expect(get=(*outside, get, get, get), post=(*outside, post, post, post))
    model = urlwalk.admin_model(route)
    assert model is not None, route.key
    label = model._meta.label_lower
    if label not in ADMIN_RIGHTS:
        raise LookupError(f"Admin model {label} has no entry in ADMIN_RIGHTS")
    manager, reviewer = ADMIN_RIGHTS[label]
    answers = [_admin_answer(kind, rights, label) for rights in (reviewer, reviewer, manager)]
    return Expect(
        get=(*outside, *(a[0] for a in answers)),  # type: ignore[arg-type]
        post=(*outside, *(a[1] for a in answers)),  # type: ignore[arg-type]
    )


def _admin_answer(kind: str, rights: str, label: str) -> tuple[Answer, Answer]:
    def allowed(*needed: str) -> bool:
        return any(r in rights for r in needed)

    if kind == "redirect":  # <object_id>/ → <object_id>/change/
        return (302, 302)
    if kind == "changelist":
        return (200, 200) if allowed("v", "c") else (403, 403)
    if kind == "history":
        return (200, 200) if allowed("v", "c") else (403, 403)
    if kind == "add":
        return (200, ALLOWED) if allowed("a") else (403, 403)
    if label in TRANSLATABLE_WHEN_FROZEN and kind == "change" and allowed("c"):
        return (200, ALLOWED)
    if label in CLOSED_IN_THE_WORLD and kind in ("change", "delete"):
        # Issue 15: the walk's row belongs to a frozen method or a closed round: read-only
        # for everyone, whatever the rights (tests/trust/test_admin_guards.py).
        return (200, 403) if kind == "change" and allowed("v", "c") else (403, 403)
    if kind == "change":
        if allowed("c"):
            return (200, ALLOWED)
        return (200, 403) if allowed("v") else (403, 403)
    if kind == "delete":
        return (200, ALLOWED) if allowed("d") else (403, 403)
    if kind == "simple_history":
        get: Answer = 200 if allowed("v", "c") else 403
        revert = allowed("c") and label not in NO_HISTORY_REVERT
        return (get, ALLOWED if revert else 403)
    if kind == "password_change":
        return (200, ALLOWED) if allowed("c") else (403, 403)
    raise LookupError(f"Unknown admin URL kind {kind!r}")


def _matches(answer: Answer, expected: Answer) -> bool:
    if expected == ALLOWED:
        return answer in (200, 302)
    return answer == expected


@pytest.mark.parametrize("who", CAST)
def test_every_url_answers_each_kind_of_user_as_expected(admin_rows, settings, who):
    settings.RATELIMIT_DOWNLOADS = "1000/m"  # this walk downloads every file several times
    world = admin_rows
    answers, problems = walk(world, who)
    index = CAST.index(who)
    if os.environ.get("URL_MATRIX_PROBE"):
        for key, (get, post) in answers.items():
            print(f"PROBE {who} {key} {get} {post}")
    mismatches = []
    for route in urlwalk.discover():
        expect = _expected(route)
        want = (expect.get[index], expect.post[index])
        got = answers[route.key]
        if not (_matches(got[0], want[0]) and _matches(got[1], want[1])):
            mismatches.append(f"{route.key}: GET/POST {got}, expected {want}")
    assert mismatches == []
    assert problems == [], "\n".join(problems)


def test_the_walk_covers_every_area_and_the_whole_admin():
    routes = urlwalk.discover()
    names = {r.key for r in routes}
    for area in ("public:", "reviewer:", "city:", "admin:"):
        assert any(n.startswith(area) for n in names), area
    # Every model registered in the admin is walked.
    from django.contrib import admin

    for model in admin.site._registry:
        label = f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        assert label in names
    assert len(routes) > 250


def test_a_new_url_without_an_entry_fails_the_walk(world):
    from django.urls import path

    def new_view(request, region_slug):  # pragma: no cover - never called
        raise AssertionError

    route = urlwalk.Route(
        "city:something_new", "city/<slug:region_slug>/baru/", path("baru/", new_view)
    )
    with pytest.raises(LookupError, match="city:something_new"):
        urlwalk.url_for(route, world)
    with pytest.raises(LookupError, match="No expected answers"):
        _expected(route)
