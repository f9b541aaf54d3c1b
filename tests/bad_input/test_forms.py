"""Every form of the portal, sent the wrong things.

For each form a valid submission is defined (and checked to be accepted, so that each bad
case below differs from a good one by one field only). Each bad case must end in a clear
error on the page (a field marked invalid or an error message), never a 500, and must leave
every stored row exactly as it was (``payloads.snapshot``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from evaluations.models import Finding, RoundStatus
from evaluations.services.self_assessment import CROSS_SECTION
from tests import factories
from tests.bad_input.payloads import BAD_LEVELS, HUGE_TEXT, SQL, snapshot
from tests.city import factories as cf
from tests.conftest import login
from tests.security.forms import page_fields
from tests.security.world import World

pytestmark = pytest.mark.django_db

ERROR_MARKERS = (
    "is-invalid",
    "invalid-feedback",
    "alert-danger",
    "errorlist",
    "errornote",  # the admin's
    "text-danger",
)
Data = dict[str, Any]


@dataclass(frozen=True)
class Target:
    """A form: who fills it, where it is posted, and a valid submission."""

    who: str
    url: Callable[[World], str]
    valid: Callable[[World, Client], Data]


def _form(client: Client, url: str, prefix: str = "") -> Data:
    """The form as the page shows it (what a browser posts if nothing is touched)."""
    fields = page_fields(client.get(url).content, prefix)
    fields.pop("csrfmiddlewaretoken", None)
    return fields


def _score_url(w: World) -> str:
    return reverse("reviewer:score", args=[w.review_bekasi.pk, w.indicator.pk])


def _findings_url(w: World) -> str:
    return reverse("reviewer:field_review_section", args=[w.review_bekasi.pk, "findings"])


def _section_url(w: World) -> str:
    open_round = w.extra["open_round"]
    section = w.indicator.dimension.code if w.indicator.dimension_id else CROSS_SECTION
    return reverse(
        "city:self_assessment_section", args=[w.kota_bekasi.slug, open_round.slug, section]
    )


def _programme_valid(w: World, client: Client) -> Data:
    return {
        "title": "Smart Parking",
        "dimension": w.programme.dimension_id,
        "element": w.programme.element_id,
        "agency": w.agency.pk,
        "status": "running",
        "start_year": "2023",
        "end_year": "2025",
        "budget": "1.250.000.000",
        "description": "Parkir pintar di pusat kota",
    }


def _answer_valid(w: World, client: Client) -> Data:
    data = _form(client, _section_url(w))
    p = f"ind-{w.indicator.pk}-"
    data[p + "claimed_level"] = "3"
    data[p + "narrative"] = "Perwal Smart City sudah terbit"
    return data


TARGETS: dict[str, Target] = {
    "score": Target(
        "reviewer",
        _score_url,
        lambda w, c: {
            f"i{w.indicator.pk}-level": "4",
            f"i{w.indicator.pk}-comment": "Sesuai bukti",
            f"i{w.indicator.pk}-version": "1",
        },
    ),
    "verified level": Target(
        "reviewer",
        lambda w: reverse("reviewer:verify", args=[w.review_bekasi.pk, w.indicator.pk]),
        lambda w, c: {
            f"v{w.indicator.pk}-level": "4",
            f"v{w.indicator.pk}-comment": "Disepakati panel",
            f"v{w.indicator.pk}-version": "1",
        },
    ),
    "return for revision": Target(
        "reviewer",
        lambda w: reverse("reviewer:return", args=[w.review_bekasi.pk]),
        lambda w, c: {"comment": "Lengkapi bukti dukung indikator tata kelola"},
    ),
    "field review schedule": Target(
        "reviewer",
        lambda w: reverse("reviewer:field_review", args=[w.review_bekasi.pk]),
        lambda w, c: {
            **_form(c, reverse("reviewer:field_review", args=[w.review_bekasi.pk])),
            "location": "Gedung Pemkot Bekasi",
        },
    ),
    "field review findings": Target(
        "reviewer",
        _findings_url,
        lambda w, c: {**_form(c, _findings_url(w)), "findings-0-text": "Jaringan sudah merata"},
    ),
    "re-open a round": Target(
        "manager",
        lambda w: reverse("reviewer:round_step", args=[w.published.slug, "reopen"]),
        lambda w, c: {"reason": "Koreksi nilai Kota Bekasi"},
    ),
    "exclude a participant": Target(
        "manager",
        lambda w: reverse(
            "reviewer:participant_action", args=[w.review.slug, w.review_bandung.pk, "exclude"]
        ),
        lambda w, c: {"reason": "Tidak mengikuti tinjauan lapangan"},
    ),
    "panel seat": Target(
        "manager",
        lambda w: reverse("reviewer:participant", args=[w.review.slug, w.review_bandung.pk]),
        lambda w, c: {"reviewer": w.users["outsider"].pk},
    ),
    "programme": Target(
        "bekasi",
        lambda w: reverse("city:programme_create", args=[w.kota_bekasi.slug]),
        _programme_valid,
    ),
    "agency": Target(
        "coordinator",
        lambda w: reverse("city:agency_create", args=[w.kota_bekasi.slug]),
        lambda w, c: {"name": "Dinas Kesehatan", "acronym": "Dinkes"},
    ),
    "evidence link": Target(
        "bekasi",
        lambda w: reverse("city:evidence_list", args=[w.kota_bekasi.slug]),
        lambda w, c: {"title": "Perwal 12/2023", "url": "https://bekasikota.go.id/perwal"},
    ),
    "self-assessment answer": Target("bekasi", _section_url, _answer_valid),
    "field review attendee": Target(
        "bekasi",
        lambda w: reverse("city:attendee_add", args=[w.kota_bekasi.slug, w.review.slug]),
        lambda w, c: {"name": "Kepala Dinas Kominfo", "position": "Kadis", "agency": w.agency.pk},
    ),
}


LEVELS: list[tuple[str, str | None]] = [(f"level {v!r}", v) for v in BAD_LEVELS] + [
    ("no level", None)
]


# (target, case, changes). A change is a field name -> value (None removes the field), and a
# value may be a function of the world (ids that exist only once the world is built).
CASES: list[tuple[str, str, dict[str, Any]]] = [
    *[("score", label, {"i{pk}-level": value}) for label, value in LEVELS],
    ("score", "comment of 1 MB", {"i{pk}-comment": HUGE_TEXT}),
    ("score", "comment with a NUL byte", {"i{pk}-comment": "nilai\x00"}),
    ("score", "version of a page never shown", {"i{pk}-version": "7"}),
    ("score", "version missing", {"i{pk}-version": None}),
    *[("verified level", label, {"v{pk}-level": value}) for label, value in LEVELS],
    ("verified level", "comment of 1 MB", {"v{pk}-comment": HUGE_TEXT}),
    ("verified level", "version tampered", {"v{pk}-version": "0"}),
    ("return for revision", "no comment", {"comment": "  "}),
    ("return for revision", "comment of 1 MB", {"comment": HUGE_TEXT}),
    ("field review schedule", "date that does not exist", {"start_date": "2099-02-30"}),
    ("field review schedule", "date as words", {"end_date": "besok lusa"}),
    ("field review schedule", "ends before it starts", {"end_date": "2001-01-01"}),
    ("field review schedule", "mode not offered", {"mode": "teleportasi"}),
    ("field review schedule", "location of 1 MB", {"location": HUGE_TEXT}),
    ("field review findings", "a million forms", {"findings-TOTAL_FORMS": "1000000"}),
    ("field review findings", "form count as words", {"findings-TOTAL_FORMS": "banyak"}),
    ("field review findings", "no management form", {"findings-TOTAL_FORMS": None}),
    ("field review findings", "text of 1 MB", {"findings-0-text": HUGE_TEXT}),
    ("field review findings", "dimension that does not exist", {"findings-0-dimension": "999999"}),
    ("field review findings", "kind not offered", {"findings-0-kind": "gosip"}),
    ("field review findings", "id of another field review's finding", {"findings-0-id": "OTHER"}),
    ("re-open a round", "no reason", {"reason": ""}),
    ("re-open a round", "reason of 1 MB", {"reason": HUGE_TEXT}),
    ("exclude a participant", "no reason", {"reason": None}),
    ("exclude a participant", "reason of 1 MB", {"reason": HUGE_TEXT}),
    ("panel seat", "reviewer as words", {"reviewer": "penilai"}),
    ("panel seat", "reviewer that does not exist", {"reviewer": "999999"}),
    ("panel seat", "a city operator as reviewer", {"reviewer": "BEKASI_USER"}),
    ("panel seat", "SQL in the id", {"reviewer": SQL}),
    ("programme", "no title", {"title": None}),
    ("programme", "title of 1 MB", {"title": HUGE_TEXT}),
    ("programme", "description of 1 MB", {"description": HUGE_TEXT}),
    ("programme", "start year -1", {"start_year": "-1"}),
    ("programme", "start year as words", {"start_year": "abc"}),
    ("programme", "start year 1e9", {"start_year": "1e9"}),
    ("programme", "start year beyond any column", {"start_year": "99999999999999999999"}),
    ("programme", "ends before it starts", {"end_year": "2001"}),
    ("programme", "budget as words", {"budget": "satu miliar"}),
    ("programme", "negative budget", {"budget": "-5"}),
    ("programme", "budget beyond any column", {"budget": "9" * 40}),
    ("programme", "dimension that does not exist", {"dimension": "999999"}),
    ("programme", "element of another dimension", {"element": "OTHER_ELEMENT"}),
    ("programme", "agency of another region", {"agency": "BANDUNG_AGENCY"}),
    ("programme", "status not offered", {"status": "selesai-banget"}),
    ("agency", "no name", {"name": ""}),
    ("agency", "name of 1 MB", {"name": HUGE_TEXT}),
    ("agency", "acronym of 1 MB", {"acronym": HUGE_TEXT}),
    ("evidence link", "javascript link", {"url": "javascript:alert(document.cookie)"}),
    ("evidence link", "data link", {"url": "data:text/html,<script>alert(1)</script>"}),
    ("evidence link", "not a link", {"url": "bukan tautan"}),
    ("evidence link", "link of 1 MB", {"url": "https://x.id/" + "a" * 1_000_000}),
    ("evidence link", "title of 1 MB", {"title": HUGE_TEXT}),
    ("evidence link", "neither file nor link", {"url": None}),
    *[
        ("self-assessment answer", label, {"ind-{pk}-claimed_level": value})
        for label, value in LEVELS
        if value not in ("", " ", None)  # no level yet is a valid draft
    ],
    ("self-assessment answer", "narrative of 1 MB", {"ind-{pk}-narrative": HUGE_TEXT}),
    ("self-assessment answer", "narrative with a NUL byte", {"ind-{pk}-narrative": "a\x00"}),
    ("self-assessment answer", "evidence of another region", {"ind-{pk}-evidence": "BANDUNG_EV"}),
    ("self-assessment answer", "evidence id as words", {"ind-{pk}-evidence": "semua"}),
    ("self-assessment answer", "version as words", {"ind-{pk}-version": "terbaru"}),
    ("self-assessment answer", "javascript link", {"ind-{pk}-new_link": "javascript:alert(1)"}),
    ("field review attendee", "no name", {"name": ""}),
    ("field review attendee", "name of 1 MB", {"name": HUGE_TEXT}),
    ("field review attendee", "position of 1 MB", {"position": HUGE_TEXT}),
]


@pytest.fixture
def scene(world):
    """The world, plus what some forms need: a coordinator, an open self-assessment, and
    Bandung's own agency and evidence (ids to tamper with)."""
    world.users["coordinator"] = factories.make_operator(
        world.kota_bekasi, "koordinator", role="coordinator"
    )
    open_round = factories.make_round(
        instrument=world.instrument, year=2099, phase=1, status=RoundStatus.SELF_ASSESSMENT
    )
    factories.make_participation(open_round, world.kota_bekasi)
    world.extra.update(
        open_round=open_round,
        BANDUNG_AGENCY=factories.make_agency(world.kota_bandung, "Diskominfo Bandung").pk,
        BANDUNG_EV=cf.make_file_evidence(world.kota_bandung, "rahasia-bandung.pdf").pk,
        BEKASI_USER=world.users["bekasi"].pk,
        OTHER=Finding.objects.exclude(field_review=world.field_review).first().pk,
        OTHER_ELEMENT=world.programme.dimension.elements.model.objects.exclude(
            dimension=world.programme.dimension
        )
        .first()
        .pk,
    )
    return world


