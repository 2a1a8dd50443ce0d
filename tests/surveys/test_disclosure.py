"""Disclosure control: no figure reveals a small group of "About you" answers, directly or by subtraction.

The property test builds surveys with random shapes and random responses, views them through many
filter combinations, and checks every figure on the dashboard, in the summary export and on the
public results page against the true counts worked out here in Python.
"""

import datetime
import random
from collections import Counter, defaultdict
from dataclasses import dataclass

import pytest
from django.http import QueryDict
from django.utils import timezone

from surveys.models import Answer, Question, Response, Theme
from surveys.reporting import key_figures
from surveys.reporting.counts import recount
from surveys.reporting.dashboard import build_dashboard
from surveys.reporting.disclosure import Count, Disclosure, Figure
from surveys.reporting.exporters import summary_rows
from surveys.reporting.filters import ResponseFilter
from surveys.structure import read_structure
from tests.factories import make_consultation, make_question, make_survey, respond

K = Question.Kind
N = 10  # SMALL_NUMBER_THRESHOLD in tests, as in production


# The rules, one figure at a time


def disclosure(protect_all=False) -> Disclosure:
    return Disclosure(threshold=N, protect_all=protect_all, secret=b"test")


def test_a_small_equality_count_is_hidden_and_so_is_zero():
    for n in range(N):
        figure = disclosure().figure(Count(n, n * 7), equality=True)
        assert figure.hidden and str(figure) == "fewer than 10"


def test_other_equality_counts_are_rounded_to_a_multiple_of_5_never_more_than_4_away():
    for n in range(N, 200):
        figure = disclosure().figure(Count(n, n * 31), equality=True)
        assert figure.rounded and figure.shown % 5 == 0 and abs(figure.shown - n) < 5


def test_the_same_group_of_people_always_gets_the_same_figure_and_another_group_a_fresh_draw():
    one = disclosure().figure(Count(12, 4_321), equality=True)
    assert all(disclosure().figure(Count(12, 4_321), equality=True) == one for _ in range(20))
    draws = {disclosure().figure(Count(12, ids), equality=True).shown for ids in range(1_000, 1_400)}
    assert draws == {10, 15}


def test_rounding_is_unbiased_so_averaging_many_groups_does_not_drift():
    shown = [disclosure().figure(Count(12, ids), equality=True).shown for ids in range(20_000)]
    assert sum(shown) / len(shown) == pytest.approx(12, abs=0.1)


def test_figures_that_are_not_about_equality_are_exact_unless_an_equality_answer_filters_the_view():
    assert disclosure().figure(Count(3, 9)) == Figure(3, N)
    assert disclosure(protect_all=True).figure(Count(3, 9)).hidden


def test_percentages_come_from_the_shown_figures_and_only_over_a_large_enough_whole():
    exact = disclosure().figure(Count(3, 9), base=Figure(12, N))
    assert exact.percent == 25.0
    small_base = disclosure().figure(Count(12, 99), equality=True, base=Figure(20, N, rounded=True))
    assert small_base.percent is None
    large = disclosure().figure(Count(30, 99), equality=True, base=Figure(60, N, rounded=True))
    assert large.percent == 50.0
    assert disclosure().figure(Count(64, 1), equality=True, base=Figure(60, N, rounded=True)).percent <= 100


def test_statistics_of_a_small_equality_group_are_withheld_and_extremes_never_shown():
    table = [(value, Count(1, value)) for value in range(1, 8)]
    assert disclosure().statistics(table, equality=True).withheld
    assert disclosure().statistics(table, equality=True).buckets == []
    large = [(value, Count(3, value)) for value in range(1, 8)]
    stats = disclosure().statistics(large, equality=True)
    assert not stats.withheld and stats.mean == 4 and stats.minimum is None and stats.maximum is None
    assert all(figure.hidden for _, figure in stats.buckets)  # three answers in each bucket
    plain = disclosure().statistics(large)
    assert (plain.minimum, plain.maximum) == (1, 7)


