"""The figures in a consultation's "What we heard", counted live from its survey by the dashboard's code.

Going through ``build_dashboard`` means the public page counts exactly what staff see (held and
rejected responses never count) and small numbers in "About you" questions stay suppressed.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from surveys.kinds import Summary, kind_of
from surveys.models import Question, Survey
from surveys.reporting.dashboard import ChoiceRow, build_dashboard
from surveys.reporting.disclosure import Figure
from surveys.reporting.filters import ResponseFilter
from surveys.structure import read_structure

TOP_ANSWERS = 3
THEMES_SHOWN = 8


@dataclass
class QuestionFigures:
    question: Question
    answered: Figure
    top: list[ChoiceRow]

    @property
    def has_hidden(self) -> bool:
        return self.answered.hidden or any(row.count.hidden for row in self.top)


@dataclass
class ThemeCount:
    name: str
    count: int


@dataclass
class KeyFigures:
    responses: Figure
    questions: list[QuestionFigures] = field(default_factory=list)
    themes: list[ThemeCount] = field(default_factory=list)


def key_figures(survey: Survey, *, key_question_ids: Iterable[int]) -> KeyFigures:
    """Responses counted, the top answers to the chosen questions and the main free-text themes.

    The number of queries depends on the survey's shape, not on its number of responses.
    """
    chosen = set(key_question_ids)

    def shown_here(section, question: Question) -> bool:
        # Only the questions shown here are counted; themes come from free text outside "About you".
        if question.pk in chosen and question.is_choice:
            return True
        return kind_of(question).summary == Summary.FREE_TEXT and not section.is_about_you

    structure = read_structure(survey).only(shown_here)
    dashboard = build_dashboard(survey, ResponseFilter(survey=survey), structure)
    figures = KeyFigures(responses=dashboard.total)
    themes: dict[str, ThemeCount] = {}
    for section in dashboard.sections:
        for summary in section.questions:
            if summary.question.pk in chosen and summary.question.is_choice:
                figures.questions.append(
                    QuestionFigures(summary.question, summary.answered, _top_answers(summary.choices))
                )
            for theme, count in summary.themes:
                if count:
                    # The same theme in two questions is one theme, mentioned in both questions' answers.
                    entry = themes.setdefault(theme.name.casefold(), ThemeCount(theme.name, 0))
                    entry.count += count
    figures.themes = sorted(themes.values(), key=lambda theme: (-theme.count, theme.name.casefold()))[:THEMES_SHOWN]
    return figures


def _top_answers(rows: list[ChoiceRow]) -> list[ChoiceRow]:
    # Hidden ("fewer than 10") counts go last, so their order cannot hint at their size.
    shown = [row for row in rows if row.count.value]
    shown.sort(key=lambda row: (row.count.hidden, -row.count.value if not row.count.hidden else 0))
    return shown[:TOP_ANSWERS]
