"""A resident's way through a survey: which pages they see, and what they typed so far.

What they typed is kept in a SurveyDraft row (the raw form data of each page, so every page can
be shown again exactly as typed and validated again, on the server, before the response is
stored). Their session holds only the draft's random token, then the reference once they send.
A draft is gone once the answers are sent, once the consultation closes, and
``SURVEY_ANSWERS_KEPT_DAYS`` after its last page was saved.
"""

import datetime
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import QueryDict
from django.utils import timezone

from common.tokens import hash_token, new_token
from surveys.forms import SectionForm
from surveys.models import Question, Section, Survey, SurveyDraft
from surveys.structure import SurveyStructure, read_structure


def drafts_kept_since() -> datetime.datetime:
    """Drafts last saved before this are gone."""
    return timezone.now() - datetime.timedelta(days=settings.SURVEY_ANSWERS_KEPT_DAYS)


def discard_answers(session: SessionBase, survey: Survey) -> None:
    """Forget what this browser typed into ``survey`` (its consultation has closed)."""
    key = f"survey-{survey.pk}"
    token = (session.get(key) or {}).get("draft")
    if token:
        SurveyDraft.objects.filter(token_hash=hash_token(token)).delete()
        del session[key]


def has_kept_answers(session: SessionBase) -> bool:
    """Whether this browser has answers kept between pages of any survey (for pages that must not
    promise answers are saved when they are not)."""
    tokens = [value.get("draft") for key, value in session.items() if key.startswith("survey-") and value]
    hashes = [hash_token(token) for token in tokens if token]
    return (
        SurveyDraft.objects.filter(token_hash__in=hashes, updated_at__gte=drafts_kept_since())
        .exclude(state__pages={})
        .exists()
    )


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
        self.draft = self._find_draft()
        self.state = self.draft.state if self.draft else {}

    def _find_draft(self) -> SurveyDraft | None:
        token = (self.session.get(self.key) or {}).get("draft")
        if not token:
            return None
        drafts = SurveyDraft.objects.filter(token_hash=hash_token(token), survey=self.survey)
        draft = drafts.filter(updated_at__gte=drafts_kept_since()).first()
        if draft is None:
            drafts.delete()  # kept too long: gone, as the privacy notice says
        return draft

    def start(self) -> None:
        if self.draft is None:
            token, token_hash = new_token()
            self.state = {"token": str(uuid.uuid4()), "started": time.time(), "pages": {}, "flags": []}
            self.draft = SurveyDraft.objects.create(survey=self.survey, token_hash=token_hash, state=self.state)
            self.session[self.key] = {"draft": token}

    def resume_at(self) -> Page | None:
        """The first page not yet answered, once some are: where "Continue where you left off" goes
        (None if nothing is kept, or every page is answered)."""
        if not self.state.get("pages"):
            return None
        return next((page for page in self.pages() if self.stored_data(page.section) is None), None)

    @property
    def has_answers(self) -> bool:
        return bool(self.state.get("pages"))

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
        if self.draft is not None and reason not in self.state.setdefault("flags", []):
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

    def store(self, section: Section, data: QueryDict, fields) -> None:
        """Keep what was posted for this page's ``fields`` (a form's fields, by name), except text
        longer than its field allows: that is shown back once with its error, never kept."""
        limits = {name: getattr(field, "max_length", None) for name, field in fields.items()}
        prefixes = tuple(limits)
        kept = {}
        for name in data:
            if not name.startswith(prefixes):
                continue
            values = data.getlist(name)
            limit = limits.get(name)
            if limit is not None and any(len(value) > limit for value in values):
                continue
            kept[name] = values
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
        """The answers are sent and stored as a response: what was typed goes."""
        if self.draft is not None:
            self.draft.delete()
            self.draft = None
        self.session[self.key] = {"submitted": reference}

    def _save(self) -> None:
        self.draft.state = self.state
        self.draft.updated_at = timezone.now()
        self.draft.save(update_fields=["state", "updated_at"])
