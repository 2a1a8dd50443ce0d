from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from common.documents import UploadedDocument
from common.publishing import PlaceholderMixin, Publishable, PublishableQuerySet
from common.richtext import RichTextField
from common.search import search_document, search_index
from partnerships.models import Partnership, Plan


class ConsultationQuerySet(PublishableQuerySet):
    def open(self, now=None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)

    def forthcoming(self, now=None):
        return self.filter(opens_at__gt=now or timezone.now())

    def closed(self, now=None):
        return self.filter(closes_at__lte=now or timezone.now())


class Consultation(PlaceholderMixin, Publishable):
    class State(models.TextChoices):
        FORTHCOMING = "forthcoming", "Forthcoming"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        RESULTS_PUBLISHED = "results_published", "Results published"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="consultations")
    plan = models.ForeignKey(
        Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="consultations",
        help_text="The plan this consultation asks about, if any.",
    )  # fmt: skip
    title = models.CharField(max_length=200)
    slug = models.SlugField(help_text="Used in the page address; unique within the partnership.")
    summary = models.CharField(max_length=300, help_text="One or two plain sentences, shown in lists.")
    body = RichTextField(blank=True)
    audience = models.CharField(
        "who it is for", max_length=300, help_text="For example, “Everyone who lives or works in Greenwich”."
    )
    how_responses_are_used = models.TextField(help_text="What will happen to people's answers, in plain words.")
    opens_at = models.DateTimeField("opens", help_text="UK time.")
    closes_at = models.DateTimeField("closes", help_text="UK time. Answers are not accepted from this moment.")
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    search_document = search_document("title", "summary", "body", "audience")

    objects = ConsultationQuerySet.as_manager()

    published_with = ("partnership",)
    partnership_path = "partnership"

    class Meta:
        ordering = ["closes_at", "title"]
        indexes = [search_index("consultation")]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="consultation_slug_unique_in_partnership")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "consultations:detail",
            kwargs={"partnership_slug": self.partnership.slug, "consultation_slug": self.slug},
        )

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "The closing date must be after the opening date"})
        if self.plan_id and self.partnership_id and self.plan.partnership_id != self.partnership_id:
            raise ValidationError({"plan": "Choose a plan of the same partnership"})

    def state(self, now=None) -> "Consultation.State":
        """Worked out from the dates, and once closed from the outcome.

        A closed consultation reads its outcome: list views select_related("outcome") so that
        this costs no query per consultation.
        """
        now = now or timezone.now()
        if now < self.opens_at:
            return self.State.FORTHCOMING
        if now < self.closes_at:
            return self.State.OPEN
        if self.published_outcome is not None:
            return self.State.RESULTS_PUBLISHED
        return self.State.CLOSED

    @property
    def has_closed(self) -> bool:
        return self.state() in {self.State.CLOSED, self.State.RESULTS_PUBLISHED}

    @property
    def published_outcome(self) -> "Outcome | None":
        try:
            outcome = self.outcome
        except ObjectDoesNotExist:
            return None
        return outcome if outcome.is_published else None

    @property
    def is_open(self) -> bool:
        return self.state() == self.State.OPEN

    @property
    def contact_email_or_partnership(self) -> str:
        """Where messages about this consultation go: its own contact, its partnership's, or the site's inbox."""
        return self.contact_email or self.partnership.inbox


class ConsultationDocument(UploadedDocument):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="documents")
    kind = ""

    published_with = ("consultation",)
    partnership_path = "consultation__partnership"

    class Meta(UploadedDocument.Meta):
        pass

    def get_absolute_url(self) -> str:
        return reverse("consultations:document", kwargs={"pk": self.pk, "filename": self.filename})

    def upload_folder(self) -> str:
        return f"consultation-documents/{self.consultation.partnership.slug}"


