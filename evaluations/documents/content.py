"""What an issued document states, frozen as JSON at issue.

A document is rendered (now or years later) from this copy and its letterhead version only,
never from live rows: a re-opened round, a renamed region or a re-weighted instrument does
not change a letter that was already sent. Documents are official Indonesian texts, so the
labels are taken in Indonesian whatever the language of the manager who issues them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import translation

from evaluations.documents.sources import instrument_version, publication_revision
from evaluations.models import (
    AttendeeSide,
    ComponentCode,
    DimensionCode,
    FindingKind,
    Participation,
    Publication,
    Result,
)
from evaluations.selectors.reviewer import minutes_context

HEAD_OF_REGION = {"kota": "Wali Kota", "kabupaten": "Bupati"}


def result_title(round_name: str) -> str:
    """ "Hasil Evaluasi 2024 Tahap I": round names start with "Evaluasi" already, so the word
    is not said twice (the old letters read "Hasil evaluasi Evaluasi ...")."""
    name = round_name.strip()
    if name.lower().startswith("evaluasi"):
        return f"Hasil {name}"
    return f"Hasil Evaluasi {name}"


def _dec(value: object) -> str | None:
    return None if value is None else str(value)


def _region(participation: Participation) -> dict[str, Any]:
    region = participation.region
    short = region.name
    for prefix in ("Kota ", "Kabupaten ", "Kab. "):
        if short.startswith(prefix):
            short = short[len(prefix) :]
            break
    return {
        "code": region.code,
        "name": region.name,
        "short_name": short,
        "head_title": HEAD_OF_REGION.get(region.kind, "Kepala Daerah"),
        "province": region.province.name,
    }


def _round(participation: Participation, publication: Publication | None = None) -> dict[str, Any]:
    round_ = participation.round
    version = instrument_version(round_.instrument, publication)
    return {
        "name": round_.name,
        "slug": round_.slug,
        "title": result_title(round_.name),
        "instrument": {
            "code": version.code,
            "name": version.name,
            "label": version.label,
            # "dengan instrumen X", unless X already starts with the word.
            "phrase": version.label
            if version.label.lower().startswith("instrumen")
            else f"instrumen {version.label}",
        },
    }


def letter_content(result: Result, publication: Publication | None) -> dict[str, Any]:
    """Every figure and sentence source of a result letter (a handful of queries).

    ``publication`` is None only for a manager's preview of a result not yet published."""
    participation = result.participation
    round_ = participation.round
    revision = publication_revision(publication) if publication else None
    same_round = Result.objects.for_round(round_)
    weights = round_.instrument.component_weights()
    recommendations: list[dict[str, str]] = []
    if hasattr(participation, "field_review"):
        recommendations = [
            {"dimension": f.dimension.name, "text": f.text}
            for f in participation.field_review.findings.filter(kind=FindingKind.RECOMMENDATION)
            .select_related("dimension")
            .order_by("dimension__order", "order", "pk")
        ]
    shares = result.programme_shares or {}
    scores = result.component_scores()
    with translation.override("id"):
        components = [
            {
                "label": str(label),
                "weight": weights[code],
                "score": _dec(scores[code]),
            }
            for code, label in ComponentCode.choices
        ]
        dimensions = [
            {
                "label": str(label),
                "score": _dec(result.dimension_scores()[code]),
                "share": shares.get(code),
            }
            for code, label in DimensionCode.choices
        ]
    return {
        "region": _region(participation),
        "round": _round(participation, publication),
        "revision": {
            "number": revision.number,
            "date": revision.date.isoformat(),
            "reason": revision.reason,
        }
        if revision
        else None,
        "figures": {
            "index": _dec(result.index),
            "rating_band": result.rating_band,
            "national_rank": result.national_rank,
            "provincial_rank": result.provincial_rank,
            "participant_count": same_round.count(),
            "province_count": same_round.filter(
                participation__region__province_id=participation.region.province_id
            ).count(),
            "index_change": _dec(result.index_change),
            "rank_change": result.rank_change,
        },
        "components": components,
        "dimensions": dimensions,
        "recommendations": recommendations,
    }


def _person(name: str, position: str = "", agency: str = "") -> dict[str, str]:
    return {"name": name, "position": position, "agency": agency}


def minutes_content(
    participation: Participation, *, region_signatory_id: int | None
) -> dict[str, Any]:
    """The minutes as they stand at issue: facts, agenda, attendees, findings, signatories."""
    ctx = minutes_context(participation)
    review = ctx["review"]
    with translation.override("id"):
        kinds = {k: str(label) for k, label in FindingKind.choices}
        mode = str(review.get_mode_display())
    attendees = {
        side: [_person(a.name, a.position, a.agency) for a in ctx[f"{key}_attendees"]]
        for side, key in (
            (AttendeeSide.REGION, "region"),
            (AttendeeSide.REVIEWER, "reviewer"),
            (AttendeeSide.OTHER, "other"),
        )
    }
    signatory = next(
        (
            _person(a.name, a.position, a.agency)
            for a in ctx["region_attendees"]
            if a.pk == region_signatory_id
        ),
        None,
    )
    lead = ctx["lead"]
    return {
        "region": _region(participation),
        "round": _round(participation),
        "review": {
            "start_date": review.start_date.isoformat(),
            "end_date": review.end_date.isoformat(),
            "mode": mode,
            "location": review.location,
            "notes": review.minutes,
        },
        "agenda": [
            {
                "day": day,
                "items": [
                    {
                        "start": item.start_time.strftime("%H:%M"),
                        "end": item.end_time.strftime("%H:%M") if item.end_time else "",
                        "activity": item.activity,
                        "location": item.location,
                    }
                    for item in items
                ],
            }
            for day, items in ctx["days"]
        ],
        "attendees": attendees,
        "findings": [
            {
                "dimension": block["dimension"].name,
                "kinds": [
                    {"label": kinds[kind], "items": [f.text for f in items]}
                    for (label, items), kind in zip(block["kinds"], FindingKind.values, strict=True)
                    if items
                ],
            }
            for block in ctx["findings"]
        ],
        "signatories": {
            "region": signatory,
            "lead": _person(lead.get_full_name() or lead.username) if lead else None,
        },
    }


def parse_date(value: str) -> date:
    return date.fromisoformat(value)
