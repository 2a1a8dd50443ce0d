"""Responses stored one row per answer, built for counting in SQL.

Every choice-type answer (including agreement scales, ratings, yes/no and borough) points at a
Choice row, so a question's summary is one GROUP BY over (question, choice).
"""

import secrets

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.db.models import Q
from django.utils import timezone

from surveys.models.questionnaire import Choice, Question, Survey

# Letters and numbers without look-alikes (no 0/O, 1/I/L).
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 10


def new_reference() -> str:
    """Ten characters from an alphabet without look-alikes: about 48 bits, so they cannot be guessed."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


class ResponseQuerySet(models.QuerySet):
    def accepted(self):
        """The responses that count in figures: not held for review, not rejected."""
        return self.filter(status=Response.Status.ACCEPTED)


class Response(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", "Online"
        PAPER = "paper", "Paper form"
        EVENT = "event", "At an event"
        EMAIL = "email", "By email"

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        HELD = "held", "Held for review"
        REJECTED = "rejected", "Rejected"

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    reference = models.CharField(max_length=10, unique=True, default=new_reference, editable=False)
    submission_token = models.UUIDField(
        unique=True, null=True, blank=True, editable=False, help_text="Makes a resent form store one response."
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACCEPTED)
    held_because = models.CharField(max_length=200, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ResponseQuerySet.as_manager()

    partnership_path = "survey__consultation__partnership"

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["survey", "status", "submitted_at"], name="response_survey_status_time")]

    def __str__(self) -> str:
        return self.reference


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choice = models.ForeignKey(Choice, on_delete=models.PROTECT, null=True, blank=True, related_name="answers")
    text = models.TextField(blank=True)
    number = models.IntegerField(null=True, blank=True)
    date = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            # Covering indexes: filters find responses by their answers, and filtered dashboards read a
            # response's answers, from the index alone (no table rows) once autovacuum has been by.
            models.Index(fields=["question", "choice"], include=["response"], name="answer_question_choice"),
            models.Index(
                fields=["response", "question"], include=["choice", "number"], name="answer_response_question"
            ),
            GinIndex(SearchVector("text", config="english"), name="answer_text_search"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(choice__isnull=False) | ~Q(text="") | Q(number__isnull=False) | Q(date__isnull=False),
                name="answer_has_a_value",
            )
        ]

    def __str__(self) -> str:
        return f"{self.question.identifier}: {self.choice or self.text or self.number or self.date}"


class Theme(models.Model):
    """A theme staff see in the free-text answers to one question, such as "waiting times"."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=100)
    answers = models.ManyToManyField(Answer, blank=True, related_name="themes")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["question", "name"], name="theme_name_unique_in_question")]

    def __str__(self) -> str:
        return self.name


class SurveyDraft(models.Model):
    """What a resident has typed so far, between the survey's pages, until they send it.

    The browser's session holds only a random token; its SHA-256 finds the draft. A draft goes
    when the answers are sent, when the consultation closes, and ``SURVEY_ANSWERS_KEPT_DAYS``
    after its last page was saved (``prune_survey_drafts``; the journey ignores older ones too).
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="drafts")
    token_hash = models.CharField(max_length=64, unique=True)
    # The raw form data of each page, spam flags, when it was started and the submission token.
    state = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"Draft {self.pk} of {self.survey}"