class DiscussionRequest(models.Model):
    """A community group asking the partnership to hold a discussion about a consultation."""

    class GroupSize(models.TextChoices):
        UNDER_10 = "under_10", "Fewer than 10 people"
        FROM_10_TO_25 = "10_25", "10 to 25 people"
        FROM_26_TO_50 = "26_50", "26 to 50 people"
        OVER_50 = "over_50", "More than 50 people"

    class Format(models.TextChoices):
        ONLINE = "online", "Online (video call)"
        PHONE = "phone", "Phone or conference call"
        IN_PERSON = "in_person", "In person, at one of our meetings"

    class Status(models.TextChoices):
        NEW = "new", "New"
        ARRANGED = "arranged", "Arranged"
        DECLINED = "declined", "Not possible"

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="discussion_requests")
    group_name = models.CharField(max_length=200)
    contact_name = models.CharField(max_length=200)
    email = models.EmailField()
    group_size = models.CharField(max_length=10, choices=GroupSize.choices)
    preferred_format = models.CharField(max_length=10, choices=Format.choices)
    preferred_dates = models.TextField(max_length=500)
    message = models.TextField(max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    staff_notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    partnership_path = "consultation__partnership"

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.group_name} ({self.created_at:%d %b %Y})"


class Outcome(PlaceholderMixin, Publishable):
    """What we heard and what we did: published once the consultation has closed."""

    consultation = models.OneToOneField(Consultation, on_delete=models.CASCADE, related_name="outcome")
    what_we_heard = RichTextField(
        "what we heard",
        help_text="A plain summary of what people told us. The number of responses, the top answers to the "
        "questions chosen below and the main themes in what people wrote are added from the survey.",
    )
    key_questions = models.ManyToManyField(
        "surveys.Question",
        blank=True,
        related_name="+",
        verbose_name="key figure questions",
        help_text="Questions whose top answers are shown with counts and percentages, counted live from the "
        "survey. Small numbers in “About you” questions are shown as “fewer than 10”.",
    )
    what_we_did = RichTextField("what we did", blank=True, help_text="An introduction to the actions below (optional).")
    # The key figures as they were when last saved as published, already through disclosure control:
    # the results page shows these, so erasing the responses later (retention) does not change it.
    frozen_figures = models.JSONField(null=True, blank=True, editable=False)
    figures_as_at = models.DateTimeField(null=True, blank=True, editable=False)

    published_with = ("consultation",)
    partnership_path = "consultation__partnership"

    class Meta:
        ordering = ["-publish_at"]

    def __str__(self) -> str:
        return f"Outcome: {self.consultation.title}"

    def get_absolute_url(self) -> str:
        return self.consultation.get_absolute_url() + "#what-we-heard"

    def clean(self) -> None:
        if self.publication_status != self.Status.PUBLISHED or not self.consultation_id:
            return
        closes_at = timezone.localtime(self.consultation.closes_at)
        if timezone.now() < closes_at:
            when = f"{closes_at:%-d %B %Y} at {closes_at:%-I:%M%p}".replace("AM", "am").replace("PM", "pm")
            message = (
                f"You can publish the outcome once the consultation has closed, on {when}. Until then, keep it a draft."
            )
            raise ValidationError({"publication_status": message})


class OutcomeAction(models.Model):
    """One thing done (or to be done) because of what people said."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=200, help_text="For example, “Evening GP appointments in every area”.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    date = models.DateField(help_text="When it is planned for, was started or was done.")
    note = models.TextField(blank=True, help_text="Plain words on what this means for people.")
    order = models.PositiveSmallIntegerField(default=0)

    partnership_path = "outcome__consultation__partnership"

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class SubscriptionQuerySet(models.QuerySet):
    def active(self):
        """Confirmed by clicking the link, and not unsubscribed since."""
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


class Subscription(models.Model):
    """An email address to tell when a consultation's outcome is published.

    Kept apart from survey responses on purpose: nothing here refers to a response, so an
    address can never be matched to what someone answered.
    """

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="subscriptions")
    # Emptied as soon as the person unsubscribes; the row itself goes after 30 days (prune_subscriptions).
    email = models.EmailField(max_length=254, null=True)
    # The token in the confirmation email (confirm and unsubscribe links); replaced each time one is sent.
    token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    requested_at = models.DateTimeField(default=timezone.now, help_text="When the address last asked to subscribe.")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consultation", "email"], name="one_subscription_per_address"),
        ]

    def __str__(self) -> str:
        return f"Subscription {self.pk} to {self.consultation_id}"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class OutcomeNotification(models.Model):
    """One subscriber told of one outcome. The unique pair is what makes the email go once only."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="notifications")
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="notifications")
    # The token in this email's unsubscribe links.
    token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "outcome"], name="one_notification_per_outcome"),
        ]

    def __str__(self) -> str:
        return f"Notification {self.pk}"
