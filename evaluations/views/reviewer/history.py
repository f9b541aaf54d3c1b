"""A round's change history for managers, from django-simple-history and RoundEvent.

Every change of a reviewer's score, a verified level, a result figure or a participant's
exclusion/return is a historical row with its author and time; this module turns those rows
into readable "who changed what and when" lines (old → new), and compares consecutive
publications so that a figure that changed between two publications is visible.
A fixed number of queries: one per history table, however many rows.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils.translation import gettext as _

from evaluations.models import (
    Participation,
    Publication,
    Result,
    Round,
    Score,
    VerifiedScore,
)


@dataclass(frozen=True)
class Change:
    at: datetime
    user: Any
    kind: str
    subject: str
    change: str
    note: str = ""


def _fmt(value: object) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("ya") if value else _("tidak")
    return str(value)


def _changes(
    records: Iterable[Any],
    *,
    kind: str,
    fields: list[str],
    subject: Callable[[Any], str],
    note: Callable[[Any], str] = lambda r: "",
) -> list[Change]:
    """Compare each historical row with the previous row of the same object."""
    previous: dict[int, Any] = {}
    out = []
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        if record.history_type == "+":
            text = ", ".join(f"{f}: {_fmt(getattr(record, f))}" for f in fields)
            change = _("dibuat (%(values)s)") % {"values": text}
        elif record.history_type == "-":
            change = _("dihapus")
        else:
            if before is None:
                diffs = [f"{f}: {_fmt(getattr(record, f))}" for f in fields]
            else:
                diffs = [
                    f"{f}: {_fmt(getattr(before, f))} → {_fmt(getattr(record, f))}"
                    for f in fields
                    if getattr(before, f) != getattr(record, f)
                ]
            if not diffs:
                continue
            change = "; ".join(diffs)
        out.append(
            Change(
                at=record.history_date,
                user=record.history_user,
                kind=kind,
                subject=subject(record),
                change=change,
                note=note(record),
            )
        )
    return out


def _ordered(qs: Any) -> Any:
    return qs.order_by("id", "history_date", "history_id")


def publication_changes(publications: list[Publication]) -> list[dict[str, Any]]:
    """For each publication after the first: the figures that differ from the one before."""
    chronological = sorted(publications, key=lambda p: p.number)
    out = []
    for before, after in itertools.pairwise(chronological):
        old = {row["region_code"]: row for row in before.snapshot}
        lines = []
        for row in after.snapshot:
            prev = old.get(row["region_code"])
            if prev is None:
                lines.append((row["region"], _("baru dalam publikasi ini"), ""))
                continue
            for key in ("index", "rating_band", "national_rank", "provincial_rank"):
                if prev.get(key) != row.get(key):
                    lines.append((row["region"], key, f"{prev.get(key)} → {row.get(key)}"))
            for group in ("components", "dimensions"):
                for code, value in (row.get(group) or {}).items():
                    old_value = (prev.get(group) or {}).get(code)
                    if old_value != value:
                        lines.append((row["region"], code, f"{old_value} → {value}"))
        out.append({"publication": after, "previous": before, "lines": lines})
    return out


def round_history(request: HttpRequest, round_: Round) -> dict[str, Any]:
    region = (request.GET.get("region") or "").strip()
    scoped: dict[str, Any] = {"participation__round": round_}
    if region:
        scoped["participation__region__code"] = region

    def where(p: Any) -> str:
        return f"{p.participation.region.name}"

    scores = _ordered(
        Score.history.filter(**scoped).select_related(
            "history_user", "participation__region", "indicator", "reviewer"
        )
    )
    verified = _ordered(
        VerifiedScore.history.filter(**scoped).select_related(
            "history_user", "participation__region", "indicator"
        )
    )
    results = _ordered(
        Result.history.filter(**scoped).select_related("history_user", "participation__region")
    )
    participation_filter: dict[str, Any] = {"round": round_}
    if region:
        participation_filter["region__code"] = region
    participations = _ordered(
        Participation.history.filter(**participation_filter).select_related(
            "history_user", "region"
        )
    )
    changes = [
        *_changes(
            scores,
            kind=_("Nilai penilai"),
            fields=["level", "comment"],
            subject=lambda r: f"{where(r)} · {r.indicator.code} · {r.reviewer.username}",
        ),
        *_changes(
            verified,
            kind=_("Level terverifikasi"),
            fields=["level", "comment"],
            subject=lambda r: f"{where(r)} · {r.indicator.code}",
        ),
        *_changes(
            results,
            kind=_("Hasil"),
            fields=["index", "rating_band", "national_rank", "provincial_rank"],
            subject=where,
        ),
        *_changes(
            participations,
            kind=_("Peserta"),
            fields=["excluded", "exclusion_reason", "self_assessment_status", "return_comment"],
            subject=lambda r: r.region.name,
        ),
    ]
    if not region:
        changes += [
            Change(
                at=e.at,
                user=e.by,
                kind=_("Status putaran"),
                subject=round_.name,
                change=f"{e.get_from_status_display()} → {e.get_to_status_display()}",
                note=e.reason,
            )
            for e in round_.events.select_related("by")
        ]
    changes.sort(key=lambda c: c.at, reverse=True)
    page = Paginator(changes, 50).get_page(request.GET.get("page"))
    publications = list(round_.publications.select_related("published_by"))
    return {
        "round": round_,
        "page": page,
        "region": region,
        "regions": Participation.objects.within(round=round_)
        .select_related("region")
        .order_by("region__code"),
        "publications": publications,
        "publication_changes": publication_changes(publications),
    }
