"""A survey's shape: its sections (pages) with their questions and choices, read in three queries.

The one reader used by the resident's journey, reporting, the admin and outcomes.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property

from surveys.models import Question, Section, Survey


@dataclass
class SurveyStructure:
    survey: Survey
    sections: list[tuple[Section, list[Question]]]

    def __iter__(self) -> Iterator[tuple[Section, list[Question]]]:
        return iter(self.sections)

    @cached_property
    def questions(self) -> dict[int, Question]:
        """Every question by id, in survey order."""
        return {question.pk: question for _, questions in self.sections for question in questions}

    def only(self, keep: Callable[[Section, Question], bool]) -> "SurveyStructure":
        """The same survey with only the questions ``keep`` accepts (sections left empty are dropped)."""
        sections = []
        for section, questions in self.sections:
            kept = [question for question in questions if keep(section, question)]
            if kept:
                sections.append((section, kept))
        return SurveyStructure(self.survey, sections)


def read_structure(survey: Survey) -> SurveyStructure:
    sections = list(survey.sections.all())
    questions = list(
        Question.objects.filter(survey=survey)
        .select_related("show_if_choice")
        .prefetch_related("choices")
        .order_by("section__order", "section_id", "order", "pk")
    )
    by_section: dict[int, list[Question]] = {section.pk: [] for section in sections}
    for question in questions:
        by_section[question.section_id].append(question)
    # Each question knows its section without another query (reporting reads is_about_you from it).
    sections_by_id = {section.pk: section for section in sections}
    for question in questions:
        question.section = sections_by_id[question.section_id]
    return SurveyStructure(survey, [(section, by_section[section.pk]) for section in sections])
