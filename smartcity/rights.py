"""Querysets that know whether a right was applied to them (NetBox's ``.restrict()`` idea).

A protected model (a round, a participation, its results, evidence, programmes, field
reviews...) uses a ``RestrictedQuerySet`` subclass as its default manager. Its rights
methods (``visible_to(user)``, ``downloadable_by(user)``, ``published()``...) call
``self._restricted(...)``, which marks the queryset, and every clone keeps the mark.
A queryset reached through an object already in hand (``participation.panel.all()``,
a ``Prefetch`` of a related manager) carries Django's ``instance`` hint and counts as
scoped by that object.

Nothing is checked in production: the mark is one attribute of the queryset, and each
object fetched through a right carries the right's name (``within(participation=p)`` reads
the rows of such an object). ``audit()`` switches on a recorder for tests (one per
process, not per thread): every protected queryset notes where in the project it was
created, and every evaluation of one without a right or an instance hint is recorded.
``tests/security/test_url_permissions.py`` walks every URL as every kind of user under
``audit()`` and fails when view or selector code read a protected model another way.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self, TypeVar

from django.db import models

_M = TypeVar("_M", bound=models.Model)

_ROOT = str(Path(__file__).resolve().parent.parent)
_HERE = str(Path(__file__).resolve())
_ORM = str(Path(models.__file__).resolve().parent)


@dataclass(frozen=True)
class UnrestrictedRead:
    """A protected queryset evaluated without a right: its model and where it was made."""

    model: str
    origin: str  # "path/relative/to/project.py:line"

    def __str__(self) -> str:
        return f"{self.model} read without a right at {self.origin}"


@dataclass
class _Recorder:
    reads: list[UnrestrictedRead] = field(default_factory=list)


_recorder: _Recorder | None = None


def _origin() -> str:
    """Where a protected queryset was created: the innermost frame outside this module and
    Django's ORM (a view, a selector, a service, the admin...), relative to the project."""
    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename != _HERE and _ORM not in filename:
            if filename.startswith(_ROOT + "/") and "/.venv/" not in filename:
                filename = filename[len(_ROOT) + 1 :]
            return f"{filename}:{frame.f_lineno}"
        frame = frame.f_back  # type: ignore[assignment]
    return "?"


@contextmanager
def audit() -> Iterator[list[UnrestrictedRead]]:
    """Record every protected queryset evaluated without a right, while the block runs."""
    global _recorder
    previous, _recorder = _recorder, _Recorder()
    try:
        yield _recorder.reads
    finally:
        _recorder = previous


class RestrictedQuerySet(models.QuerySet[_M]):
    """A queryset of a protected model; see the module docstring."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._right: str | None = None
        self._origin: str | None = _origin() if _recorder is not None else None

    def _clone(self) -> Self:
        clone = super()._clone()  # type: ignore[misc]  # private in the stubs
        clone._right = self._right
        clone._origin = self._origin
        return clone

    def _restricted(self, right: str) -> Self:
        """Mark a queryset as filtered by a right (call from every rights method)."""
        clone = self._chain()  # type: ignore[attr-defined]  # private in the stubs
        clone._right = right
        return clone

    def within(self, **lookups: models.Model) -> Self:
        """Rows of an object already fetched through a right (``within(participation=p)``
        after ``get_reviewer_participation_or_404``): a child read needs no right of its own.
        Under ``audit()``, an object that did not come through a right makes this an
        unrestricted read."""
        clone = self.filter(**lookups)
        if all(getattr(obj, "_scoped_by", None) for obj in lookups.values()):
            return clone._restricted("within")
        return clone

    @property
    def right(self) -> str | None:
        """The right applied (e.g. ``"visible_to"``), or None."""
        return self._right

    def _check_right(self) -> None:
        hints: dict[str, Any] = getattr(self, "_hints", {})
        if _recorder is None or self._right is not None or "instance" in hints:
            return
        _recorder.reads.append(UnrestrictedRead(self.model._meta.label, self._origin or "?"))

    # Every way a queryset reaches the database for reading.
    def _fetch_all(self) -> None:
        fresh = self._result_cache is None
        if fresh:
            self._check_right()
        super()._fetch_all()
        if fresh and self._right is not None:
            # Remember on each object that it came through a right (see ``within``).
            for obj in self._result_cache or ():
                if isinstance(obj, models.Model):
                    obj._scoped_by = self._right  # type: ignore[attr-defined]

    def count(self) -> int:
        if self._result_cache is None:
            self._check_right()
        return super().count()

    def exists(self) -> bool:
        if self._result_cache is None:
            self._check_right()
        return super().exists()

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self._check_right()
        return super().aggregate(*args, **kwargs)

    def iterator(self, chunk_size: int | None = None) -> Iterator[_M]:
        self._check_right()
        return super().iterator(chunk_size)
