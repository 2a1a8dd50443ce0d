from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Partnership, PlaceholderMixin, Plan, Publishable, PublishableQuerySet, UploadedDocument
from partnerships.richtext import RichTextField


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

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["closes_at", "title"]
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
        now = now or timezone.now()
        if now < self.opens_at:
            return self.State.FORTHCOMING
        if now < self.closes_at:
            return self.State.OPEN
        return self.State.CLOSED

    @property
    def is_open(self) -> bool:
        return self.state() == self.State.OPEN

    @property
    def contact_email_or_partnership(self) -> str:
        return self.contact_email or self.partnership.contact_email


class ConsultationDocument(UploadedDocument):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="documents")
    kind = ""

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

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.group_name} ({self.created_at:%d %b %Y})"
