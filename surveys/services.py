"""Writes that touch several survey tables, each in one transaction."""

import uuid
from collections.abc import Iterable, Mapping

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction

from common import security_log
from surveys.kinds import OTHER_SUFFIX, kind_of
from surveys.models import (
    Answer,
    ErasureRecord,
    ExportJob,
    ExportRecord,
    Question,
    Response,
    Survey,
    Theme,
    WithdrawalRequest,
)
from surveys.reporting import counts


def answer_rows(survey: Survey, answers: Mapping[str, object]) -> list[Answer]:
    """Turn cleaned answers (keyed by question identifier) into unsaved Answer rows.

    Values: a choice value or a list of them, an int, a date (or ISO date string), or text.
    ``<identifier>__other`` holds the text of an "Other, please specify" choice.
    """
    questions = {q.identifier: q for q in survey.questions.prefetch_related("choices")}
    rows = []
    for identifier, value in answers.items():
        if identifier.endswith(OTHER_SUFFIX) or value in (None, "", [], ()):
            continue
        question = questions.get(identifier)
        if question is None:
            raise ValueError(f"{identifier!r} is not a question in this survey")
        other_text = answers.get(identifier + OTHER_SUFFIX) or ""
        rows += [
            Answer(question=question, **values)
            for values in kind_of(question).answer_values(question, value, other_text)
        ]
    return rows


def submit_response(
    *,
    survey: Survey,
    answers: Mapping[str, object],
    channel: str = Response.Channel.ONLINE,
    submission_token: uuid.UUID | None = None,
    held_because: Iterable[str] = (),
    entered_by=None,
) -> tuple[Response, bool]:
    """Store a response and all its answers at once. Returns (response, created).

    The same ``submission_token`` sent twice (a double click, a resent form) stores one response
    and returns the first one with created=False.
    """
    if submission_token is not None:
        existing = Response.objects.filter(submission_token=submission_token).first()
        if existing:
            return existing, False
    rows = answer_rows(survey, answers)
    reasons = sorted(set(held_because))
    try:
        with transaction.atomic():
            response = Response.objects.create(
                survey=survey,
                channel=channel,
                submission_token=submission_token,
                status=Response.Status.HELD if reasons else Response.Status.ACCEPTED,
                held_because=", ".join(reasons),
                entered_by=entered_by,
            )
            for row in rows:
                row.response = response
            Answer.objects.bulk_create(rows)
            # Counted on the dashboard in the same transaction: the stored counts never drift.
            counts.add_responses(Response.objects.filter(pk=response.pk))
    except IntegrityError:
        if submission_token is None:
            raise
        return Response.objects.get(submission_token=submission_token), False
    return response, True


def review_responses(responses, *, accept: bool, reviewer) -> int:
    """Approve (now counted) or reject (kept, never counted) held responses; returns how many changed."""
    status = Response.Status.ACCEPTED if accept else Response.Status.REJECTED
    with transaction.atomic():
        held = list(responses.filter(status=Response.Status.HELD).select_for_update().values_list("pk", flat=True))
        changed = Response.objects.filter(pk__in=held).update(status=status, reviewed_by=reviewer)
        if accept:
            counts.add_responses(Response.objects.filter(pk__in=held))
    return changed


def add_theme(*, question: Question, name: str) -> tuple[Theme, bool]:
    """A theme staff can tag free-text answers with. Returns (theme, created); names are unique per question."""
    return Theme.objects.get_or_create(question=question, name=name)


def set_answer_themes(*, question: Question, themes_by_answer: Mapping[int, Iterable[int]]) -> None:
    """Replace the themes of these answers to ``question`` with the given theme ids, all at once.

    Answers to other questions, and themes of other questions, are ignored.
    """
    themes = set(question.themes.values_list("pk", flat=True))
    answers = list(Answer.objects.filter(pk__in=list(themes_by_answer), question=question).values_list("pk", flat=True))
    through = Theme.answers.through
    with transaction.atomic():
        through.objects.filter(answer_id__in=answers).delete()
        through.objects.bulk_create(
            through(theme_id=theme_id, answer_id=answer_id)
            for answer_id in answers
            for theme_id in dict.fromkeys(themes_by_answer[answer_id])
            if theme_id in themes
        )


