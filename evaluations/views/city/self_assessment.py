"""Self-assessment pages: an overview per round, one page per section, submission.

A section page is one HTML form with a card per indicator (form prefix ``ind-<id>``). On
save, only the cards the user changed are written (see ``forms.city.answer_digest``), all
or nothing. Nothing typed is lost: an invalid page is shown again bound to what was
posted, a file that passed its checks is stored at once and stays ticked, and a conflict
shows the colleague's saved version next to the user's own text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.forms import ChoiceField
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from evaluations import access
from evaluations.forms.city import AnswerForm, answer_digest
from evaluations.models import (
    Evidence,
    Indicator,
    Participation,
    Programme,
    SelfAssessmentAnswer,
    SelfAssessmentStatus,
)
from evaluations.services import evidence as evidence_service
from evaluations.services import self_assessment as service
from evaluations.views.city._common import (
    Workspace,
    render_ws,
    take_unsaved_post,
    workspace_view,
)
from smartcity.http import AuthenticatedHttpRequest


@dataclass
class Card:
    """One indicator on a section page."""

    indicator: Indicator
    form: AnswerForm
    answer: SelfAssessmentAnswer | None
    conflict: service.Conflict | None = None
    levels: list[tuple[Any, str]] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"ind-{self.indicator.pk}"


def _load(
    request: HttpRequest, ws: Workspace, round_slug: str
) -> tuple[Participation, list[Indicator], dict[int, SelfAssessmentAnswer]]:
    participation = access.get_city_participation_or_404(request.user, ws.region, round_slug)
    indicators = list(service.round_indicators(participation))
    answers = {a.indicator_id: a for a in service.participation_answers(participation)}
    return participation, indicators, answers


def _context(
    participation: Participation,
    indicators: list[Indicator],
    answers: dict[int, SelfAssessmentAnswer],
) -> dict[str, Any]:
    return {
        "participation": participation,
        "round": participation.round,
        "sections": service.build_sections(indicators, answers),
        "editable": not participation.is_locked_for_region,
        "returned": participation.self_assessment_status == SelfAssessmentStatus.RETURNED,
    }


def _receipt(
    participation: Participation, answers: dict[int, SelfAssessmentAnswer]
) -> dict[str, Any]:
    """What the region sent and when (the page's copy of the e-mailed receipt); None until
    it is sent, and again once the panel returns it for revision."""
    submitted = participation.self_assessment_status == SelfAssessmentStatus.SUBMITTED
    if participation.submitted_at is None or not submitted:
        return {}
    by = participation.submitted_by  # one query, whatever the number of answers
    return {
        "reference": f"PM-{participation.pk}-{localtime(participation.submitted_at):%Y%m%d%H%M}",
        "submitted_at": participation.submitted_at,
        "submitted_by": (by.get_full_name() or by.get_username()) if by else "",
        "answers": len(answers),
        "with_evidence": sum(1 for a in answers.values() if a.evidence.all()),
    }


@workspace_view()
def overview(request: HttpRequest, ws: Workspace, round_slug: str) -> HttpResponse:
    participation, indicators, answers = _load(request, ws, round_slug)
    return render_ws(
        request,
        ws,
        "evaluations/city/self_assessment/overview.html",
        {
            **_context(participation, indicators, answers),
            "missing": service.find_missing(indicators, answers),
            "receipt": _receipt(participation, answers),
        },
        nav="rounds",
    )


@workspace_view(methods=("POST",))
def submit(request: AuthenticatedHttpRequest, ws: Workspace, round_slug: str) -> HttpResponse:
    participation = access.get_city_participation_or_404(request.user, ws.region, round_slug)
    try:
        service.self_assessment_submit(participation=participation, by=request.user)
    except ValidationError as error:
        missing = getattr(error, "missing", None)
        if missing is None:
            messages.error(request, " ".join(error.messages))
            return redirect("city:self_assessment", ws.region.slug, round_slug)
        messages.error(
            request,
            _("Penilaian mandiri belum dikirim: %(count)s hal masih kurang (lihat daftar).")
            % {"count": len(missing)},
        )
        participation, indicators, answers = _load(request, ws, round_slug)
        return render_ws(
            request,
            ws,
            "evaluations/city/self_assessment/overview.html",
            {**_context(participation, indicators, answers), "missing": missing},
            nav="rounds",
        )
    messages.success(
        request,
        _("Penilaian mandiri terkirim. Jawaban kini terkunci untuk ditinjau tim penilai."),
    )
    return redirect("city:self_assessment", ws.region.slug, round_slug)


def _evidence_choices(request: HttpRequest, ws: Workspace) -> tuple[list, dict[int, Evidence]]:
    """Checkbox choices of the region's evidence: programme evidence first (labelled with
    the programme), then the rest; built once per page for every card (no query per card)."""
    items = list(
        access.region_evidence(request.user, ws.region)
        .prefetch_related(
            Prefetch("programmes", queryset=Programme.objects.only("pk", "title").order_by("title"))
        )
        .order_by("title", "pk")
    )
    with_programme: list[tuple[str, int, str]] = []
    other: list[tuple[int, str]] = []
    for item in items:
        kind = _("tautan") if item.is_link else item.original_name
        label = f"{item.title} ({kind})"
        programmes = list(item.programmes.all())
        if programmes:
            with_programme.append(
                (programmes[0].title, item.pk, f"{programmes[0].title} › {label}")
            )
        else:
            other.append((item.pk, label))
    choices = [(pk, label) for _title, pk, label in sorted(with_programme)] + other
    return choices, {item.pk: item for item in items}


def _initial(answer: SelfAssessmentAnswer | None) -> dict[str, Any]:
    if answer is None:
        return {"version": 0, "original": answer_digest(None, "", [])}
    ids = [e.pk for e in answer.evidence.all()]
    return {
        "version": answer.version,
        "original": answer_digest(answer.claimed_level, answer.narrative, ids),
        "claimed_level": answer.claimed_level,
        "narrative": answer.narrative,
        "evidence": ids,
    }


def _cards(
    indicators: list[Indicator],
    answers: dict[int, SelfAssessmentAnswer],
    choices: list,
    data: QueryDict | None,
    files: Any = None,
) -> list[Card]:
    cards = []
    for indicator in indicators:
        answer = answers.get(indicator.pk)
        form = AnswerForm(
            data,
            files,
            prefix=f"ind-{indicator.pk}",
            initial=_initial(answer),
            indicator=indicator,
            evidence_choices=choices,
        )
        cards.append(Card(indicator, form, answer))
    return cards


def _with_levels(cards: list[Card]) -> list[Card]:
    for card in cards:
        card.levels = list(
            zip(card.form["claimed_level"], (d for _, d in card.indicator.descriptors), strict=True)
        )
    return cards


def _store_uploads(
    request: AuthenticatedHttpRequest, ws: Workspace, cards: list[Card]
) -> dict[int, list]:
    """Store every file and link that passed its checks; tick it on its card."""
    new: dict[int, list[Evidence]] = {}
    for card in cards:
        data = getattr(card.form, "cleaned_data", {})
        created = []
        if data.get("new_file"):
            created.append(
                evidence_service.evidence_create_file(
                    region=ws.region, upload=data["new_file"], by=request.user
                )
            )
        if data.get("new_link"):
            created.append(
                evidence_service.evidence_create_link(
                    region=ws.region, url=data["new_link"], by=request.user
                )
            )
        for item in created:
            card.form.add_evidence_choice(item.pk)
        if created:
            new[card.indicator.pk] = created
    return new


def _show_conflicts(cards: list[Card], conflicts: list[service.Conflict]) -> None:
    by_indicator = {c.indicator.pk: c for c in conflicts}
    for card in cards:
        conflict = by_indicator.get(card.indicator.pk)
        if conflict is None:
            continue
        card.conflict = conflict
        current = conflict.current
        # Saving again is a deliberate choice to replace the colleague's version.
        data = cast(QueryDict, card.form.data)  # the posted QueryDict
        data[card.form.add_prefix("version")] = str(current.version if current else 1)
        ids = [e.pk for e in current.evidence.all()] if current else []
        data[card.form.add_prefix("original")] = answer_digest(
            current.claimed_level if current else None, current.narrative if current else "", ids
        )


@workspace_view(methods=("GET", "POST"), keeps_unsaved=True)
def section(
    request: AuthenticatedHttpRequest, ws: Workspace, round_slug: str, section: str
) -> HttpResponse:
    participation, indicators, answers = _load(request, ws, round_slug)
    context = _context(participation, indicators, answers)
    sections = context["sections"]
    keys = [s.key for s in sections]
    if section not in keys:
        raise Http404
    current = sections[keys.index(section)]
    position = keys.index(section)
    next_key = keys[position + 1] if position + 1 < len(keys) else None
    editable = context["editable"]

    if request.method == "POST" and not editable:
        messages.error(request, str(service.SELF_ASSESSMENT_LOCKED))
        return redirect("city:self_assessment", ws.region.slug, round_slug)

    choices, evidence_by_id = _evidence_choices(request, ws) if editable else ([], {})
    if request.method == "POST":
        data = request.POST.copy()
        cards = _cards(current.indicators, answers, choices, data, request.FILES)
        valid = all(card.form.is_valid() for card in cards)
        new = _store_uploads(request, ws, cards)
        if new:
            choices, evidence_by_id = _evidence_choices(request, ws)
            for card in cards:
                cast(ChoiceField, card.form.fields["evidence"]).choices = choices
        if valid:
            inputs = [
                service.AnswerInput(
                    indicator=card.indicator,
                    claimed_level=card.form.cleaned_data["claimed_level"],
                    narrative=card.form.cleaned_data["narrative"],
                    evidence=[evidence_by_id[i] for i in card.form.cleaned_data["evidence"]]
                    + new.get(card.indicator.pk, []),
                    expected_version=card.form.cleaned_data["version"],
                )
                for card in cards
                if card.form.user_changed()
            ]
            try:
                service.answers_save(participation=participation, by=request.user, answers=inputs)
            except service.AnswerConflict as error:
                _show_conflicts(cards, error.conflicts)
                messages.error(
                    request,
                    _(
                        "Tidak ada yang disimpan: %(count)s jawaban diubah orang lain sejak "
                        "halaman ini dibuka. Isian Anda masih ada di bawah."
                    )
                    % {"count": len(error.conflicts)},
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("city:self_assessment", ws.region.slug, round_slug)
            else:
                messages.success(
                    request,
                    _("Draf disimpan (%(count)s jawaban diubah).") % {"count": len(inputs)},
                )
                if "next" in request.POST and next_key:
                    return redirect(
                        "city:self_assessment_section", ws.region.slug, round_slug, next_key
                    )
                if "next" in request.POST:
                    return redirect("city:self_assessment", ws.region.slug, round_slug)
                return redirect("city:self_assessment_section", ws.region.slug, round_slug, section)
        else:
            messages.error(
                request,
                _("Draf belum disimpan. Perbaiki isian yang ditandai; isian Anda tetap ada."),
            )
            if new:
                messages.info(
                    request,
                    _("Berkas dan tautan yang valid sudah disimpan dan tetap dipilih."),
                )
    else:
        unsaved = take_unsaved_post(request) if editable else None
        cards = _cards(current.indicators, answers, choices, unsaved)
        if unsaved is not None:
            for card in cards:
                card.form.is_valid()

    return render_ws(
        request,
        ws,
        "evaluations/city/self_assessment/section.html",
        {
            **context,
            "section": current,
            "cards": _with_levels(cards),
            "next_key": next_key,
            # Evidence the picker can preview: images in a sandboxed tab, PDFs as images of
            # their first pages (a PDF viewer does not run sandboxed).
            "previewable": {pk for pk, item in evidence_by_id.items() if item.is_previewable},
            "pdf_evidence": {
                pk
                for pk, item in evidence_by_id.items()
                if item.is_previewable and not item.is_image
            },
        },
        nav="rounds",
    )
