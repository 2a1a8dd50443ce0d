"""A resident's way through a survey: which pages they see, and what they typed, kept in their session.

The session keeps the raw form data of each page, so every page can be shown again exactly as
typed and every page is validated again, on the server, before the response is stored.
"""

import time
import uuid
from dataclasses import dataclass

from django.contrib.sessions.backends.base import SessionBase
from django.http import QueryDict

from surveys.forms import SectionForm
from surveys.models import Question, Section, Survey
from surveys.structure import SurveyStructure, read_structure


@dataclass
class Page:
    number: int
    section: Section
    questions: list[Question]


class Journey:
    def __init__(self, session: SessionBase, survey: Survey, structure: SurveyStructure | None = None):
        self.session = session
        self.survey = survey
        self.key = f"survey-{survey.pk}"
        self.structure = structure if structure is not None else read_structure(survey)
        self.state = session.get(self.key) or {}

    def start(self) -> None:
        if not self.state.get("token"):
            self.state = {"token": str(uuid.uuid4()), "started": time.time(), "pages": {}, "flags": []}
            self._save()

    @property
    def started(self) -> bool:
        return bool(self.state.get("token"))

    @property
    def token(self) -> uuid.UUID | None:
        return uuid.UUID(self.state["token"]) if self.started else None

    @property
    def seconds_taken(self) -> float:
        return time.time() - self.state.get("started", time.time())

    def flag(self, reason: str) -> None:
        if reason not in self.state.setdefault("flags", []):
            self.state["flags"].append(reason)
            self._save()

    @property
    def flags(self) -> list[str]:
        return list(self.state.get("flags", []))

    def stored_data(self, section: Section) -> QueryDict | None:
        raw = self.state.get("pages", {}).get(str(section.pk))
        if raw is None:
            return None
        data = QueryDict(mutable=True)
        for name, values in raw.items():
            data.setlist(name, values)
        return data

    def store(self, section: Section, data: QueryDict, field_names) -> None:
        prefixes = tuple(field_names)
        kept = {name: data.getlist(name) for name in data if name.startswith(prefixes)}
        self.state.setdefault("pages", {})[str(section.pk)] = kept
        self._save()

    def form_for(self, page: Page, data=None) -> SectionForm:
        return SectionForm(data if data is not None else self.stored_data(page.section), questions=page.questions)

    def pages(self) -> list[Page]:
        """The pages this person sees, given their answers so far (conditions on earlier pages)."""
        chosen: set[int] = set()
        pages = []
        for section, questions in self.structure:
            visible = [
                q for q in questions
                if q.show_if_choice_id is None
                or q.show_if_choice_id in chosen
                or q.show_if_choice.question_id in {other.pk for other in questions}
            ]  # fmt: skip
            if not visible:
                continue
            page = Page(number=len(pages) + 1, section=section, questions=visible)
            pages.append(page)
            chosen |= self._chosen_choice_ids(page)
        return pages

    def _chosen_choice_ids(self, page: Page) -> set[int]:
        data = self.stored_data(page.section)
        if data is None:
            return set()
        ids = set()
        for question in page.questions:
            if question.is_choice:
                values = set(data.getlist(question.identifier))
                ids |= {choice.pk for choice in question.choices.all() if choice.value in values}
        return ids

    def page(self, number: int) -> Page | None:
        pages = self.pages()
        return pages[number - 1] if 1 <= number <= len(pages) else None

    def validated_answers(self) -> tuple[dict, Page | None, list[tuple[Page, SectionForm]]]:
        """Validate every page again. Returns (answers, first page with a problem or None, pages with forms)."""
        answers: dict = {}
        checked = []
        for page in self.pages():
            data = self.stored_data(page.section)
            form = SectionForm(data, questions=page.questions)
            if data is None or not form.is_valid():
                return {}, page, checked
            answers.update(form.answers())
            checked.append((page, form))
        return answers, None, checked

    def finish(self, reference: str) -> None:
        self.session[self.key] = {"submitted": reference}

    def _save(self) -> None:
        self.session[self.key] = self.state
        self.session.modified = True
