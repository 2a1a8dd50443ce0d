"""Who may see a survey's figures, read its individual answers and have its exports.

Staff see the dashboards of their own partnerships' surveys with the dashboard permission; rows
(individual answers, the responses export) need ``view_individual_responses``, and through an
"About you" filter also ``export_equality_data``: every row listed would be known to have that answer.
"""

from partnerships.access import editable_partnerships, owned_by
from surveys.models import Survey
from surveys.reporting.filters import ResponseFilter

EQUALITY = "surveys.export_equality_data"


def dashboard_surveys(user):
    """The surveys whose responses this member of staff may see (their partnerships')."""
    return owned_by(Survey.objects.select_related("consultation__partnership"), editable_partnerships(user))


def may_read_rows(user, response_filter: ResponseFilter, questions) -> bool:
    """Row-level views (individual answers, the responses export) under these filters."""
    return not response_filter.uses_equality_answers(questions) or user.has_perm(EQUALITY)


def may_export(user, survey: Survey, exporter, export) -> bool:
    """Whether ``user`` may have this export now (asked for, or made earlier by someone else)."""
    if not (user.is_active and user.has_perm(exporter.permission)):
        return False
    if not dashboard_surveys(user).filter(pk=survey.pk).exists():
        return False
    if exporter.row_level and not may_read_rows(user, export.response_filter, export.structure.questions):
        return False
    return not exporter.includes_equality_data(export) or user.has_perm(EQUALITY)
