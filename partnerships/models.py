from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

from common.documents import UploadedDocument
from common.publishing import PlaceholderMixin, Publishable
from common.richtext import RichTextField
from common.search import search_document, search_index

# Top-level addresses used by the site itself, which a partnership's slug must not take.
RESERVED_SLUGS = {
    "admin", "static", "media", "documents", "privacy", "accessibility", "contact", "consultations",
    "consultation-documents", "news", "events", "search", "feeds", "sitemap.xml", "robots.txt", "subscriptions",
    "withdraw-a-response", "healthz", "readyz",
}  # fmt: skip


def validate_partnership_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError("“%(slug)s” is used by another page: choose another", params={"slug": value})


class Borough(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Partnership(PlaceholderMixin, Publishable):
    class Kind(models.TextChoices):
        LOCAL_CARE_PARTNERSHIP = "local", "Local care partnership"
        STRATEGY = "strategy", "South East London strategy"

    class OperatingStatus(models.TextChoices):
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        STOOD_DOWN = "stood_down", "Stood down"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(unique=True, validators=[validate_partnership_slug])
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.LOCAL_CARE_PARTNERSHIP)
    borough = models.ForeignKey(
        Borough,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="local_partnerships",
        help_text="The borough a local care partnership serves.",
    )
    boroughs = models.ManyToManyField(
        Borough, blank=True, related_name="strategies", help_text="The boroughs a strategy covers."
    )
    summary = models.CharField(
        max_length=300, help_text="One or two plain sentences, shown on the home page and in search results."
    )
    about = RichTextField(blank=True)
    vision = models.TextField(blank=True)
    reports_into = models.CharField(max_length=200, blank=True, help_text="For example, the Health & Wellbeing Board.")
    established_on = models.DateField(null=True, blank=True)
    operating_status = models.CharField(max_length=12, choices=OperatingStatus.choices, default=OperatingStatus.ACTIVE)
    status_explanation = models.TextField(
        blank=True, help_text="Plain words on the current status, such as why the partnership was paused."
    )
    history = RichTextField(blank=True)
    priorities_introduction = models.TextField(blank=True)
    case_for_change_introduction = models.TextField(blank=True)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    website_url = models.URLField("website", blank=True)
    data_controller = models.CharField(
        max_length=200,
        blank=True,
        help_text="The legal body responsible for what residents tell this partnership, for example "
        "“NHS South East London Integrated Care Board”. Shown in every survey's privacy notice.",
    )
    data_protection_contact = models.EmailField(
        "data protection officer's email", blank=True, help_text="Where residents can ask about their data."
    )
    display_order = models.PositiveSmallIntegerField(default=0)
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="partnerships",
        help_text="Staff who may publish this partnership's content.",
    )

    search_document = search_document("name", "summary", "about", "vision", "history")

    partnership_path = ""  # see partnerships.access

    class Meta:
        ordering = ["display_order", "name"]
        indexes = [search_index("partnership")]

    def __str__(self) -> str:
        return self.name

    @property
    def inbox(self) -> str:
        """Where residents' messages to this partnership go: its contact email, or the site's inbox."""
        return self.contact_email or settings.SITE_CONTACT_EMAIL

    def get_absolute_url(self) -> str:
        return reverse("website:partnership", kwargs={"partnership_slug": self.slug})

    def clean(self) -> None:
        if self.kind == self.Kind.LOCAL_CARE_PARTNERSHIP and self.borough_id is None:
            raise ValidationError({"borough": "Choose the borough this local care partnership serves"})
        if self.operating_status != self.OperatingStatus.ACTIVE and not self.status_explanation.strip():
            raise ValidationError({"status_explanation": "Explain the status, so residents know what it means"})

    @property
    def is_strategy(self) -> bool:
        return self.kind == self.Kind.STRATEGY


class OrganisationQuerySet(models.QuerySet):
    def for_partnerships(self, partnerships):
        """Organisations that belong to any of these partnerships, plus ones not yet in any."""
        return self.filter(
            models.Q(memberships__partnership__in=partnerships) | models.Q(memberships__isnull=True)
        ).distinct()


