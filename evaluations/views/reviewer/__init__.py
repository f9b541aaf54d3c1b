"""Reviewer and round-manager pages (namespace ``reviewer``).

- ``assignments``: a reviewer's queue, the participation under review, scoring, the lead's
  panel view;
- ``field_reviews``: schedule, agenda, attendees, findings, minutes (HTML and PDF);
- ``rounds``: managers' pages: lifecycle, participants and panels, results, bulk scores,
  history, result letters.

Every view starts from ``evaluations.access``; see each module.
"""

from evaluations.views.reviewer.assignments import (
    assignments,
    evidence_download,
    evidence_page,
    evidence_pages,
    panel,
    participation_detail,
    review_complete,
    review_reopen,
    score_save,
    self_assessment_return,
    verify,
    verify_agreed,
)
from evaluations.views.reviewer.field_reviews import (
    field_review,
    field_review_default_agenda_view,
    field_review_section,
    minutes,
    minutes_pdf,
)
from evaluations.views.reviewer.rounds import (
    history,
    panel_remove,
    panels_bulk,
    participant,
    participant_action,
    participants_add,
    result_letter,
    results,
    results_export,
    round_detail,
    round_list,
    round_step,
    scores_template,
    scores_upload,
)

__all__ = [
    "assignments",
    "evidence_download",
    "evidence_page",
    "evidence_pages",
    "field_review",
    "field_review_default_agenda_view",
    "field_review_section",
    "history",
    "minutes",
    "minutes_pdf",
    "panel",
    "panel_remove",
    "panels_bulk",
    "participant",
    "participant_action",
    "participants_add",
    "participation_detail",
    "result_letter",
    "results",
    "results_export",
    "review_complete",
    "review_reopen",
    "round_detail",
    "round_list",
    "round_step",
    "score_save",
    "scores_template",
    "scores_upload",
    "self_assessment_return",
    "verify",
    "verify_agreed",
]
