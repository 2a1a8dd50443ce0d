"""Writes that touch several survey tables, each in one transaction."""

import datetime
import uuid
from collections.abc import Iterable, Mapping

from django.db import IntegrityError, transaction

from surveys.models import Answer, Question, Response, Survey

OTHER_SUFFIX = "__other"


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
        if question.is_choice:
            choices = {choice.value: choice for choice in question.choices.all()}
            for choice_value in [value] if isinstance(value, str) else value:
                choice = choices[choice_value]
                other_text = str(answers.get(identifier + OTHER_SUFFIX) or "") if choice.is_other else ""
                rows.append(Answer(question=question, choice=choice, text=other_text))
        elif question.kind == Question.Kind.NUMBER:
            rows.append(Answer(question=question, number=int(value)))
        elif question.kind == Question.Kind.DATE:
            date = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
            rows.append(Answer(question=question, date=date))
        else:
            rows.append(Answer(question=question, text=str(value)))
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
    except IntegrityError:
        if submission_token is None:
            raise
        return Response.objects.get(submission_token=submission_token), False
    return response, True


def review_responses(responses, *, accept: bool, reviewer) -> int:
    """Approve or reject held responses; returns how many changed."""
    status = Response.Status.ACCEPTED if accept else Response.Status.REJECTED
    return responses.filter(status=Response.Status.HELD).update(status=status, reviewed_by=reviewer)
