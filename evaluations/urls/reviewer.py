"""Reviewer and round-manager pages (namespace ``reviewer``), under /review/."""

from __future__ import annotations

from django.urls import path, register_converter

from evaluations.views import reviewer


def _choice(name: str, *words: str) -> type:
    """A path converter matching one of ``words`` only (anything else is a 404)."""
    return type(
        name,
        (),
        {
            "regex": "|".join(words),
            "to_python": lambda self, value: value,
            "to_url": lambda self, value: value,
        },
    )


# Converter names are global to the project: prefixed so no other area clashes with them.
register_converter(
    _choice("Step", "open", "review", "finalise", "publish", "reopen", "withdraw"), "rv_step"
)
register_converter(_choice("MemberAction", "exclude", "include", "remove"), "rv_member")
register_converter(_choice("Section", "agenda", "attendees", "findings"), "rv_section")
register_converter(_choice("Format", "csv", "xlsx"), "rv_fmt")

app_name = "reviewer"

urlpatterns = [
    # A reviewer's work
    path("", reviewer.assignments, name="assignments"),
    path("participations/<int:pk>/", reviewer.participation_detail, name="participation"),
    path(
        "participations/<int:pk>/indicators/<int:indicator_pk>/score/",
        reviewer.score_save,
        name="score",
    ),
    path("participations/<int:pk>/complete/", reviewer.review_complete, name="complete"),
    path("participations/<int:pk>/return/", reviewer.self_assessment_return, name="return"),
    path(
        "participations/<int:pk>/evidence/<int:evidence_pk>/",
        reviewer.evidence_download,
        name="evidence",
    ),
    path(
        "participations/<int:pk>/evidence/<int:evidence_pk>/pages/",
        reviewer.evidence_pages,
        name="evidence_pages",
    ),
    path(
        "participations/<int:pk>/evidence/<int:evidence_pk>/pages/<int:number>/",
        reviewer.evidence_page,
        name="evidence_page",
    ),
    path("participations/<int:pk>/panel/", reviewer.panel, name="panel"),
    path(
        "participations/<int:pk>/indicators/<int:indicator_pk>/verify/",
        reviewer.verify,
        name="verify",
    ),
    path("participations/<int:pk>/panel/agreed/", reviewer.verify_agreed, name="verify_agreed"),
    path(
        "participations/<int:pk>/panel/<int:seat_pk>/reopen/",
        reviewer.review_reopen,
        name="review_reopen",
    ),
    # Field reviews
    path("participations/<int:pk>/field-review/", reviewer.field_review, name="field_review"),
    path(
        "participations/<int:pk>/field-review/<rv_section:section>/",
        reviewer.field_review_section,
        name="field_review_section",
    ),
    path(
        "participations/<int:pk>/field-review/agenda/default/",
        reviewer.field_review_default_agenda_view,
        name="field_review_default_agenda",
    ),
    path("participations/<int:pk>/field-review/minutes/", reviewer.minutes, name="minutes"),
    path(
        "participations/<int:pk>/field-review/minutes.pdf",
        reviewer.minutes_pdf,
        name="minutes_pdf",
    ),
    # Round management
    path("rounds/", reviewer.round_list, name="rounds"),
    path("rounds/<slug:slug>/", reviewer.round_detail, name="round"),
    path("rounds/<slug:slug>/step/<rv_step:action>/", reviewer.round_step, name="round_step"),
    path(
        "rounds/<slug:slug>/participants/add/", reviewer.participants_add, name="participants_add"
    ),
    path("rounds/<slug:slug>/panels/", reviewer.panels_bulk, name="panels_bulk"),
    path("rounds/<slug:slug>/participants/<int:pk>/", reviewer.participant, name="participant"),
    path(
        "rounds/<slug:slug>/participants/<int:pk>/<rv_member:action>/",
        reviewer.participant_action,
        name="participant_action",
    ),
    path(
        "rounds/<slug:slug>/participants/<int:pk>/panel/<int:seat_pk>/remove/",
        reviewer.panel_remove,
        name="panel_remove",
    ),
    path("rounds/<slug:slug>/results/", reviewer.results, name="results"),
    path("rounds/<slug:slug>/results.<rv_fmt:fmt>", reviewer.results_export, name="results_export"),
    path("rounds/<slug:slug>/letters/<int:pk>.pdf", reviewer.result_letter, name="result_letter"),
    path(
        "rounds/<slug:slug>/scores-template.<rv_fmt:fmt>",
        reviewer.scores_template,
        name="scores_template",
    ),
    path("rounds/<slug:slug>/scores/upload/", reviewer.scores_upload, name="scores_upload"),
    path("rounds/<slug:slug>/history/", reviewer.history, name="history"),
]