def record_access(
    *, request, survey: Survey, kind: str, filters: dict, rows: int | None = None, includes_equality_data: bool = False
) -> ExportRecord:
    """Note that the person signed in read or downloaded responses of ``survey``: for superusers to audit,
    and in the security log (without the filters, which may name a reference)."""
    security_log.event(
        "responses_read", request, kind=kind, survey=survey.pk, rows=rows, equality=includes_equality_data
    )
    return ExportRecord.objects.create(
        user=request.user,
        survey=survey,
        kind=kind,
        filters=filters,
        rows=rows,
        includes_equality_data=includes_equality_data,
    )


# Erasure: withdrawal by the resident, erasure by staff, and the end of the retention period


def erase_responses(*, survey: Survey, responses, how: str, reason: str = "", erased_by=None, request=None) -> int:
    """Erase ``responses`` of ``survey`` from every table, at once; returns how many were erased.

    Goes: their answers (free text, postcodes, emails included) and theme tags, the responses
    (references, spam-review notes), withdrawal requests, and the admin history and access records
    that name them. Stays: an ErasureRecord saying when, how many, how and why, never what.
    Memory stays flat however many there are: the rows are deleted in SQL, not loaded.
    """
    ids_sql, ids_params = responses.filter(survey=survey).order_by().values("id").query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # One erasure of a survey at a time, and never while an export of it is being finished.
        Survey.objects.select_for_update().filter(pk=survey.pk).first()
        cursor.execute(f"CREATE TEMPORARY TABLE erasing ON COMMIT DROP AS {ids_sql}", ids_params)  # noqa: S608
        cursor.execute("SELECT r.id, r.reference FROM surveys_response r JOIN erasing e ON e.id = r.id")
        erasing = cursor.fetchall()
        if not erasing:
            cursor.execute("DROP TABLE erasing")
            return 0
        counts.change_counts(
            "SELECT r.id FROM surveys_response r JOIN erasing e ON e.id = r.id WHERE r.status = 'accepted'", sign=-1
        )
        response_type = ContentType.objects.get_for_model(Response)
        LogEntry.objects.filter(content_type=response_type, object_id__in=[str(pk) for pk, _ in erasing]).delete()
        # Files made before (or while) they were erased may hold them: gone too (a running job starts again).
        ExportJob.objects.filter(record__survey=survey).delete_files(problem="Responses in it were erased")
        ExportRecord.objects.filter(
            survey=survey,
            kind__in=[ExportRecord.Kind.RESPONSE, ExportRecord.Kind.SUBJECT_ACCESS],
            filters__reference__in=[ref for _, ref in erasing],
        ).delete()
        for table, where in [
            (
                Theme.answers.through._meta.db_table,
                "answer_id IN (SELECT a.id FROM surveys_answer a JOIN erasing e ON e.id = a.response_id)",
            ),
            (WithdrawalRequest._meta.db_table, "response_id IN (SELECT id FROM erasing)"),
            (Answer._meta.db_table, "response_id IN (SELECT id FROM erasing)"),
            (Response._meta.db_table, "id IN (SELECT id FROM erasing)"),
        ]:
            cursor.execute(f"DELETE FROM {table} WHERE {where}")  # noqa: S608 - our own table names
        cursor.execute("DROP TABLE erasing")
        ErasureRecord.objects.create(survey=survey, how=how, responses=len(erasing), reason=reason, erased_by=erased_by)
    return len(erasing)


def withdraw_response(*, reference: str) -> None:
    """A resident withdraws the response with this reference (if there is one: they are never told).

    While its consultation is open the response is erased at once; after it closes, staff are asked
    to erase it (its figures may already be published).
    """
    response = Response.objects.select_related("survey__consultation").filter(reference=reference).first()
    if response is None:
        return
    if response.survey.consultation.is_open:
        erase_responses(
            survey=response.survey, responses=Response.objects.filter(pk=response.pk), how=ErasureRecord.How.WITHDRAWN
        )
    else:
        WithdrawalRequest.objects.get_or_create(response=response)
