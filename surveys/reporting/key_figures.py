"""The figures in a consultation's "What we heard", counted live from its survey by the dashboard's code.

Going through ``build_dashboard`` and ``disclosure`` means the public page counts exactly what staff
see (held and rejected responses never count), and "About you" figures are rounded and small ones
hidden, exactly as on the dashboard.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from django.db.models import Count as CountOf
from django.db.models import Min, Q, Sum
from django.db.models.functions import Lower

from surveys.kinds import FREE_TEXT_KINDS
from surveys.models import Response, Survey, Theme
from surveys.reporting.dashboard import ChoiceRow, build_dashboard
from surveys.reporting.disclosure import Count, Disclosure, Figure
from surveys.reporting.filters import ResponseFilter
from surveys.structure import read_structure

TOP_ANSWERS = 3
THEMES_SHOWN = 8


@dataclass
class TopAnswer:
    label: str
    count: Figure


@dataclass
class QuestionFigures:
    text: str
    answered: Figure
    top: list[TopAnswer]
    # Rounded and with small numbers hidden: the page says so.
    protected: bool
    has_hidden: bool


@dataclass
class ThemeCount:
    name: str
    count: Figure


@dataclass
class KeyFigures:
    """Plain data, already through disclosure control: it can be stored as JSON and shown later."""

    responses: Figure
    questions: list[QuestionFigures] = field(default_factory=list)
    themes: list[ThemeCount] = field(default_factory=list)

    def as_record(self) -> dict:
        return asdict(self)

    @classmethod
    def from_record(cls, record: dict) -> "KeyFigures":
        return cls(
            responses=Figure(**record["responses"]),
            questions=[
                QuestionFigures(
                    text=item["text"],
                    answered=Figure(**item["answered"]),
                    top=[TopAnswer(row["label"], Figure(**row["count"])) for row in item["top"]],
                    protected=item["protected"],
                    has_hidden=item["has_hidden"],
                )
                for item in record["questions"]
            ],
            themes=[ThemeCount(theme["name"], Figure(**theme["count"])) for theme in record["themes"]],
        )


def key_figures(survey: Survey, *, key_question_ids: Iterable[int]) -> KeyFigures:
    """Responses counted, the top answers to the chosen questions and the main free-text themes.

    The number of queries depends on the survey's shape, not on its number of responses.
    """
    chosen = set(key_question_ids)
    structure = read_structure(survey).only(lambda section, question: question.pk in chosen and question.is_choice)
    dashboard = build_dashboard(survey, ResponseFilter(survey=survey), structure)
    figures = KeyFigures(responses=dashboard.total)
    for section in dashboard.sections:
        for summary in section.questions:
            figures.questions.append(
                QuestionFigures(
                    text=summary.question.text,
                    answered=summary.answered,
                    top=_top_answers(summary.choices),
                    protected=summary.protected,
                    has_hidden=summary.answered.hidden or any(row.count.hidden for row in summary.choices),
                )
            )
    figures.themes = _main_themes(survey)
    return figures


def _top_answers(rows: list[ChoiceRow]) -> list[TopAnswer]:
    """The most chosen answers, as shown. Hidden ("fewer than 10") ones are never listed: their place
    in the order would hint at their size."""
    shown = [row for row in rows if not row.count.hidden and row.count.shown]
    shown.sort(key=lambda row: -row.count.shown)
    return [TopAnswer(row.choice.label, row.count) for row in shown[:TOP_ANSWERS]]


def _main_themes(survey: Survey) -> list[ThemeCount]:
    """Themes staff tagged in free-text answers outside "About you", most mentioned first.

    The same theme name in two questions is one theme, mentioned in both questions' answers.
    """
    disclosure = Disclosure.for_view(filtered_on_equality=False)
    counted = Q(answers__response__status=Response.Status.ACCEPTED)
    rows = (
        Theme.objects.filter(
            question__survey=survey, question__kind__in=FREE_TEXT_KINDS, question__section__is_about_you=False
        )
        .annotate(key=Lower("name"))
        .values("key")
        .annotate(
            name=Min("name"), n=CountOf("answers", filter=counted), ids=Sum("answers__response_id", filter=counted)
        )
        .order_by()
    )
    themes = [ThemeCount(row["name"], disclosure.figure(Count(row["n"], int(row["ids"] or 0)))) for row in rows]
    themes = [theme for theme in themes if theme.count.shown]
    return sorted(themes, key=lambda theme: (-theme.count.shown, theme.name.casefold()))[:THEMES_SHOWN]
