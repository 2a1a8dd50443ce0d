"""Dashboard and export filters, read from the query string so a filtered view can be shared.

``?from=2026-01-01&to=2026-01-31&channel=online&answer=<question id>:<choice value>`` (``answer`` may
repeat; answers to the same question are alternatives, answers to different questions all apply).
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from surveys.models import Answer, Question, Response, Survey


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight in UK time, as dates on the dashboard are UK dates."""
    return datetime.datetime.combine(day, datetime.time.min, timezone.get_default_timezone())


@dataclass
class ActiveFilter:
    """One applied filter, as a removable tag: its words and the query string without it."""

    label: str
    remove_query: str


@dataclass
class ResponseFilter:
    survey: Survey
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    channels: list[str] = field(default_factory=list)
    answers: dict[int, list[str]] = field(default_factory=dict)  # question id -> choice values
    choice_ids: dict[int, list[int]] = field(default_factory=dict)  # the same choices, by id
    problems: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, survey: Survey, query: QueryDict, questions: dict[int, Question]) -> "ResponseFilter":
        result = cls(survey=survey)
        result.date_from = result._date(query.get("from"), "start date")
        result.date_to = result._date(query.get("to"), "end date")
        result.channels = [c for c in query.getlist("channel") if c in Response.Channel.values]
        for item in query.getlist("answer"):
            question_id, _, value = item.partition(":")
            question = questions.get(int(question_id)) if question_id.isdigit() else None
            choice = next((c for c in question.choices.all() if c.value == value), None) if question else None
            if choice is None:
                result.problems.append(f"Ignored an answer filter that does not match this survey ({item})")
                continue
            result.answers.setdefault(question.pk, []).append(value)
            result.choice_ids.setdefault(question.pk, []).append(choice.pk)
        return result

    def _date(self, raw: str | None, name: str) -> datetime.date | None:
        if not raw:
            return None
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError:
            self.problems.append(f"Ignored the {name}: enter it as year-month-day, like 2026-03-31")
            return None

    def responses(self) -> QuerySet[Response]:
        """Counted responses matching every filter (held and rejected ones never count)."""
        responses = Response.objects.accepted().filter(survey=self.survey)
        if self.date_from:
            responses = responses.filter(submitted_at__gte=start_of_day(self.date_from))
        if self.date_to:
            responses = responses.filter(submitted_at__lt=start_of_day(self.date_to + datetime.timedelta(days=1)))
        if self.channels:
            responses = responses.filter(channel__in=self.channels)
        for question_id, choice_ids in self.choice_ids.items():
            # An IN over the (question, choice) index: a hash semi-join, far cheaper than EXISTS per response.
            chosen = Answer.objects.filter(question_id=question_id, choice_id__in=choice_ids).values("response_id")
            responses = responses.filter(pk__in=chosen)
        return responses

    def uses_equality_answers(self, questions: dict[int, Question]) -> bool:
        """Whether an "About you" answer is among the filters: every figure then describes that group."""
        return any(questions[qid].section.is_about_you for qid in self.answers if qid in questions)

    def without_equality_answers(self, questions: dict[int, Question]) -> str:
        """The query string with the "About you" answer filters taken out."""
        equality = {qid for qid in self.answers if qid in questions and questions[qid].section.is_about_you}
        kept = {qid: values for qid, values in self.answers.items() if qid not in equality}
        return ResponseFilter(
            survey=self.survey, date_from=self.date_from, date_to=self.date_to, channels=self.channels, answers=kept
        ).as_query()

    @property
    def is_active(self) -> bool:
        return bool(self.date_from or self.date_to or self.channels or self.answers)

    def as_query(self, **without) -> str:
        pairs = []
        if self.date_from and "from" not in without:
            pairs.append(("from", self.date_from.isoformat()))
        if self.date_to and "to" not in without:
            pairs.append(("to", self.date_to.isoformat()))
        pairs += [("channel", c) for c in self.channels if c != without.get("channel")]
        for question_id, values in self.answers.items():
            pairs += [("answer", f"{question_id}:{v}") for v in values if (question_id, v) != without.get("answer")]
        return urlencode(pairs)

    def as_record(self) -> dict:
        """The filters as stored with an export and printed in its header."""
        return {
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "channels": self.channels,
            "answers": {str(k): v for k, v in self.answers.items()},
        }

    def tags(self, questions: dict[int, Question]) -> list[ActiveFilter]:
        tags = []
        if self.date_from:
            tags.append(ActiveFilter(f"From {self.date_from:%-d %B %Y}", self.as_query(**{"from": True})))
        if self.date_to:
            tags.append(ActiveFilter(f"To {self.date_to:%-d %B %Y}", self.as_query(to=True)))
        channel_labels = dict(Response.Channel.choices)
        tags += [ActiveFilter(f"Channel: {channel_labels[c]}", self.as_query(channel=c)) for c in self.channels]
        return tags + [tag for _, tag in self.answer_tags(questions)]

    def answer_tags(self, questions: dict[int, Question]) -> list[tuple[int, ActiveFilter]]:
        """A tag per answer filter, with the id of its question."""
        tags = []
        for question_id, values in self.answers.items():
            question = questions[question_id]
            labels = {c.value: c.label for c in question.choices.all()}
            for value in values:
                remove = self.as_query(answer=(question_id, value))
                tags.append((question_id, ActiveFilter(f"“{question.text}”: {labels[value]}", remove)))
        return tags

    def describe(self, questions: dict[int, Question]) -> str:
        return "; ".join(tag.label for tag in self.tags(questions)) or "None (all responses)"