# The property test


@dataclass
class Checked:
    figures: int = 0
    tables: int = 0
    hidden_cells_bounded: int = 0


def make_random_survey(rng: random.Random, partnership, number: int):
    survey = make_survey(make_consultation(partnership, f"Survey {number}", slug=f"survey-{number}"))
    views = survey.sections.create(title="Your views", order=1)
    make_question(views, "agree", K.AGREEMENT, required=rng.random() < 0.5)
    make_question(views, "topics", K.MULTIPLE_CHOICE, allow_other=True, choices=["Access", "Cost", "Staff"])
    make_question(views, "visits", K.NUMBER, min_value=0, max_value=20)
    make_question(views, "comment", K.LONG_TEXT, max_length=200)
    about = survey.sections.create(title="About you", order=2, is_about_you=True)
    bands = [f"Band {band}" for band in range(rng.randint(2, 7))]
    make_question(about, "age", K.SINGLE_CHOICE, choices=bands, required=rng.random() < 0.3)
    make_question(about, "sex", K.SINGLE_CHOICE, choices=["Female", "Male", "Prefer not to say"])
    make_question(about, "household", K.NUMBER, min_value=1, max_value=9)
    make_question(about, "borough", K.BOROUGH)
    return survey


def respond_randomly(rng: random.Random, survey, count: int) -> None:
    questions = {q.identifier: q for q in survey.questions.prefetch_related("choices")}

    def pick(identifier: str, skew: float = 2.0) -> str:
        choices = [choice.value for choice in questions[identifier].choices.all()]
        weights = [rng.random() ** skew for _ in choices]  # some answers rare, some common
        return rng.choices(choices, weights)[0]

    for _ in range(count):
        answers = {}
        for identifier in ["agree", "age", "sex", "borough"]:
            if questions[identifier].required or rng.random() < 0.85:
                answers[identifier] = pick(identifier)
        if rng.random() < 0.7:
            answers["topics"] = rng.sample(["access", "cost", "staff", "other"], rng.randint(1, 2))
            if "other" in answers["topics"]:
                answers["topics__other"] = "Parking"
        if rng.random() < 0.7:
            answers["visits"] = rng.randint(0, 20)
        if rng.random() < 0.6:
            answers["household"] = rng.randint(1, 9)
        if rng.random() < 0.5:
            answers["comment"] = rng.choice(["Waiting times", "Parking at the hospital", "Kind staff"])
        channel = rng.choice([Response.Channel.ONLINE] * 4 + [Response.Channel.PAPER, Response.Channel.EVENT])
        response = respond(survey, channel=channel, held_because="honeypot" if rng.random() < 0.05 else "", **answers)
        days_ago = rng.randint(0, 4)
        Response.objects.filter(pk=response.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=days_ago))
    # The send dates were moved back above, behind the site's back: count them again.
    recount(survey)
    comment = questions["comment"]
    theme = Theme.objects.create(question=comment, name="Waiting")
    theme.answers.set(answer for answer in Answer.objects.filter(question=comment) if rng.random() < 0.5)


def filters_for(rng: random.Random, survey) -> list[str]:
    questions = {q.identifier: q for q in survey.questions.prefetch_related("choices")}
    age, sex, agree = questions["age"], questions["sex"], questions["agree"]
    two_days_ago = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    queries = ["", "channel=online", f"from={two_days_ago}", f"answer={agree.pk}:agree"]
    queries += [f"answer={age.pk}:{choice.value}" for choice in age.choices.all()]
    queries += [f"answer={sex.pk}:male&channel=paper", f"answer={sex.pk}:female&to={two_days_ago}"]
    queries.append(f"answer={agree.pk}:agree&answer={age.pk}:{rng.choice(list(age.choices.all())).value}")
    return queries


