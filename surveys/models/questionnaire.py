"""Surveys as data: sections (pages) of typed questions, and responses stored one row per answer.

The answer table is built for counting in SQL: every choice-type answer (including agreement
scales, ratings, yes/no and borough) points at a Choice row, so a question's summary is one
GROUP BY over (question, choice).
"""

import secrets

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from common.publishing import BelongsToPublishable, PlaceholderMixin
from surveys.kinds import CHOICE_KINDS, STANDARD_CHOICE_KINDS, Kind, kind_of


class Survey(PlaceholderMixin, BelongsToPublishable):
    """A consultation's online questionnaire. Public while its consultation is."""

    consultation = models.OneToOneField("consultations.Consultation", on_delete=models.CASCADE, related_name="survey")
    introduction = models.TextField(blank=True, help_text="Shown before the first question.")
    who_is_collecting = models.CharField(
        max_length=300, help_text="For example, “Healthier Greenwich Alliance (NHS South East London and the council)”."
    )
    why_collecting = models.TextField(help_text="Why we ask, and what we will do with the answers.")
    retention = models.CharField(
        "how long answers are kept", max_length=300, help_text="For example, “12 months after the consultation closes”."
    )
    minimum_seconds = models.PositiveSmallIntegerField(
        "minimum time to answer (seconds)",
        default=10,
        help_text="Responses sent faster than this are held for a member of staff to check.",
    )

    published_with = ("consultation",)
    partnership_path = "consultation__partnership"

    class Meta:
        permissions = [
            ("view_dashboard", "Can see response dashboards and download summaries"),
            ("view_individual_responses", "Can see individual responses (free text, postcodes, emails)"),
            ("export_equality_data", "Can export equality-monitoring (About you) answers"),
        ]

    def __str__(self) -> str:
        return f"Survey: {self.consultation.title}"

    @property
    def has_responses(self) -> bool:
        return self.responses.exists()


class Section(models.Model):
    partnership_path = "survey__consultation__partnership"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    is_about_you = models.BooleanField(
        "equality monitoring (“About you”)",
        default=False,
        help_text="Answers in this section are only ever shown in aggregate.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class Question(PlaceholderMixin):
    Kind = Kind
    CHOICE_KINDS = CHOICE_KINDS
    STANDARD_CHOICE_KINDS = STANDARD_CHOICE_KINDS

    partnership_path = "survey__consultation__partnership"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions", editable=False)
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    identifier = models.SlugField(
        max_length=60,
        help_text="A short name for the question, used as its column in exports. Unique within the survey.",
    )
    text = models.CharField("question", max_length=500)
    hint = models.CharField(max_length=500, blank=True)
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    required = models.BooleanField(default=False)
    max_length = models.PositiveIntegerField(
        "character limit", null=True, blank=True, help_text="Long text: the most characters accepted."
    )
    max_choices = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Several choices: the most a person may tick (empty for no limit)."
    )
    min_value = models.IntegerField(null=True, blank=True, help_text="Whole number: the smallest accepted.")
    max_value = models.IntegerField(null=True, blank=True, help_text="Whole number: the largest accepted.")
    rating_scale = models.PositiveSmallIntegerField(
        default=5, help_text="Rating: the highest score (from 1). Changing it after responses is refused."
    )
    allow_other = models.BooleanField(
        "offer “Other, please specify”", default=False, help_text="One or several choices only."
    )
    email_purpose = models.CharField(
        max_length=300,
        blank=True,
        help_text="Email: exactly why we ask, e.g. “so we can tell you what we heard”. Required for email questions.",
    )
    show_if_choice = models.ForeignKey(
        "Choice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conditional_questions",
        help_text="Only ask this question when an earlier question was answered with this choice.",
    )

    class Meta:
        ordering = ["section__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "identifier"], name="question_identifier_unique_in_survey")
        ]

    def __str__(self) -> str:
        return self.text

    def save(self, *args, **kwargs) -> None:
        self.survey_id = self.section.survey_id
        super().save(*args, **kwargs)
        if self.kind in STANDARD_CHOICE_KINDS:
            self.ensure_standard_choices()
        if self.allow_other and self.kind in {self.Kind.SINGLE_CHOICE, self.Kind.MULTIPLE_CHOICE}:
            self.choices.get_or_create(is_other=True, defaults={"label": "Other", "value": "other", "order": 999})

    def clean(self) -> None:
        errors = {}
        if self.kind == self.Kind.EMAIL:
            if not self.email_purpose.strip():
                errors["email_purpose"] = "Say why you are asking for an email address"
            if self.required:
                errors["required"] = "Email questions must be optional"
        if self.kind == self.Kind.LONG_TEXT and not self.max_length:
            errors["max_length"] = "Enter a character limit for long text"
        if self.min_value is not None and self.max_value is not None and self.min_value > self.max_value:
            errors["max_value"] = "The largest number must not be smaller than the smallest"
        if self.kind == self.Kind.RATING and not 2 <= self.rating_scale <= 10:
            errors["rating_scale"] = "A rating scale goes up to between 2 and 10"
        if self.pk:
            stored = Question.objects.filter(pk=self.pk).values("kind", "rating_scale").first()
            if stored and self.has_answers():
                if stored["kind"] != self.kind:
                    errors["kind"] = "This question already has answers, so its type cannot change"
                if stored["rating_scale"] != self.rating_scale:
                    errors["rating_scale"] = "This question already has answers, so its scale cannot change"
        if self.show_if_choice_id and self.section_id:
            condition = self.show_if_choice.question
            if condition.section.survey_id != self.section.survey_id:
                errors["show_if_choice"] = "Choose an answer to a question in the same survey"
            elif (condition.section.order, condition.order, condition.pk) >= (
                self.section.order,
                self.order,
                self.pk or 10**12,
            ):
                errors["show_if_choice"] = "Choose an answer to a question that comes before this one"
        if self.pk is None and self.section_id and self.section.survey.has_responses and self.required:
            errors["required"] = "The survey already has responses, so new questions must be optional"
        if errors:
            raise ValidationError(errors)

    def has_answers(self) -> bool:
        return self.pk is not None and Answer.objects.filter(question_id=self.pk).exists()

    def ensure_standard_choices(self) -> None:
        existing = set(self.choices.values_list("value", flat=True))
        Choice.objects.bulk_create(
            Choice(question=self, value=value, label=label, order=order)
            for order, (value, label) in enumerate(kind_of(self).standard_choices(self), start=1)
            if value not in existing
        )

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS


