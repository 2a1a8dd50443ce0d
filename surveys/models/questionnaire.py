"""A survey as data: sections (pages) of typed questions and their choices, and the survey's privacy terms."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from common.dates import add_months
from common.publishing import BelongsToPublishable, PlaceholderMixin
from common.text import pluralise
from surveys.kinds import CHOICE_KINDS, STANDARD_CHOICE_KINDS, Kind, kind_of

MAX_RETENTION_MONTHS = 120


class LawfulBasis(models.TextChoices):
    PUBLIC_TASK = "public_task", "UK GDPR Article 6(1)(e): a task carried out in the public interest"
    CONSENT = "consent", "UK GDPR Article 6(1)(a): consent"


class EqualityCondition(models.TextChoices):
    EQUALITY_OF_OPPORTUNITY = (
        "equality",
        "UK GDPR Article 9(2)(g), substantial public interest, with the Data Protection Act 2018, "
        "Schedule 1, paragraph 8 (equality of opportunity or treatment)",
    )
    EXPLICIT_CONSENT = "explicit_consent", "UK GDPR Article 9(2)(a): explicit consent"


class Survey(PlaceholderMixin, BelongsToPublishable):
    """A consultation's online questionnaire. Public while its consultation is."""

    consultation = models.OneToOneField("consultations.Consultation", on_delete=models.CASCADE, related_name="survey")
    introduction = models.TextField(blank=True, help_text="Shown before the first question.")
    who_is_collecting = models.CharField(
        max_length=300, help_text="For example, “Healthier Greenwich Alliance (NHS South East London and the council)”."
    )
    why_collecting = models.TextField(help_text="Why we ask, and what we will do with the answers.")
    retention_months = models.PositiveSmallIntegerField(
        "keep answers for (months after the consultation closes)",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RETENTION_MONTHS)],
        help_text="Answers are deleted this many months after the consultation closes. The survey's start page "
        "and privacy notice say so.",
    )
    lawful_basis = models.CharField(max_length=20, choices=LawfulBasis.choices, default=LawfulBasis.PUBLIC_TASK)
    equality_condition = models.CharField(
        "condition for “About you” answers",
        max_length=20,
        choices=EqualityCondition.choices,
        default=EqualityCondition.EQUALITY_OF_OPPORTUNITY,
        help_text="The UK GDPR Article 9 condition for processing the equality-monitoring answers.",
    )
    data_controller = models.CharField(
        max_length=200,
        blank=True,
        help_text="The legal body responsible for the answers. Leave empty to use the partnership's.",
    )
    data_protection_contact = models.EmailField(
        "data protection officer's email",
        blank=True,
        help_text="Leave empty to use the partnership's.",
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
            ("erase_responses", "Can erase a response and produce one for a subject access request"),
        ]

    def __str__(self) -> str:
        return f"Survey: {self.consultation.title}"

    @property
    def has_responses(self) -> bool:
        return self.responses.exists()

    @property
    def erase_after(self) -> datetime.datetime:
        """When the answers are deleted: ``retention_months`` after the consultation closes."""
        return add_months(self.consultation.closes_at, self.retention_months)

    @property
    def retention_label(self) -> str:
        months = pluralise(self.retention_months, "month")
        return f"{months} after the consultation closes, then deleted ({self.erase_after:%-d %B %Y})"

    @property
    def controller(self) -> str:
        return self.data_controller or self.consultation.partnership.data_controller

    @property
    def protection_contact(self) -> str:
        return self.data_protection_contact or self.consultation.partnership.data_protection_contact


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
        return self.pk is not None and self.answers.exists()

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
