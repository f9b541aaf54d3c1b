"""Rewriting many rows at once, with their history: the engine's writes.

Django's ``bulk_update`` sends one ``CASE WHEN id = … THEN … END`` per column, which the
database evaluates for every row: for a national round (514 results × 40 columns) that is
quadratic work, and half the time of a republication (issue 15). On PostgreSQL
:func:`update_with_history` sends one ``UPDATE … FROM (VALUES …)`` per batch instead (the
database joins on the primary key); elsewhere (SQLite, the tests' default) it keeps
django-simple-history's ``bulk_update_with_history``. Both paths write the same columns and
the same history rows (one ``~`` row per object, by ``by``), and both go through the
database's row triggers (``evaluations.trust``), so the trust guards see every row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model
from django.utils import timezone
from simple_history.utils import bulk_update_with_history, get_history_manager_for_model

# PostgreSQL binds at most 65,535 parameters per statement; stay well below.
MAX_PARAMETERS = 30_000


def update_with_history(
    objs: Sequence[Model], model: type[Model], fields: Sequence[str], *, by: User | None
) -> None:
    """Write ``fields`` of every object in ``objs`` (their current attribute values) and one
    history row per object, in the current transaction. Same effect as
    ``bulk_update_with_history(objs, model, fields, default_user=by)``."""
    if not objs:
        return
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        bulk_update_with_history(list(objs), model, list(fields), default_user=by)
        return
    history = get_history_manager_for_model(model)
    with transaction.atomic(using=connection.alias, savepoint=False):
        update_from_values(connection, model, objs, fields)
        if any(
            hasattr(obj, attr)
            for obj in objs
            for attr in ("_history_user", "_history_date", "_change_reason")
        ):
            # Per-object history details: simple-history builds those rows itself.
            history.bulk_history_create(list(objs), update=True, default_user=by)
        else:
            history_from_rows(connection, model, [obj.pk for obj in objs], by=by)


def _column(field: Any) -> str:
    """A concrete field's column name (never None for the fields written here)."""
    return str(field.column)


def history_from_rows(
    connection: BaseDatabaseWrapper,
    model: type[Model],
    pks: Sequence[Any],
    *,
    by: User | None,
) -> None:
    """One ``~`` history row per row of ``pks``, copied by the database from the rows as
    they are now (``INSERT … SELECT``): what ``bulk_history_create(update=True,
    default_user=by)`` writes, without building a model instance per row."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    historical = get_history_manager_for_model(model).model
    meta = model._meta
    quote = connection.ops.quote_name
    pairs = [
        (quote(_column(f)), quote(_column(meta.get_field(f.name))))
        for f in historical.tracked_fields
    ]
    target = ", ".join(h for h, _m in pairs)
    source = ", ".join(f"t.{m}" for _h, m in pairs)
    with connection.cursor() as cursor:
        # Table and column names come from the models' metadata only.
        cursor.execute(
            f"INSERT INTO {quote(historical._meta.db_table)} ({target}, history_date, "  # noqa: S608
            "history_change_reason, history_type, history_user_id) "
            f"SELECT {source}, %s, NULL, '~', %s FROM {quote(meta.db_table)} AS t "
            f"WHERE t.{quote(_column(meta.pk))} = ANY(%s) ORDER BY t.{quote(_column(meta.pk))}",
            [timezone.now(), None if by is None else by.pk, list(pks)],
        )


def update_from_values(
    connection: BaseDatabaseWrapper,
    model: type[Model],
    objs: Sequence[Model],
    fields: Sequence[str],
) -> int:
    """PostgreSQL: ``UPDATE t SET c = v.c … FROM (VALUES (pk, c …), …) v WHERE t.pk = v.pk``.

    Values are prepared by each field (``get_db_prep_save``, as ``bulk_update`` does) and
    cast to the column's type. Returns the number of rows updated.
    """
    meta = model._meta
    pk: Field[Any, Any] = meta.pk
    columns = [cast("Field[Any, Any]", meta.get_field(name)) for name in fields]
    every = [pk, *columns]
    quote = connection.ops.quote_name
    row_sql = "(" + ", ".join(f"%s::{field.db_type(connection)}" for field in every) + ")"
    assignments = ", ".join(f"{quote(_column(f))} = v.{quote(_column(f))}" for f in columns)
    names = ", ".join(quote(_column(f)) for f in every)
    table = quote(meta.db_table)
    per_batch = max(1, MAX_PARAMETERS // len(every))
    updated = 0
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_batch):
            batch = objs[start : start + per_batch]
            params: list[Any] = []
            for obj in batch:
                params.append(pk.get_db_prep_save(obj.pk, connection))
                params.extend(
                    f.get_db_prep_save(getattr(obj, f.attname), connection) for f in columns
                )
            # Table, column and type names come from the model's metadata only.
            cursor.execute(
                f"UPDATE {table} AS t SET {assignments} "  # noqa: S608
                f"FROM (VALUES {', '.join([row_sql] * len(batch))}) AS v ({names}) "
                f"WHERE t.{quote(_column(pk))} = v.{quote(_column(pk))}",
                params,
            )
            updated += cursor.rowcount
    return updated
