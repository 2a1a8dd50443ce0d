"""The numbers on a survey's dashboard, counted in PostgreSQL.

Every figure is a GROUP BY over the answers of the filtered responses; the number of queries
depends on the survey's shape, never on how many responses it has.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate
from django.utils import timezone

from surveys.kinds import Summary, kind_of
from surveys.models import Answer, Choice, Question, Response, Section, Survey, Theme
from surveys.reporting.disclosure import Disclosure, Figure
from surveys.reporting.filters import ResponseFilter
from surveys.structure import SurveyStructure, read_structure

OTHER_ANSWERS_SHOWN = 10
HISTOGRAM_BUCKETS = 10


@dataclass
class ChoiceRow:
    choice: Choice
    count: Figure
    themes: list = field(default_factory=list)


@dataclass
class NumberStats:
    count: int
    mean: float | None
    median: float | None
    minimum: int | None
    maximum: int | None
    buckets: list[tuple[str, int]]


@dataclass
class QuestionSummary:
    question: Question
    answered: Figure
    choices: list[ChoiceRow] = field(default_factory=list)
    other_answers: list[Answer] = field(default_factory=list)
    other_count: int = 0
    numbers: NumberStats | None = None
    themes: list[tuple[Theme, int]] = field(default_factory=list)

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
    per_day: list[tuple[datetime.date, int]]
    sections: list[SectionSummary]
    threshold: int
    suppressing_everything: bool

    @property
    def day_bars(self) -> list[dict]:
        """SVG bar geometry for responses per day, on a 100-high canvas with one unit per day."""
        busiest = max((count for _, count in self.per_day), default=0) or 1
        bars = []
        for index, (_, count) in enumerate(self.per_day):
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


@transaction.atomic  # for the temporary table of filtered responses
def build_dashboard(
    survey: Survey, response_filter: ResponseFilter, structure: SurveyStructure | None = None
) -> Dashboard:
    structure = structure if structure is not None else read_structure(survey)
    questions = structure.questions
    disclosure = Disclosure.for_view(
        filtered_on_equality=any(
            questions[qid].section.is_about_you for qid in response_filter.answers if qid in questions
        )
    )
    if response_filter.is_active:
        # Work out which responses match once, rather than again inside every query below.
        table = materialise(response_filter.responses())
        response_ids = RawSQL(f"SELECT id FROM {table}", [])  # noqa: S608, S611 - our own constant table name
        responses = Response.objects.filter(pk__in=response_ids)
    else:
        responses = response_filter.responses()
        response_ids = responses.values("id")

    by_channel_rows = dict(responses.order_by().values_list("channel").annotate(n=Count("id")))
    total = sum(by_channel_rows.values())

    by_channel = [
        (label, disclosure.figure(by_channel_rows.get(value, 0), total))
        for value, label in Response.Channel.choices
        if by_channel_rows.get(value)
    ]
    per_day = list(
        responses.order_by()
        .annotate(day=TruncDate("submitted_at", tzinfo=timezone.get_default_timezone()))
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )

    if response_filter.is_active:
        answers = Answer.objects.filter(response_id__in=response_ids)
    else:
        # Without filters, leaving out the few held or rejected responses is much cheaper than
        # joining every answer to the many counted ones.
        uncounted = Response.objects.filter(survey=survey).exclude(status=Response.Status.ACCEPTED).values("id")
        answers = Answer.objects.filter(question_id__in=list(questions)).exclude(response_id__in=uncounted)
    # One pass over the answers: rows per (question, choice). A single-value question has one row per
    # response, so its row total is how many answered it; only multiple choice needs DISTINCT.
    choice_counts: dict[tuple[int, int | None], int] = {}
    answered: dict[int, int] = defaultdict(int)
    for question_id, choice_id, n in answers.order_by().values_list("question_id", "choice_id").annotate(n=Count("id")):
        choice_counts[(question_id, choice_id)] = n
        answered[question_id] += n
    multiple = [q.pk for q in questions.values() if kind_of(q).many_answers]
    answered.update(_distinct_responses(answers.filter(question_id__in=multiple), "question_id"))
    # Sections with a required question are answered by everyone; count the optional ones.
    optional_sections = {section.pk for section, qs in structure if not any(q.required for q in qs)}
    completed_sections = _distinct_responses(
        answers.filter(question__section_id__in=optional_sections), "question__section_id"
    )
    for section, _ in structure:
        if section.pk not in optional_sections:
            completed_sections[section.pk] = total
    numbers = _number_stats(answers, [q for q in questions.values() if kind_of(q).summary == Summary.NUMBERS])
    others, other_counts = _other_answers(answers, [q for q in questions.values() if q.allow_other])
    themes = defaultdict(list)
    for theme in Theme.objects.filter(question__survey=survey).annotate(
        n=Count("answers", filter=Q(answers__response_id__in=response_ids))
    ):
        themes[theme.question_id].append((theme, theme.n))

    sections = []
    for section, section_questions in structure:
        summaries = []
        for question in section_questions:
            equality = section.is_about_you
            base = answered.get(question.pk, 0)
            summary = QuestionSummary(
                question=question,
                answered=disclosure.figure(base, total, equality=equality),
                numbers=numbers.get(question.pk),
                other_answers=[] if equality else others.get(question.pk, []),
                other_count=other_counts.get(question.pk, 0),
                themes=themes.get(question.pk, []),
            )
            if kind_of(question).summary == Summary.CHOICES:
                summary.choices = [
                    ChoiceRow(
                        choice,
                        disclosure.figure(choice_counts.get((question.pk, choice.pk), 0), base, equality=equality),
                    )
                    for choice in question.choices.all()
                ]
            summaries.append(summary)
        sections.append(
            SectionSummary(section, disclosure.figure(completed_sections.get(section.pk, 0), total), summaries)
        )
    return Dashboard(
        survey=survey,
        total=disclosure.figure(total, total),
        by_channel=by_channel,
        per_day=per_day,
        sections=sections,
        threshold=disclosure.threshold,
        suppressing_everything=disclosure.suppress_all,
    )


def _distinct_responses(answers, key: str) -> dict[int, int]:
    """How many different responses have answers, per ``key`` (hash-distinct: faster than COUNT(DISTINCT))."""
    try:
        pairs, params = _sql(answers.order_by().values(key, "response_id").distinct())
    except EmptyResultSet:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT k, count(*) FROM ({pairs}) AS pairs (k, r) GROUP BY k", params)  # noqa: S608
        return dict(cursor.fetchall())


def _number_stats(answers, number_questions: list[Question]) -> dict[int, NumberStats]:
    """Count, mean, median and a histogram per number question, from one frequency table.

    People's whole-number answers take few distinct values, so the table is small whatever the
    number of responses; the statistics are then exact arithmetic over it.
    """
    if not number_questions:
        return {}
    frequencies: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for question_id, number, n in (
        answers.filter(question__in=number_questions, number__isnull=False)
        .order_by("question_id", "number")
        .values_list("question_id", "number")
        .annotate(n=Count("id"))
    ):
        frequencies[question_id].append((number, n))
    return {question_id: _stats(table) for question_id, table in frequencies.items()}


def _stats(table: list[tuple[int, int]]) -> NumberStats:
    count = sum(n for _, n in table)
    low, high = table[0][0], table[-1][0]

    def value_at(position: int) -> int:
        seen = 0
        for number, n in table:
            seen += n
            if position < seen:
                return number
        return high

    middle = count // 2
    median = value_at(middle) if count % 2 else (value_at(middle - 1) + value_at(middle)) / 2
    width = max(1, -(-(high - low + 1) // HISTOGRAM_BUCKETS))
    buckets = []
    for start in range(low, high + 1, width):
        end = min(start + width - 1, high)
        buckets.append(
            (f"{start} to {end}" if end != start else str(start), sum(n for v, n in table if start <= v <= end))
        )
    return NumberStats(
        count=count,
        mean=sum(number * n for number, n in table) / count,
        median=median,
        minimum=low,
        maximum=high,
        buckets=buckets,
    )


def _other_answers(answers, questions: list[Question]) -> tuple[dict[int, list[Answer]], dict[int, int]]:
    """The newest "Other, please specify" texts per question (one query per such question), and their counts."""
    if not questions:
        return {}, {}
    others = answers.filter(choice__is_other=True).exclude(text="")
    counts = dict(others.filter(question__in=questions).order_by().values_list("question_id").annotate(n=Count("id")))
    latest = {
        question.pk: list(others.filter(question=question).order_by("-response_id")[:OTHER_ANSWERS_SHOWN])
        for question in questions
        if counts.get(question.pk)
    }
    return latest, counts
