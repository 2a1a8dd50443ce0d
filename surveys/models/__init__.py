"""Surveys as data: the questionnaire, the responses, and the records kept about them."""

from surveys.models.counts import DashboardCount
from surveys.models.exports import ExportJob
from surveys.models.questionnaire import (
    MAX_RETENTION_MONTHS,
    Choice,
    EqualityCondition,
    LawfulBasis,
    Question,
    Section,
    Survey,
)
from surveys.models.records import ErasureRecord, ExportRecord, WithdrawalRequest
from surveys.models.responses import (
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    Answer,
    Response,
    ResponseQuerySet,
    SurveyDraft,
    Theme,
    new_reference,
)

__all__ = [
    "MAX_RETENTION_MONTHS",
    "REFERENCE_ALPHABET",
    "REFERENCE_LENGTH",
    "Answer",
    "Choice",
    "DashboardCount",
    "EqualityCondition",
    "ErasureRecord",
    "ExportJob",
    "ExportRecord",
    "LawfulBasis",
    "Question",
    "Response",
    "ResponseQuerySet",
    "Section",
    "Survey",
    "SurveyDraft",
    "Theme",
    "WithdrawalRequest",
    "new_reference",
]
