"""Discover every URL pattern of the project and fill its parameters from the test world.

``discover()`` walks ``get_resolver()`` recursively (every namespace, the admin included).
``url_for(route, world)`` builds a concrete URL: public, reviewer, city and project URLs
take their parameters from ``KWARGS`` (one entry per URL name); admin URLs are built from
the model named in the URL (its first row in the world). A URL that neither knows fails the
test that asked, so a new view cannot be left out of the permission matrix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.world import World


@dataclass(frozen=True)
class Route:
    """One URL pattern: its qualified name (or None) and its full route."""

    name: str | None
    route: str
    pattern: URLPattern

    @property
    def key(self) -> str:
        return self.name or self.route

    @property
    def view(self) -> Callable[..., Any]:
        return self.pattern.callback


def _walk(patterns: list, prefix: str = "", namespace: str | None = None) -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        else:
            name = pattern.name
            if name and namespace:
                name = f"{namespace}:{name}"
            yield Route(name, prefix + str(pattern.pattern), pattern)


def discover() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


# --- Parameters of the portal's own URLs ----------
# One entry per URL name: the parameters, from the world. Bekasi's objects throughout: the
# cast is then Bekasi's own operator, another city's operator, Bekasi's panel reviewer, a
# reviewer elsewhere, and a manager.

K = Callable[[World], dict[str, Any]]


def _bekasi(**more: Callable[[World], Any]) -> K:
    return lambda w: {"region_slug": w.kota_bekasi.slug, **{k: f(w) for k, f in more.items()}}


def _part(**more: Callable[[World], Any]) -> K:
    return lambda w: {"pk": w.review_bekasi.pk, **{k: f(w) for k, f in more.items()}}


def _round(**more: Callable[[World], Any]) -> K:
    return lambda w: {"slug": w.review.slug, **{k: f(w) for k, f in more.items()}}


def _published(**more: Callable[[World], Any]) -> K:
    return lambda w: {"slug": w.published.slug, **{k: f(w) for k, f in more.items()}}


def _none(w: World) -> dict[str, Any]:
    return {}


def _invitation(w: World) -> Any:
    """An open invitation of an operator to Kota Bekasi, sent by the manager."""
    from datetime import timedelta

    from django.utils import timezone

    from smartcity.people.models import Invitation

    manager = w.users["manager"]
    assert manager is not None
    invitation, _created = Invitation.objects.get_or_create(
        email="undangan@bekasikota.go.id",
        defaults={
            "full_name": "Operator Baru",
            "role": "operator",
            "region": w.kota_bekasi,
            "invited_by": manager,
            "expires_at": timezone.now() + timedelta(days=7),
        },
    )
    return invitation


def _bekasi_membership(w: World) -> Any:
    return w.users["bekasi"].region_memberships.get(region=w.kota_bekasi)


def _bekasi_notification(w: World) -> Any:
    from smartcity.people.models import Notification

    note, _created = Notification.objects.get_or_create(
        user=w.users["bekasi"],
        event_key="walk",
        defaults={"kind": "security", "subject": "Uji", "body": "Uji"},
    )
    return note


KWARGS: dict[str, K] = {
    # Project
    "dashboard": _none,
    "login": _none,
    "logout": _none,
    "set_language": _none,
    "healthz": _none,
    "readyz": _none,
    "favicon": _none,
    # Public portal
    "public:home": _none,
    "public:rankings_latest": _none,
    "public:rankings": lambda w: {"round_slug": w.published.slug},
    "public:revisions": lambda w: {"round_slug": w.published.slug},
    "public:revision_download": lambda w: {
        "round_slug": w.published.slug,
        "number": w.published.publications.get().number,
    },
    "public:rankings_provinces": lambda w: {"round_slug": w.published.slug},
    "public:rankings_metrics": lambda w: {"round_slug": w.published.slug},
    "public:rankings_metric": lambda w: {"round_slug": w.published.slug, "metric": "governance"},
    "public:region": lambda w: {"slug": w.kota_bekasi.slug},
    "public:search": _none,
    "public:compare": _none,
    "public:map": _none,
    "public:methodology_latest": _none,
    "public:methodology": lambda w: {"instrument": w.instrument.code},
    "public:opendata": _none,
    "public:export": lambda w: {"round_slug": w.published.slug, "fmt": "csv"},
    "public:datapackage": _none,
    "public:round_datapackage": lambda w: {"round_slug": w.published.slug},
    "public:catalogue": _none,
    "public:openapi": _none,
    "public:series": lambda w: {"fmt": "csv"},
    "public:table": lambda w: {"table": "results"},
    "public:round_table": lambda w: {"round_slug": w.published.slug, "table": "results"},
    # Open-data bundles: anyone may ask (POST) and download one of the current data version.
    "public:bundle_start": _none,
    "public:round_bundle_start": lambda w: {"round_slug": w.published.slug},
    "public:bundle": lambda w: {"pk": _bundle(w).pk},
    "public:bundle_download": lambda w: {"pk": _bundle(w).pk},
    "public:robots": _none,
    "public:sitemap": _none,
    # Read-only JSON API
    "api:index": _none,
    "api:rounds": _none,
    "api:rankings": lambda w: {"slug": w.published.slug},
    "api:regions": _none,
    "api:region_history": lambda w: {"slug": w.kota_bekasi.slug},
    "api:compare": _none,
    # Reviewer workspace
    "reviewer:assignments": _none,
    "reviewer:participation": _part(),
    "reviewer:score": _part(indicator_pk=lambda w: w.indicator.pk),
    "reviewer:complete": _part(),
    "reviewer:return": _part(),
    "reviewer:evidence": _part(evidence_pk=lambda w: w.evidence.pk),
    "reviewer:evidence_pages": _part(evidence_pk=lambda w: w.evidence.pk),
    "reviewer:evidence_page": _part(evidence_pk=lambda w: w.evidence.pk, number=lambda w: 1),
    "reviewer:panel": _part(),
    "reviewer:verify": _part(indicator_pk=lambda w: w.indicator.pk),
    "reviewer:verify_agreed": _part(),
    "reviewer:review_reopen": _part(seat_pk=lambda w: w.seat.pk),
    "reviewer:field_review": _part(),
    "reviewer:field_review_section": _part(section=lambda w: "findings"),
    "reviewer:field_review_default_agenda": _part(),
    "reviewer:minutes": _part(),
    "reviewer:minutes_pdf": _part(),
    # Round management
    "reviewer:rounds": _none,
    "reviewer:round": _round(),
    "reviewer:round_step": _round(action=lambda w: "finalise"),
    "reviewer:participants_add": _round(),
    "reviewer:participant": _round(pk=lambda w: w.review_bekasi.pk),
    "reviewer:panels_bulk": _round(),
    "reviewer:participant_action": _round(
        pk=lambda w: w.review_bekasi.pk, action=lambda w: "exclude"
    ),
    "reviewer:panel_remove": _round(pk=lambda w: w.review_bekasi.pk, seat_pk=lambda w: w.seat.pk),
    "reviewer:results": _published(),
    "reviewer:results_export": _published(fmt=lambda w: "xlsx"),
    "reviewer:result_letter": _published(pk=lambda w: w.published_bekasi.pk),
    "reviewer:scores_template": _round(fmt=lambda w: "csv"),
    "reviewer:scores_upload": _round(),
    "reviewer:history": _round(),
    # City workspace (Kota Bekasi's)
    "city:dashboard": _bekasi(),
    "city:rounds": _bekasi(),
    "city:programme_list": _bekasi(),
    "city:programme_create": _bekasi(),
    "city:programme_import": _bekasi(),
    "city:programme_import_template": _bekasi(),
    "city:programme_export": _bekasi(fmt=lambda w: "xlsx"),
    "city:programme_detail": _bekasi(pk=lambda w: w.programme.pk),
    "city:programme_edit": _bekasi(pk=lambda w: w.programme.pk),
    "city:programme_archive": _bekasi(pk=lambda w: w.programme.pk),
    "city:programme_restore": _bekasi(pk=lambda w: w.programme.pk),
    "city:programme_evidence_add": _bekasi(pk=lambda w: w.programme.pk),
    "city:programme_evidence_detach": _bekasi(
        pk=lambda w: w.programme.pk, evidence_pk=lambda w: w.evidence.pk
    ),
    "city:agency_list": _bekasi(),
    "city:agency_create": _bekasi(),
    "city:agency_edit": _bekasi(pk=lambda w: w.agency.pk),
    "city:agency_delete": _bekasi(pk=lambda w: w.agency.pk),
    "city:evidence_list": _bekasi(),
    "city:evidence_download": _bekasi(pk=lambda w: w.evidence.pk),
    "city:evidence_delete": _bekasi(pk=lambda w: w.evidence.pk),
    "city:evidence_pages": _bekasi(pk=lambda w: w.evidence.pk),
    "city:evidence_page": _bekasi(pk=lambda w: w.evidence.pk, number=lambda w: 1),
    "city:self_assessment": _bekasi(round_slug=lambda w: w.review.slug),
    "city:self_assessment_submit": _bekasi(round_slug=lambda w: w.review.slug),
    "city:self_assessment_section": _bekasi(
        round_slug=lambda w: w.review.slug, section=lambda w: w.indicator.dimension.code
    ),
    "city:field_review_list": _bekasi(),
    "city:field_review": _bekasi(round_slug=lambda w: w.review.slug),
    "city:attendee_add": _bekasi(round_slug=lambda w: w.review.slug),
    "city:attendee_remove": _bekasi(round_slug=lambda w: w.review.slug, pk=lambda w: w.attendee.pk),
    "city:attendees_confirm": _bekasi(round_slug=lambda w: w.review.slug),
    # Official documents
    "documents:verify": lambda w: {"code": w.extra["letter"].code},
    "documents:round": _published(),
    "documents:letters_issue": _published(),
    "documents:letters_zip": _published(),
    "documents:minutes_issue": _part(),
    "documents:reviewer_download": lambda w: {"pk": w.extra["letter"].pk},
    "documents:city_list": _bekasi(),
    "documents:city_download": _bekasi(pk=lambda w: w.extra["letter"].pk),
    "city:result_list": _bekasi(),
    "city:result_detail": _bekasi(round_slug=lambda w: w.published.slug),
    # Background jobs: one Bekasi's operator started (no result file).
    "jobs:detail": lambda w: {"pk": _bekasi_job(w).pk},
    "jobs:download": lambda w: {"pk": _bekasi_job(w).pk},
    # People (accounts, invitations, inbox): Kota Bekasi's operator and objects again.
    "people:invitations": _none,
    "people:invitation_create": _none,
    "people:invitation_import": _none,
    "people:invitation_resend": lambda w: {"pk": _invitation(w).pk},
    "people:invitation_revoke": lambda w: {"pk": _invitation(w).pk},
    "people:accept": lambda w: {"token": "not-a-known-token"},
    "people:team": _bekasi(),
    "people:team_deactivate": _bekasi(pk=lambda w: _bekasi_membership(w).pk),
    "people:people": _none,
    "people:person_action": lambda w: {"pk": w.users["outsider"].pk, "action": "reset-2fa"},
    "people:audit": _none,
    "people:two_factor_verify": _none,
    "people:two_factor_setup": _none,
    "people:recovery_codes": _none,
    "people:security": _none,
    "people:password_change": _none,
    "people:password_reset": _none,
    "people:password_reset_done": _none,
    "people:password_reset_confirm": lambda w: {"uidb64": "MQ", "token": "set-password"},
    "people:password_reset_complete": _none,
    "people:inbox": _none,
    "people:inbox_badge": _none,
    "people:inbox_read_all": _none,
    "people:notification": lambda w: {"pk": _bekasi_notification(w).pk},
}


def _bekasi_job(world: World) -> Any:
    from smartcity.jobs.models import Job, JobState

    job, _ = Job.objects.get_or_create(
        kind="programmes.import",
        owner=world.users["bekasi"],
        defaults={"title": "Impor program", "state": JobState.FAILED, "errors": ["x"]},
    )
    return job


def _bundle(world: World) -> Any:
    """A built bundle of the whole history at the current data version."""
    from django.core.files.base import ContentFile

    from evaluations.caching import data_version
    from evaluations.models import OpenDataBundle
    from smartcity.jobs.models import Job, JobState

    bundle = OpenDataBundle.objects.filter(scope="", version=data_version()).first()
    if bundle is None:
        job = Job(kind="opendata.bundle", title="Paket data terbuka", state=JobState.SUCCEEDED)
        job.result_file.save("smartcity-data-all.zip", ContentFile(b"PK\x05\x06" + bytes(18)))
        job.result_name = "smartcity-data-all.zip"
        job.save()
        bundle = OpenDataBundle.objects.create(scope="", version=data_version(), job=job)
    return bundle


# --- Admin URLs ----------

ADMIN_REDIRECT = re.compile(r"^admin/(?P<app>[a-z_]+)/(?P<model>[a-z]+)/<path:object_id>/$")
# Site-wide admin URLs and how to call them.
ADMIN_SITE_URLS = {
    "admin:index": "admin-page",
    "admin:login": "admin-login-page",
    "admin:logout": "admin-logout",
    "admin:password_change": "admin-page",
    "admin:password_change_done": "admin-page",
    "admin:autocomplete": "admin-autocomplete",
    "admin:jsi18n": "admin-page",
    "admin:view_on_site": "admin-view-on-site",
    "admin:app_list": "admin-page",
    "admin/(?P<url>.*)$": "admin-catch-all",
}


def _admin_models() -> dict[str, type[Model]]:
    """``admin:<app>_<model>_`` for every model registered in the admin."""
    return {f"admin:{m._meta.app_label}_{m._meta.model_name}_": m for m in admin.site._registry}


def admin_model(route: Route) -> type[Model] | None:
    """The model an admin URL is about (None for the site-wide admin URLs)."""
    if route.name:
        for prefix, model in _admin_models().items():
            if route.name.startswith(prefix):
                return model
        return None
    match = ADMIN_REDIRECT.match(route.route)
    return apps.get_model(match["app"], match["model"]) if match else None


def admin_kind(route: Route) -> str:
    """changelist, add, change, delete, history, simple_history, redirect, password_change
    (a user's password), or one of the site-wide kinds of ``ADMIN_SITE_URLS``."""
    if route.name:
        for prefix in _admin_models():
            if route.name.startswith(prefix):
                return route.name.removeprefix(prefix)
    elif ADMIN_REDIRECT.match(route.route):
        return "redirect"
    return ADMIN_SITE_URLS[route.key]


def first_row(model: type[Model]) -> Model:
    row = model._default_manager.order_by("pk").first()
    assert row is not None, f"The world has no {model._meta.label} row for its admin URLs"
    return row


def url_for(route: Route, world: World) -> str:
    """A concrete URL for ``route`` in ``world`` (fails for a route nobody described)."""
    key = route.key
    if key in KWARGS:
        return reverse(key, kwargs=KWARGS[key](world))
    if not key.startswith("admin"):
        raise LookupError(
            f"URL {key!r} ({route.route}) has no entry in tests/security/urlwalk.py KWARGS "
            "and no expected answers: add both."
        )
    model = admin_model(route)
    kind = admin_kind(route)
    if model is None:
        if kind == "admin-catch-all":
            return "/admin/tidak-ada/"
        if kind == "admin-view-on-site":
            content_type = ContentType.objects.get_for_model(type(world.kota_bekasi))
            return reverse(key, args=[content_type.pk, world.kota_bekasi.pk])
        if key == "admin:app_list":
            return reverse(key, kwargs={"app_label": "evaluations"})
        return reverse(key)
    row = first_row(model)
    if kind == "redirect":
        return f"/admin/{model._meta.app_label}/{model._meta.model_name}/{row.pk}/"
    if kind in ("changelist", "add"):
        return reverse(key)
    if kind == "simple_history":
        history = row.history.order_by("pk").first()  # type: ignore[attr-defined]  # simple_history
        assert history is not None, f"{model._meta.label} {row.pk} has no history row"
        return reverse(key, args=[row.pk, history.pk])
    return reverse(key, args=[row.pk])