class Truth:
    """The true counts for a view, worked out in Python from the rows (not by the code under test)."""

    def __init__(self, survey, response_filter: ResponseFilter, structure):
        responses = list(response_filter.responses().values("id", "channel", "submitted_at"))
        self.ids = {r["id"] for r in responses}
        self.total = len(responses)
        self.channels = Counter(r["channel"] for r in responses)
        self.days = Counter(timezone.localdate(r["submitted_at"]) for r in responses)
        answers = list(
            Answer.objects.filter(response_id__in=self.ids).values(
                "response_id", "question_id", "choice_id", "number", "text", "choice__is_other"
            )
        )
        self.choice = Counter((a["question_id"], a["choice_id"]) for a in answers)
        self.answered = {q: len(rs) for q, rs in _responses_by(answers, "question_id").items()}
        section_of = {q.pk: section.pk for section, qs in structure for q in qs}
        in_section = defaultdict(set)
        for a in answers:
            in_section[section_of[a["question_id"]]].add(a["response_id"])
        self.completed = {}
        for section, qs in structure:
            required = any(q.required for q in qs)
            self.completed[section.pk] = self.total if required else len(in_section[section.pk])
        self.numbers = Counter(a["question_id"] for a in answers if a["number"] is not None)
        self.others = Counter(a["question_id"] for a in answers if a["choice__is_other"] and a["text"])
        self.themes = {
            theme.pk: theme.answers.filter(response_id__in=self.ids).count()
            for theme in Theme.objects.filter(question__survey=survey)
        }


def _responses_by(answers, key: str) -> dict:
    grouped = defaultdict(set)
    for answer in answers:
        grouped[answer[key]].add(answer["response_id"])
    return grouped


def check(figure: Figure, true: int, protected: bool, checked: Checked) -> None:
    checked.figures += 1
    if not protected:
        assert figure.shown == true and not figure.rounded
        return
    if true < N:
        assert figure.hidden, f"a group of {true} was shown as {figure}"
        return
    assert figure.rounded and figure.shown % 5 == 0 and abs(figure.shown - true) < 5, (figure, true)
    if figure.percent is not None:
        assert 0 <= figure.percent <= 100


def bounds(figure: Figure) -> tuple[int, int]:
    """What someone reading the figure knows of the true value."""
    if figure.hidden:
        return 0, N - 1
    if figure.rounded:
        return max(N, figure.shown - 4), figure.shown + 4
    return figure.shown, figure.shown


def check_cannot_be_worked_out(cells: list[tuple[Figure, int]], total: Figure, checked: Checked) -> None:
    """Cells that add up to ``total``: no hidden cell may be pinned to one value from the others."""
    checked.tables += 1
    total_low, total_high = bounds(total)
    for index, (figure, true) in enumerate(cells):
        if not figure.hidden:
            continue
        others = [bounds(other) for position, (other, _) in enumerate(cells) if position != index]
        low = max(0, total_low - sum(high for _, high in others))
        high = min(N - 1, total_high - sum(low for low, _ in others))
        assert low <= true <= high
        assert low < high, f"a hidden cell is exactly {low}, from the figures beside it"
        checked.hidden_cells_bounded += 1


