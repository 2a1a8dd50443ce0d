"""The figures on a survey's dashboard, counted in PostgreSQL and decided by ``disclosure``.

Every count is a GROUP BY over the answers of the filtered responses, taken with the sum of the
response ids it covers (the fingerprint disclosure rounds by); the number of queries depends on
the survey's shape, never on how many responses it has.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count as CountOf
from django.db.models import Q, Sum
from django.db.models.expressions import RawSQL

from surveys.kinds import Summary, kind_of
from surveys.models import Answer, Choice, Question, Response, Section, Survey, Theme
from surveys.reporting.counts import Slice, answered, count_keys, stored_counts, subtract
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
    sql, params = responses.order_by().values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {FILTERED_TABLE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {FILTERED_TABLE} ON COMMIT DROP AS {sql}", params)  # noqa: S608
        cursor.execute(f"ANALYZE {FILTERED_TABLE}")
    return FILTERED_TABLE


def _counts_in_view(
    survey: Survey, response_filter: ResponseFilter, seconds: int | None = None
) -> tuple[dict[str, Count], Q, object]:
    """The counts of the responses in view, which answers to look at for themes and "Other" texts,
    and the answers in view.

    Unfiltered, or filtered by channel and dates only: the stored counts of those channels and days.
    Filtered by answers: the matching responses (worked out once, into a temporary table) are counted
    on the fly; when they are most of the responses in those channels and days, the ones left out
    are counted instead and taken away, which gives the same figures for less work.
    """
    part = Slice(tuple(response_filter.channels), response_filter.date_from, response_filter.date_to)
    if not response_filter.answers:
        responses = response_filter.responses()
        in_view = Q(answers__response__in=responses)
        if not response_filter.is_active:
            in_view = Q(answers__response__status=Response.Status.ACCEPTED)
        return stored_counts(survey, part), in_view, Answer.objects.filter(response__in=responses)
    matching = f"SELECT id FROM {materialise(response_filter.responses())}"  # noqa: S608 - our own table
    in_view = Q(answers__response_id__in=RawSQL(matching, []))  # noqa: S611
    answers = Answer.objects.filter(response_id__in=RawSQL(matching, []))  # noqa: S611
    whole = stored_counts(survey, part)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {FILTERED_TABLE}")  # noqa: S608 - our own table
        matched = cursor.fetchone()[0]
    if matched * 2 <= whole.get("total", Count()).n:
        return count_keys(matching, seconds=seconds), in_view, answers
    without_answers = ResponseFilter(
        survey=survey,
        date_from=response_filter.date_from,
        date_to=response_filter.date_to,
        channels=response_filter.channels,
    )
    base_sql, base_params = without_answers.responses().order_by().values("id").query.sql_with_params()
    # An anti-join (NOT IN over a large list would compare every pair).
    left_out = (
        f"SELECT base.id FROM ({base_sql}) base "  # noqa: S608 - built by the ORM, and our own table
        f"WHERE NOT EXISTS (SELECT 1 FROM {FILTERED_TABLE} m WHERE m.id = base.id)"
    )
    return subtract(whole, count_keys(left_out, base_params, seconds=seconds)), in_view, answers


@transaction.atomic  # for the temporary table of filtered responses
def build_dashboard(
    survey: Survey,
    response_filter: ResponseFilter,
    structure: SurveyStructure | None = None,
    *,
    other_texts: bool = False,
    seconds: int | None = None,
) -> Dashboard:
    """Every figure of ``survey``'s responses under ``response_filter``.

    Unfiltered or by channel and dates, the figures come from the stored counts (whatever the number
    of responses); filtered by answers, the same counts are worked out for the matching responses in
    one statement (surveys.reporting.counts). ``other_texts``: also fetch the newest "Other, please
    specify" texts (row-level answers: the caller has checked the person may read them).
    ``seconds``: give up counting on the fly after that long (``CountingTooSlow``), as a page must.
    """
    structure = structure if structure is not None else read_structure(survey)
    questions = structure.questions
    disclosure = Disclosure.for_view(filtered_on_equality=response_filter.uses_equality_answers(questions))
    counts, in_view, answers = _counts_in_view(survey, response_filter, seconds)

    def count(key: str) -> Count:
        return counts.get(key, Count())

    answered_by = answered(counts)

    total = disclosure.figure(count("total"))
    # A row that appears only when someone is in it would say "at least one" of a small group: when
    # figures are protected, every channel is listed, and days are not shown at all.
    by_channel = [
        (label, disclosure.figure(count(f"channel:{value}"), base=total))
        for value, label in Response.Channel.choices
        if disclosure.protect_all or count(f"channel:{value}").n
    ]
    per_day = []
    if not disclosure.protect_all:
        days = sorted(key.removeprefix("day:") for key in counts if key.startswith("day:"))
        per_day = [(datetime.date.fromisoformat(day), disclosure.figure(count(f"day:{day}"))) for day in days]

    themes = defaultdict(list)
    free_text = [q.pk for q in questions.values() if kind_of(q).summary == Summary.FREE_TEXT]
    for theme in (Theme.objects.filter(question_id__in=free_text) if free_text else Theme.objects.none()).annotate(
        n=CountOf("answers", filter=in_view), ids=Sum("answers__response_id", filter=in_view)
    ):
        themes[theme.question_id].append((theme, disclosure.figure(Count(theme.n, int(theme.ids or 0)))))
    others = {}
    if other_texts:
        others = _other_texts(
            answers, [q for q in questions.values() if q.allow_other and not q.section.is_about_you], counts
        )

    sections = []
    for section, section_questions in structure:
        equality = section.is_about_you
        summaries = []
        for question in section_questions:
            answered_figure = disclosure.figure(answered_by[question.pk], equality=equality, base=total)
            summary = QuestionSummary(
                question=question,
                answered=answered_figure,
                protected=disclosure.is_protected(equality),
                other_answers=others.get(question.pk, []),
                themes=themes.get(question.pk, []),
            )
            if kind_of(question).summary == Summary.NUMBERS:
                prefix = f"number:{question.pk}:"
                table = sorted(
                    (int(key.removeprefix(prefix)), n) for key, n in counts.items() if key.startswith(prefix)
                )
                summary.numbers = disclosure.statistics(
                    table, equality=equality, bounds=(question.min_value, question.max_value)
                )
            if question.allow_other:
                summary.other_count = disclosure.figure(count(f"other:{question.pk}"), equality=equality)
            if kind_of(question).summary == Summary.CHOICES:
                summary.choices = [
                    ChoiceRow(
                        choice,
                        disclosure.figure(
                            count(f"choice:{question.pk}:{choice.pk}"), equality=equality, base=answered_figure
                        ),
                    )
                    for choice in question.choices.all()
                ]
            summaries.append(summary)
        # Sections with a required question are answered by everyone.
        completed = count("total") if any(q.required for q in section_questions) else count(f"section:{section.pk}")
        sections.append(SectionSummary(section, disclosure.figure(completed, equality=equality, base=total), summaries))
    return Dashboard(
        survey=survey,
        total=total,
        by_channel=by_channel,
        per_day=per_day,
        sections=sections,
        threshold=disclosure.threshold,
        protect_all=disclosure.protect_all,
    )


def _other_texts(answers, questions: list[Question], counts: dict[str, Count]) -> dict[int, list[Answer]]:
    """The newest "Other, please specify" texts per question (one query per question that has any)."""
    others = answers.filter(choice__is_other=True).exclude(text="")
    return {
        question.pk: list(others.filter(question=question).order_by("-response_id")[:OTHER_ANSWERS_SHOWN])
        for question in questions
        if counts.get(f"other:{question.pk}", Count()).n
    }
