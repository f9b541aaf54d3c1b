"""The evaluation domain, one module per concern; import models from here."""

from evaluations.models.assessments import SelfAssessmentAnswer
from evaluations.models.bundles import OpenDataBundle
from evaluations.models.imports import ImportKind, ImportUpload
from evaluations.models.instruments import (
    LEVELS,
    MAX_LEVEL,
    MIN_LEVEL,
    ComponentCode,
    Dimension,
    DimensionCode,
    Element,
    Indicator,
    Instrument,
    RatingBand,
)
from evaluations.models.previews import EvidencePreview, PreviewProblem, PreviewState
from evaluations.models.programmes import Evidence, Programme, ProgrammeStatus
from evaluations.models.published_register import PublishedProgramme
from evaluations.models.results import Publication, PublicationKind, Result, TrustUnlock
from evaluations.models.reviews import (
    AgendaItem,
    Attendee,
    AttendeeSide,
    FieldReview,
    Finding,
    FindingKind,
    ReviewMode,
)
from evaluations.models.rounds import (
    Participation,
    ReviewerAssignment,
    Round,
    RoundEvent,
    RoundStatus,
    SelfAssessmentStatus,
)
from evaluations.models.scoring import Score, VerifiedScore

__all__ = [
    "LEVELS",
    "MAX_LEVEL",
    "MIN_LEVEL",
    "AgendaItem",
    "Attendee",
    "AttendeeSide",
    "ComponentCode",
    "Dimension",
    "DimensionCode",
    "Element",
    "Evidence",
    "EvidencePreview",
    "FieldReview",
    "Finding",
    "FindingKind",
    "ImportKind",
    "ImportUpload",
    "Indicator",
    "Instrument",
    "OpenDataBundle",
    "Participation",
    "PreviewProblem",
    "PreviewState",
    "Programme",
    "ProgrammeStatus",
    "Publication",
    "PublicationKind",
    "PublishedProgramme",
    "RatingBand",
    "Result",
    "ReviewMode",
    "ReviewerAssignment",
    "Round",
    "RoundEvent",
    "RoundStatus",
    "Score",
    "SelfAssessmentAnswer",
    "SelfAssessmentStatus",
    "TrustUnlock",
    "VerifiedScore",
]
