"""The figures in "What we heard", counted live from the survey through the dashboard's code.

Going through ``build_dashboard`` means the public page counts exactly what staff see (held and
rejected responses never count) and small numbers in "About you" questions stay suppressed.
"""

from dataclasses import dataclass, field

from consultations.models import Outcome
from surveys.dashboard import ChoiceRow, Figure, build_dashboard
from surveys.filters import ResponseFilter
from surveys.journey import survey_structure
from surveys.models import Question

TOP_ANSWERS = 3
THEMES_SHOWN = 8
FREE_TEXT_KINDS = {Question.Kind.SHORT_TEXT, Question.Kind.LONG_TEXT}


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


def key_figures(outcome: Outcome) -> KeyFigures | None:
    """Responses counted, the top answers to the chosen questions and the main free-text themes.

    None when the consultation has no online survey. The number of queries depends on the
    survey's shape, not on its number of responses.
    """
    survey = getattr(outcome.consultation, "survey", None)
    if survey is None:
        return None
    chosen = {question.pk for question in outcome.key_questions.all()}
    structure = []
    for section, questions in survey_structure(survey):
        # Only the questions shown here are counted; themes come from free text outside "About you".
        kept = [
            q
            for q in questions
            if (q.pk in chosen and q.is_choice) or (q.kind in FREE_TEXT_KINDS and not section.is_about_you)
        ]
        if kept:
            structure.append((section, kept))
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