def _client(world: World, who: str) -> Client:
    user = world.users[who]
    assert user is not None
    return login(Client(), user)


def _apply(world: World, data: Data, changes: dict[str, Any]) -> Data:
    data = dict(data)
    for field, value in changes.items():
        field = field.format(pk=world.indicator.pk)
        if value is None:
            data.pop(field, None)
        elif isinstance(value, str) and value in world.extra:
            data[field] = str(world.extra[value])
        else:
            data[field] = value
    return data


def refusal_page(client: Client, response) -> str:
    """The page the user sees after a refused submission, checked to name the problem."""
    assert response.status_code in (200, 302, 400), response.status_code
    if response.status_code == 302:
        response = client.get(response["Location"])
        assert response.status_code == 200
    text = response.content.decode()
    assert any(marker in text for marker in ERROR_MARKERS), "no error shown"
    return text


@pytest.mark.parametrize("name", TARGETS)
def test_the_valid_submission_of_each_form_is_accepted(scene, name):
    target = TARGETS[name]
    client = _client(scene, target.who)
    before = snapshot()
    response = client.post(target.url(scene), target.valid(scene, client))
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        page = client.get(response["Location"]).content.decode()
        assert "alert-danger" not in page
    assert snapshot() != before, "the valid submission stored nothing"


@pytest.mark.parametrize(("name", "case", "changes"), CASES, ids=[f"{n}: {c}" for n, c, _ in CASES])
def test_a_wrong_submission_is_refused_clearly_and_changes_nothing(scene, name, case, changes):
    target = TARGETS[name]
    client = _client(scene, target.who)
    data = _apply(scene, target.valid(scene, client), changes)
    before = snapshot()
    refusal_page(client, client.post(target.url(scene), data))
    assert snapshot() == before


def test_every_form_of_the_portal_is_in_the_corpus():
    assert {name for name, _, _ in CASES} == set(TARGETS)
    assert len(CASES) > 80


@pytest.mark.parametrize("url", ["login", "admin:login"])
@pytest.mark.parametrize("value", [HUGE_TEXT, "admin\x00", SQL])
def test_the_login_forms_refuse_junk(client, bekasi, value, url, settings):
    settings.RATELIMIT_LOGIN = ""
    before = snapshot()
    response = client.post(reverse(url), {"username": value, "password": value})
    assert response.status_code == 200
    assert any(marker in response.content.decode() for marker in ERROR_MARKERS)
    assert snapshot() == before