class Choice(models.Model):
    partnership_path = "question__survey__consultation__partnership"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    label = models.CharField(max_length=300)
    value = models.SlugField(max_length=60, help_text="A short stable name, used in exports and filters.")
    order = models.PositiveSmallIntegerField(default=0)
    is_other = models.BooleanField(
        "is “Other, please specify”", default=False, help_text="Choosing it asks the person to say what."
    )

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["question", "value"], name="choice_value_unique_in_question")]

    def __str__(self) -> str:
        return self.label


def new_reference() -> str:
    """Ten characters from an alphabet without look-alikes (no 0/O, 1/I/L): about 48 bits."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


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
            models.Index(fields=["question", "choice"], name="answer_question_choice"),
            models.Index(fields=["response", "question"], name="answer_response_question"),
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


class ExportRecord(models.Model):
    """Who read or downloaded which responses, when, with which filters: an audit trail for superusers."""

    class Kind(models.TextChoices):
        SUMMARY_CSV = "summary_csv", "Summary (CSV)"
        SUMMARY_XLSX = "summary_xlsx", "Summary (XLSX)"
        RESPONSES_CSV = "responses_csv", "Responses (CSV)"
        RESPONSES_XLSX = "responses_xlsx", "Responses (XLSX)"
        CODEBOOK_CSV = "codebook_csv", "Codebook (CSV)"
        FREE_TEXT = "free_text", "Free-text answers read"
        OTHER_ANSWERS = "other_answers", "“Other” answers read"
        RESPONSE = "response", "One response read"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="exports")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    filters = models.JSONField(default=dict, blank=True)
    includes_equality_data = models.BooleanField(default=False)
    rows = models.PositiveIntegerField(null=True, blank=True, help_text="Empty if the download was interrupted.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "record of access to responses"
        verbose_name_plural = "records of access to responses"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.survey} by {self.user} at {self.created_at:%d %b %Y %H:%M}"
