"""The figures on a survey's dashboard, counted in PostgreSQL and decided by ``disclosure``.

Every count is a GROUP BY over the answers of the filtered responses, taken with the sum of the
response ids it covers (the fingerprint disclosure rounds by); the number of queries depends on
the survey's shape, never on how many responses it has.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Count as CountOf
from django.db.models import Q, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate
from django.utils import timezone

from surveys.kinds import Summary, kind_of
from surveys.models import Answer, Choice, Question, Response, Section, Survey, Theme
from surveys.reporting.disclosure import Count, Disclosure, Figure, NumberStatistics
from surveys.reporting.filters import ResponseFilter
from surveys.structure import SurveyStructure, read_structure

OTHER_ANSWERS_SHOWN = 10


@dataclass
class ChoiceRow:
    choice: Choice
    count: Figure


@dataclass
class QuestionSummary:
    question: Question
    answered: Figure
    protected: bool
    choices: list[ChoiceRow] = field(default_factory=list)
    # The newest "Other" texts, only where the caller asked for row-level text and it is not equality data.
    other_answers: list[Answer] = field(default_factory=list)
    other_count: Figure | None = None
    numbers: NumberStatistics | None = None
    themes: list[tuple[Theme, Figure]] = field(default_factory=list)

    @property
    def is_about_you(self) -> bool:
        return self.question.section.is_about_you

    @property
    def is_free_text(self) -> bool:
        return kind_of(self.question).summary == Summary.FREE_TEXT


@dataclass
class SectionSummary:
    section: Section
    completed: Figure
    questions: list[QuestionSummary]


@dataclass
class Dashboard:
    survey: Survey
    total: Figure
    by_channel: list[tuple[str, Figure]]
    per_day: list[tuple[datetime.date, Figure]]
    sections: list[SectionSummary]
    threshold: int
    # An About-you answer filters the view: every figure is rounded, and small ones hidden.
    protect_all: bool

    @property
    def day_bars(self) -> list[dict]:
        """SVG bar geometry for responses per day, on a 100-high canvas with one unit per day."""
        shown = [figure.shown or 0 for _, figure in self.per_day]
        busiest = max(shown, default=0) or 1
        bars = []
        for index, count in enumerate(shown):
            height = round(100 * count / busiest, 2)
            bars.append({"x": index + 0.1, "y": round(100 - height, 2), "height": height})
        return bars


FILTERED_TABLE = "dashboard_filtered_responses"


def materialise(responses) -> str:
    """Store the ids of ``responses`` in a temporary table that lasts until the transaction ends."""
    sql, params = _sql(responses.order_by().values("id"))
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {FILTERED_TABLE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {FILTERED_TABLE} ON COMMIT DROP AS {sql}", params)  # noqa: S608
        cursor.execute(f"ANALYZE {FILTERED_TABLE}")
    return FILTERED_TABLE


def _sql(queryset) -> tuple[str, tuple]:
    return queryset.query.sql_with_params()


def _count(n, ids) -> Count:
    return Count(int(n or 0), int(ids or 0))


@transaction.atomic  # for the temporary table of filtered responses
def build_dashboard(
    survey: Survey,
    response_filter: ResponseFilter,
    structure: SurveyStructure | None = None,
    *,
    other_texts: bool = False,
) -> Dashboard:
    """Every figure of ``survey``'s responses under ``response_filter``.

    ``other_texts``: also fetch the newest "Other, please specify" texts (row-level answers: the
    caller has checked the person may read them).
    """
    structure = structure if structure is not None else read_structure(survey)
    questions = structure.questions
    disclosure = Disclosure.for_view(filtered_on_equality=response_filter.uses_equality_answers(questions))
    if response_filter.is_active:
        # Work out which responses match once, rather than again inside every query below.
        table = materialise(response_filter.responses())
        response_ids = RawSQL(f"SELECT id FROM {table}", [])  # noqa: S608, S611 - our own constant table name
        responses = Response.objects.filter(pk__in=response_ids)
    else:
        responses = response_filter.responses()
        response_ids = responses.values("id")

    channel_counts = {
        channel: _count(n, ids)
        for channel, n, ids in responses.order_by().values_list("channel").annotate(n=CountOf("id"), ids=Sum("id"))
    }
    total_count = sum(channel_counts.values(), Count())
    total = disclosure.figure(total_count)
    # A row that appears only when someone is in it would say "at least one" of a small group: when
    # figures are protected, every channel is listed, and days are not shown at all.
    by_channel = [
        (label, disclosure.figure(channel_counts.get(value, Count()), base=total))
        for value, label in Response.Channel.choices
        if disclosure.protect_all or channel_counts.get(value, Count()).n
    ]
    per_day = []
    if not disclosure.protect_all:
        per_day = [
            (day, disclosure.figure(_count(n, ids)))
            for day, n, ids in responses.order_by()
            .annotate(day=TruncDate("submitted_at", tzinfo=timezone.get_default_timezone()))
            .values_list("day")
            .annotate(n=CountOf("id"), ids=Sum("id"))
            .order_by("day")
        ]

    if response_filter.is_active:
        answers = Answer.objects.filter(response_id__in=response_ids)
    else:
        # Without filters, leaving out the few held or rejected responses is much cheaper than
        # joining every answer to the many counted ones.
        uncounted = Response.objects.filter(survey=survey).exclude(status=Response.Status.ACCEPTED).values("id")
        answers = Answer.objects.filter(question_id__in=list(questions)).exclude(response_id__in=uncounted)
    # One pass over the answers: rows per (question, choice). A single-answer question has one row per
    # response, so its rows add up to how many answered it; only multiple choice needs DISTINCT.
    choice_counts: dict[tuple[int, int | None], Count] = {}
    answered: dict[int, Count] = defaultdict(Count)
    for question_id, choice_id, n, ids in (
        answers.order_by().values_list("question_id", "choice_id").annotate(n=CountOf("id"), ids=Sum("response_id"))
    ):
        choice_counts[(question_id, choice_id)] = _count(n, ids)
        answered[question_id] += choice_counts[(question_id, choice_id)]
    multiple = [q.pk for q in questions.values() if kind_of(q).many_answers]
    answered.update(_distinct_responses(answers.filter(question_id__in=multiple), "question_id"))
    # Sections with a required question are answered by everyone; count the optional ones.
    optional_sections = {section.pk for section, qs in structure if not any(q.required for q in qs)}
    completed_sections = _distinct_responses(
        answers.filter(question__section_id__in=optional_sections), "question__section_id"
    )
    for section, _ in structure:
        if section.pk not in optional_sections:
            completed_sections[section.pk] = total_count
    frequencies = _frequencies(answers, [q for q in questions.values() if kind_of(q).summary == Summary.NUMBERS])
    other_questions = [q for q in questions.values() if q.allow_other]
    other_counts = _other_counts(answers, other_questions)
    others = {}
    if other_texts:
        others = _other_texts(answers, [q for q in other_questions if not q.section.is_about_you], other_counts)
    themes = defaultdict(list)
    in_view = Q(answers__response_id__in=response_ids)
    free_text = [q.pk for q in questions.values() if kind_of(q).summary == Summary.FREE_TEXT]
    for theme in (Theme.objects.filter(question_id__in=free_text) if free_text else Theme.objects.none()).annotate(
        n=CountOf("answers", filter=in_view), ids=Sum("answers__response_id", filter=in_view)
    ):
        themes[theme.question_id].append((theme, disclosure.figure(_count(theme.n, theme.ids))))

    sections = []
    for section, section_questions in structure:
        equality = section.is_about_you
        summaries = []
        for question in section_questions:
            answered_figure = disclosure.figure(answered.get(question.pk, Count()), equality=equality, base=total)
            summary = QuestionSummary(
                question=question,
                answered=answered_figure,
                protected=disclosure.is_protected(equality),
                other_answers=others.get(question.pk, []),
                themes=themes.get(question.pk, []),
            )
            if kind_of(question).summary == Summary.NUMBERS:
                summary.numbers = disclosure.statistics(
                    frequencies.get(question.pk, []),
                    equality=equality,
                    bounds=(question.min_value, question.max_value),
                )
            if question.allow_other:
                summary.other_count = disclosure.figure(other_counts.get(question.pk, Count()), equality=equality)
            if kind_of(question).summary == Summary.CHOICES:
                summary.choices = [
                    ChoiceRow(
                        choice,
                        disclosure.figure(
                            choice_counts.get((question.pk, choice.pk), Count()),
                            equality=equality,
                            base=answered_figure,
                        ),
                    )
                    for choice in question.choices.all()
                ]
            summaries.append(summary)
        completed = disclosure.figure(completed_sections.get(section.pk, Count()), equality=equality, base=total)
        sections.append(SectionSummary(section, completed, summaries))
    return Dashboard(
        survey=survey,
        total=total,
        by_channel=by_channel,
        per_day=per_day,
        sections=sections,
        threshold=disclosure.threshold,
        protect_all=disclosure.protect_all,
    )


def _distinct_responses(answers, key: str) -> dict[int, Count]:
    """How many different responses have answers, per ``key`` (hash-distinct: faster than COUNT(DISTINCT))."""
    try:
        pairs, params = _sql(answers.order_by().values(key, "response_id").distinct())
    except EmptyResultSet:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT k, count(*), sum(r) FROM ({pairs}) AS pairs (k, r) GROUP BY k", params)  # noqa: S608
        return {k: _count(n, ids) for k, n, ids in cursor.fetchall()}


def _frequencies(answers, number_questions: list[Question]) -> dict[int, list[tuple[int, Count]]]:
    """How often each whole number was answered, per number question, from one query.

    People's whole-number answers take few distinct values, so the table is small whatever the
    number of responses; the statistics are then exact arithmetic over it (see disclosure).
    """
    if not number_questions:
        return {}
    frequencies: dict[int, list[tuple[int, Count]]] = defaultdict(list)
    for question_id, number, n, ids in (
        answers.filter(question__in=number_questions, number__isnull=False)
        .order_by("question_id", "number")
        .values_list("question_id", "number")
        .annotate(n=CountOf("id"), ids=Sum("response_id"))
    ):
        frequencies[question_id].append((number, _count(n, ids)))
    return frequencies


def _other_counts(answers, questions: list[Question]) -> dict[int, Count]:
    """How many "Other, please specify" texts each question has."""
    if not questions:
        return {}
    others = answers.filter(choice__is_other=True, question__in=questions).exclude(text="")
    return {
        question_id: _count(n, ids)
        for question_id, n, ids in others.order_by()
        .values_list("question_id")
        .annotate(n=CountOf("id"), ids=Sum("response_id"))
    }


def _other_texts(answers, questions: list[Question], counts: dict[int, Count]) -> dict[int, list[Answer]]:
    """The newest "Other, please specify" texts per question (one query per question that has any)."""
    others = answers.filter(choice__is_other=True).exclude(text="")
    return {
        question.pk: list(others.filter(question=question).order_by("-response_id")[:OTHER_ANSWERS_SHOWN])
        for question in questions
        if counts.get(question.pk, Count()).n
    }