def check_view(survey, structure, query: str, checked: Checked) -> None:
    questions = structure.questions
    response_filter = ResponseFilter.from_query(survey, QueryDict(query), questions)
    dashboard = build_dashboard(survey, response_filter, structure, other_texts=True)
    truth = Truth(survey, response_filter, structure)
    protect_all = response_filter.uses_equality_answers(questions)
    assert dashboard.protect_all == protect_all

    check(dashboard.total, truth.total, protect_all, checked)
    values_of = {label: value for value, label in Response.Channel.choices}
    channel_cells = [(figure, truth.channels[values_of[label]]) for label, figure in dashboard.by_channel]
    day_cells = [(figure, truth.days[day]) for day, figure in dashboard.per_day]
    for figure, true in channel_cells + day_cells:
        check(figure, true, protect_all, checked)
    if protect_all:
        # Rows that appeared only when someone was in them would say "at least one".
        assert [label for label, _ in dashboard.by_channel] == list(values_of)
        assert dashboard.per_day == []
        check_cannot_be_worked_out(channel_cells, dashboard.total, checked)

    for section in dashboard.sections:
        equality = section.section.is_about_you
        check(section.completed, truth.completed[section.section.pk], protect_all or equality, checked)
        for summary in section.questions:
            question, protected = summary.question, protect_all or equality
            assert summary.protected == protected
            check(summary.answered, truth.answered.get(question.pk, 0), protected, checked)
            cells = []
            for row in summary.choices:
                true = truth.choice[(question.pk, row.choice.pk)]
                check(row.count, true, protected, checked)
                cells.append((row.count, true))
            if protected and cells and question.kind != K.MULTIPLE_CHOICE:
                check_cannot_be_worked_out(cells, summary.answered, checked)
            if question.kind == K.NUMBER:
                check(summary.numbers.count, truth.numbers[question.pk], protected, checked)
                if protected:
                    assert summary.numbers.minimum is None and summary.numbers.maximum is None
                if summary.numbers.withheld:
                    assert summary.numbers.buckets == []
                for _, figure in summary.numbers.buckets:
                    assert figure.hidden or figure.rounded == protected
            if question.allow_other:
                check(summary.other_count, truth.others[question.pk], protected, checked)
            if equality:
                assert summary.other_answers == []
            for theme, figure in summary.themes:
                check(figure, truth.themes[theme.pk], protected, checked)

    # The summary export holds exactly the dashboard's figures, as shown.
    exported = {(row[1], row[2]): row[3] for row in summary_rows(dashboard, "") if len(row) == 5}
    for section in dashboard.sections:
        for summary in section.questions:
            assert exported[(summary.question.text, "Answered by")] == str(summary.answered)
            for row in summary.choices:
                assert exported[(summary.question.text, row.choice.label)] == str(row.count)


@pytest.mark.django_db
def test_no_figure_reveals_a_small_equality_group_directly_or_by_subtraction(greenwich):
    rng = random.Random(20261202)
    checked = Checked()
    views = 0
    for number in range(8):
        survey = make_random_survey(rng, greenwich, number)
        respond_randomly(rng, survey, rng.choice([6, 15, 30, 60, 90]))
        structure = read_structure(survey)
        for query in filters_for(rng, survey):
            check_view(survey, structure, query, checked)
            views += 1
        # The public results page: the same module, the same figures; hidden answers never listed.
        key_questions = [q.pk for q in structure.questions.values() if q.is_choice]
        figures = key_figures(survey, key_question_ids=key_questions)
        dashboard = build_dashboard(survey, ResponseFilter(survey=survey), structure)
        shown = {row.count for s in dashboard.sections for q in s.questions for row in q.choices}
        for item in figures.questions:
            assert all(row.count in shown and not row.count.hidden for row in item.top)
    print(f"\nproperty test: 8 surveys, {views} views, {checked.figures} figures, {checked.tables} tables, "
          f"{checked.hidden_cells_bounded} hidden cells bounded")  # fmt: skip
    assert views >= 8 * 10 and checked.figures > 3_000 and checked.hidden_cells_bounded > 100


def test_a_protected_histogram_never_shows_the_lowest_or_highest_answer_in_its_labels():
    table = [(value, Count(4, value)) for value in (3, 17, 29, 47)]
    stats = disclosure().statistics(table, equality=True)
    labels = [label for label, _ in stats.buckets]
    assert labels[0].startswith("0 to") and labels[-1].endswith("to 49")
    assert not any(str(value) in label.split() for label in labels for value in (3, 47))
    bounded = disclosure().statistics(table, equality=True, bounds=(1, 60))
    assert bounded.buckets[0][0].startswith("1 to") and bounded.buckets[-1][0].endswith("60")
    exact = disclosure().statistics(table)  # not equality data: the real range
    assert exact.buckets[0][0].startswith("3 to") and exact.buckets[-1][0].endswith("47")