class Organisation(models.Model):
    class Type(models.TextChoices):
        NHS_COMMISSIONER = "nhs_commissioner", "NHS commissioner"
        COUNCIL = "council", "Council"
        NHS_TRUST = "nhs_trust", "NHS trust"
        GP_FEDERATION = "gp_federation", "GP federation"
        PRIMARY_CARE_NETWORK = "pcn", "Primary care network"
        HEALTHWATCH = "healthwatch", "Healthwatch"
        VOLUNTARY_SECTOR = "voluntary", "Voluntary sector"
        PROFESSIONAL_BODY = "professional", "Professional representative body"
        NHS_ENGLAND = "nhs_england", "NHS England"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    organisation_type = models.CharField("type", max_length=20, choices=Type.choices)
    website_url = models.URLField("website", blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    partnership_path = "partnership"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(
        max_length=200, blank=True, help_text="For example, “Community Services and Mental Health provider”."
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "organisation"], name="one_membership_per_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.partnership}"


class Priority(models.Model):
    class Kind(models.TextChoices):
        AIM = "aim", "Aim"
        FOCUS_AREA = "focus_area", "Focus area"

    partnership_path = "partnership"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="priorities")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.AIM)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return self.title


class CaseForChangeIssue(models.Model):
    partnership_path = "partnership"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="case_for_change")
    text = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "case for change issue"

    def __str__(self) -> str:
        return self.text


class Plan(PlaceholderMixin, Publishable):
    class Stage(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        SUPERSEDED = "superseded", "Superseded"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="plans")
    title = models.CharField(max_length=200)
    slug = models.SlugField(help_text="Used in the page address; unique within the partnership.")
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.DRAFT)
    approved_on = models.DateField(null=True, blank=True)
    approving_bodies = models.ManyToManyField(Organisation, blank=True, related_name="approved_plans")
    superseded_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="supersedes"
    )
    summary = models.CharField(max_length=300, help_text="One or two plain sentences, shown in lists of plans.")
    executive_summary = RichTextField(blank=True)
    body = RichTextField(blank=True)
    search_document = search_document("title", "summary", "executive_summary", "body")

    published_with = ("partnership",)
    partnership_path = "partnership"

    class Meta:
        ordering = ["-publish_at", "title"]
        constraints = [models.UniqueConstraint(fields=["partnership", "slug"], name="plan_slug_unique_in_partnership")]
        indexes = [search_index("plan")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "website:plan",
            kwargs={"partnership_slug": self.partnership.slug, "plan_slug": self.slug},
        )

    def clean(self) -> None:
        if self.stage == self.Stage.APPROVED and self.approved_on is None:
            raise ValidationError({"approved_on": "Enter the date the plan was approved"})
        if self.stage == self.Stage.DRAFT and self.approved_on is not None:
            raise ValidationError({"approved_on": "A draft plan has no approval date: clear it or change the stage"})
        if self.superseded_by_id and self.superseded_by_id == self.pk:
            raise ValidationError({"superseded_by": "A plan cannot supersede itself"})


class PlanDocument(UploadedDocument):
    class Kind(models.TextChoices):
        FULL_PLAN = "full", "Full plan"
        SUMMARY = "summary", "Summary"
        EASY_READ = "easy_read", "Easy read"
        OTHER = "other", "Other"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=12, choices=Kind.choices)

    published_with = ("plan",)
    partnership_path = "plan__partnership"

    class Meta(UploadedDocument.Meta):
        pass

    def get_absolute_url(self) -> str:
        return reverse("partnerships:document", kwargs={"pk": self.pk, "filename": self.filename})

    def upload_folder(self) -> str:
        return f"plan-documents/{self.plan.partnership.slug}"


class Video(PlaceholderMixin):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="videos")
    plan = models.ForeignKey(
        Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="videos",
        help_text="Show the video on this plan's page instead of the partnership page.",
    )  # fmt: skip
    title = models.CharField(max_length=200)
    youtube_id = models.CharField(
        "YouTube video ID",
        max_length=20,
        blank=True,
        help_text="The part after “v=” in the video's YouTube address. Leave empty until the video is available.",
        validators=[
            RegexValidator(r"^[A-Za-z0-9_-]{11}$", "Enter the 11 letters, numbers, dashes or underscores after “v=”")
        ],
    )
    transcript = models.TextField(help_text="Everything said and shown, for people who cannot watch the video.")

    partnership_path = "partnership"

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.plan_id and self.partnership_id and self.plan.partnership_id != self.partnership_id:
            raise ValidationError({"plan": "Choose a plan of the same partnership"})

    @property
    def embed_url(self) -> str:
        return f"https://www.youtube-nocookie.com/embed/{self.youtube_id}?autoplay=1" if self.youtube_id else ""

    @property
    def watch_url(self) -> str:
        return f"https://www.youtube.com/watch?v={self.youtube_id}" if self.youtube_id else ""
