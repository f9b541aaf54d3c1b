"""Published is forever: the database guards behind frozen instruments and closed rounds.

Two rules, enforced by the database itself (triggers on PostgreSQL and on SQLite), so that
the admin, model ``save()``/``delete()``, ``QuerySet.update()``/``.delete()``, cascades,
a shell session and raw SQL all meet the same refusal (an ``IntegrityError``):

1. **Frozen instrument versions.** Once a round using an instrument has left draft, its
   component weights, code, year, name and description, its indicators (weights,
   descriptors, component/dimension mapping) and its rating bands cannot be inserted,
   changed or deleted (their English translations, ``*_en``, stay editable, also in the
   admin). A new method is a new version:
   ``evaluations.services.instruments.instrument_duplicate``.
2. **Closed rounds.** Verified levels, reviewers' scores, self-assessment answers,
   participations (exclusions), panels and results of a finalised or published round
   cannot be inserted, changed or deleted; results also not while the round's last
   publication is still public (re-opened for correction). A round that is closed or
   public cannot be deleted. Publications are append-only. Only ``round_reopen`` (with a
   recorded reason) opens a round again.

The services that must write into a closed round (the engine, when a round is republished
or a later round's improvement figures are revised) do so inside
:func:`closed_round_write`, which inserts a ``TrustUnlock`` row for those rounds and
deletes it again in the same transaction: no other connection ever sees it. Removing demo
or synthetic data goes through :func:`purge`, which production settings refuse and which
is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.utils.translation import gettext_lazy as _

# The trigger SQL below is built from constant table and column names only (no user input
# ever reaches it), hence the S608 exemptions.

logger = logging.getLogger("evaluations.trust")

GUARD_MESSAGE = "smartcity-trust"
"""Every refusal's database message starts with this (tests and error pages look for it)."""

INSTRUMENT_FROZEN = _(
    "Instrumen ini sudah dipakai oleh putaran yang berjalan atau terbit dan dibekukan. "
    "Untuk metode baru, salin instrumen menjadi versi draf baru."
)
ROUND_CLOSED = _(
    "Putaran ini sudah difinalisasi atau dipublikasikan; datanya tidak dapat diubah. "
    "Buka kembali putaran dengan alasan terlebih dahulu."
)
PURGE_REFUSED = "Refusing to purge evaluation data in production (HTTPS_ONLY=1)."

_ERRCODE = "integrity_constraint_violation"
_CLOSED = "('finalised', 'published')"
_UNLOCK_ROUND = (
    "NOT EXISTS (SELECT 1 FROM evaluations_trustunlock u "
    "WHERE u.round_id = {rid} OR u.round_id IS NULL)"
)
_UNLOCK_PURGE = "NOT EXISTS (SELECT 1 FROM evaluations_trustunlock u WHERE u.round_id IS NULL)"


def _round_closed(rid: str, *, or_public: bool = False) -> str:
    extra = " OR r.is_public" if or_public else ""
    return (
        f"(EXISTS (SELECT 1 FROM evaluations_round r WHERE r.id = {rid} "  # noqa: S608
        f"AND (r.status IN {_CLOSED}{extra})) AND {_UNLOCK_ROUND.format(rid=rid)})"
    )


def _participation_closed(row: str, *, or_public: bool = False) -> str:
    rid = (
        f"(SELECT p.round_id FROM evaluations_participation p "  # noqa: S608
        f"WHERE p.id = {row}.participation_id)"
    )
    return _round_closed(rid, or_public=or_public)


def _instrument_frozen(iid: str) -> str:
    return (
        f"(EXISTS (SELECT 1 FROM evaluations_round r WHERE r.instrument_id = {iid} "  # noqa: S608
        f"AND r.status <> 'draft') AND {_UNLOCK_PURGE})"
    )


# Every column of an instrument version that is its method or names it in Indonesian (what a
# published figure cites); not its English translations (``*_en``), whether it is the
# default for new rounds, or the version it was copied from.
_INSTRUMENT_METHOD_COLUMNS = (
    "code, name, year, description, "
    "weight_baseline, weight_output, weight_outcome, weight_impact, weight_quick_win"
)

# Every column of an indicator but its English translations (``*_en``): a translation can
# be added or corrected once the version is frozen, the method cannot.
_INDICATOR_METHOD_COLUMNS = (
    'instrument_id, code, name, description, component, dimension_id, element_id, weight, "order", '
    + ", ".join(f"level_{level}" for level in range(6))
)

# (name, table, events, columns for UPDATE OF or "", condition on OLD, condition on NEW).
# A condition of None is not checked for that row version.
GUARDS: list[tuple[str, str, tuple[str, ...], str, str | None, str | None]] = [
    *[
        (
            f"trust_closed_{table}",
            f"evaluations_{table}",
            ("INSERT", "UPDATE", "DELETE"),
            "",
            _participation_closed("OLD", or_public=table == "result"),
            _participation_closed("NEW", or_public=table == "result"),
        )
        for table in (
            "score",
            "verifiedscore",
            "selfassessmentanswer",
            "reviewerassignment",
            "result",
        )
    ],
    (
        "trust_closed_participation",
        "evaluations_participation",
        ("INSERT", "UPDATE", "DELETE"),
        "",
        _round_closed("OLD.round_id"),
        _round_closed("NEW.round_id"),
    ),
    (
        "trust_round_delete",
        "evaluations_round",
        ("DELETE",),
        "",
        f"((OLD.status IN {_CLOSED} OR OLD.is_public) AND {_UNLOCK_PURGE})",
        None,
    ),
    (
        "trust_round_instrument",
        "evaluations_round",
        ("UPDATE",),
        "instrument_id",
        None,
        "(OLD.status <> 'draft' AND OLD.instrument_id <> NEW.instrument_id)",
    ),
    (
        "trust_publication",
        "evaluations_publication",
        ("UPDATE", "DELETE"),
        "",
        _UNLOCK_PURGE,
        None,
    ),
    (
        "trust_frozen_instrument",
        "evaluations_instrument",
        ("UPDATE", "DELETE"),
        _INSTRUMENT_METHOD_COLUMNS,
        _instrument_frozen("OLD.id"),
        None,
    ),
    *[
        (
            f"trust_frozen_{table}",
            f"evaluations_{table}",
            ("INSERT", "UPDATE", "DELETE"),
            columns,
            _instrument_frozen("OLD.instrument_id"),
            _instrument_frozen("NEW.instrument_id"),
        )
        for table, columns in (
            ("indicator", _INDICATOR_METHOD_COLUMNS),
            ("ratingband", "instrument_id, name, min_index"),
        )
    ],
]


def _sqlite_statements() -> Iterator[str]:
    for name, table, events, columns, old, new in GUARDS:
        for event in events:
            checks = []
            if old and event in ("UPDATE", "DELETE"):
                checks.append(old)
            if new and event in ("INSERT", "UPDATE"):
                checks.append(new)
            if not checks:
                continue
            of = f" OF {columns}" if columns and event == "UPDATE" else ""
            yield (
                f"CREATE TRIGGER {name}_{event.lower()} BEFORE {event}{of} ON {table} "
                f"FOR EACH ROW WHEN {' OR '.join(checks)} "
                f"BEGIN SELECT RAISE(ABORT, '{GUARD_MESSAGE}: {name}'); END"
            )


def _postgresql_statements() -> Iterator[str]:
    for name, table, events, columns, old, new in GUARDS:
        body = []
        if old:
            body.append(
                f"IF TG_OP IN ('UPDATE', 'DELETE') AND {old} THEN RAISE EXCEPTION "
                f"'{GUARD_MESSAGE}: {name}' USING ERRCODE = '{_ERRCODE}'; END IF;"
            )
        if new:
            body.append(
                f"IF TG_OP IN ('INSERT', 'UPDATE') AND {new} THEN RAISE EXCEPTION "
                f"'{GUARD_MESSAGE}: {name}' USING ERRCODE = '{_ERRCODE}'; END IF;"
            )
        yield (
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            + " ".join(body)
            + " IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$"
        )
        on = " OR ".join(f"UPDATE OF {columns}" if columns and e == "UPDATE" else e for e in events)
        yield f"DROP TRIGGER IF EXISTS {name} ON {table}"
        yield f"CREATE TRIGGER {name} BEFORE {on} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()"


def _drop_statements(vendor: str) -> Iterator[str]:
    for name, table, events, _columns, _old, _new in GUARDS:
        if vendor == "postgresql":
            yield f"DROP TRIGGER IF EXISTS {name} ON {table}"
            yield f"DROP FUNCTION IF EXISTS {name}()"
        else:
            for event in events:
                yield f"DROP TRIGGER IF EXISTS {name}_{event.lower()}"


def install_guards(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Create (or re-create) every guard trigger; called by a migration."""
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise ImproperlyConfigured(f"No trust guards for the {vendor} database.")
    for statement in _drop_statements(vendor):
        schema_editor.execute(statement)
    statements = _postgresql_statements() if vendor == "postgresql" else _sqlite_statements()
    for statement in statements:
        schema_editor.execute(statement)


def remove_guards(schema_editor: BaseDatabaseSchemaEditor) -> None:
    for statement in _drop_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)


@contextmanager
def closed_round_write(round_ids: Iterable[int], *, reason: str) -> Iterator[None]:
    """Let the current transaction rewrite the results of these closed rounds.

    For the engine only (republishing, derived revisions); the unlock rows never outlive
    the transaction.
    """
    from evaluations.models import TrustUnlock

    with transaction.atomic():
        rows = TrustUnlock.objects.bulk_create(
            [TrustUnlock(round_id=pk, reason=reason[:200]) for pk in set(round_ids)]
        )
        yield
        TrustUnlock.objects.filter(pk__in=[row.pk for row in rows]).delete()


class PurgeRefused(Exception):
    """Raised by :func:`purge` under production settings."""


@contextmanager
def purge(*, reason: str) -> Iterator[None]:
    """The one way to delete closed rounds and frozen instruments: demo/synthetic resets.

    Refused under production settings (``HTTPS_ONLY``); every use is logged.
    """
    from evaluations.models import TrustUnlock

    if settings.HTTPS_ONLY:
        raise PurgeRefused(PURGE_REFUSED)
    logger.warning("Purging evaluation data past the trust guards: %s", reason)
    with transaction.atomic():
        row = TrustUnlock.objects.create(round=None, reason=reason[:200])
        yield
        TrustUnlock.objects.filter(pk=row.pk).delete()
