"""News items, event write-ups and upcoming engagement events, each shared by one or more partnerships."""

import datetime
import re
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import dateformat, timezone

from common.publishing import PlaceholderMixin, Publishable, PublishableQuerySet
from common.richtext import RichTextField
from common.search import search_document, search_index
from common.uploads import validate_image
from news.images import Picture, sync_renditions
from partnerships.models import Partnership

# /news/feed/ is the site's feed, so no item may take "feed" as its address.
RESERVED_NEWS_SLUGS = {"feed"}

ALT_TEXT_HELP = (
    "Describe what the image shows for people who cannot see it, for example “Residents talking around a "
    "table at the Deptford Lounge”."
)
ALT_TEXT_MISSING = "Describe the image in the alt text, for people who cannot see it"


def validate_news_slug(value: str) -> None:
    if value in RESERVED_NEWS_SLUGS:
        raise ValidationError("“%(slug)s” is used by another page: choose another", params={"slug": value})


def original_upload_path(instance, filename: str) -> str:
    """A random name: the original is never linked, and its name must not be guessable either."""
    extension = re.sub(r"[^a-z0-9]", "", filename.rsplit(".", 1)[-1].lower())[:5] if "." in filename else ""
    return f"news/originals/{uuid.uuid4().hex}.{extension or 'img'}"


def format_time(value: datetime.datetime) -> str:
    """UK time the NHS.UK way: 6pm, 6:30pm, midday, midnight."""
    local = timezone.localtime(value)
    if local.minute == 0 and local.hour in (0, 12):
        return "midnight" if local.hour == 0 else "midday"
    return dateformat.format(local, "g:ia" if local.minute else "ga").replace("a.m.", "am").replace("p.m.", "pm")


class SharedContent(PlaceholderMixin, Publishable):
    """Shared behaviour of news items and events: which partnerships they belong to, and who sees them."""

    # Subclasses declare ``partnerships``, a ManyToManyField to Partnership with their own related_name.
    updated_at = models.DateTimeField("last changed", auto_now=True)

    # Public while published and at least one of its partnerships is; editable by any of their editors.
    published_with = ("partnerships",)
    partnership_path = "partnerships"

    class Meta:
        abstract = True


class NewsItem(SharedContent):
    class Kind(models.TextChoices):
        NEWS = "news", "News"
        EVENT_WRITE_UP = "event_write_up", "Event write-up"

    class DatePrecision(models.TextChoices):
        DAY = "day", "Day (shown as 3 October 2018)"
        MONTH = "month", "Month only (shown as October 2018)"

    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.NEWS,
        help_text="An event write-up also has the venue, who opened it, workshops, issues raised and quotes.",
    )
    partnerships = models.ManyToManyField(
        Partnership,
        related_name="news_items",
        help_text="Every partnership this belongs to. It is listed on each one's news page and feed.",
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        validators=[validate_news_slug],
        help_text="Used in the page address, for example /news/winter-vaccinations/.",
    )
    date = models.DateField(
        default=timezone.localdate,
        help_text="The day the news is about; for an event write-up, the day the event was held. Newest first.",
    )
    date_precision = models.CharField(
        "show the date as",
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="If only the month is known, enter the 1st and choose “Month only”.",
    )
    summary = models.CharField(max_length=300, help_text="One or two plain sentences, shown in lists and feeds.")
    body = RichTextField(blank=True)
    lead_image = models.ImageField(
        upload_to=original_upload_path,
        blank=True,
        validators=[validate_image],
        help_text="Optional. A JPEG, PNG or WebP image, at most 10 MB. The site shows resized copies.",
    )
    lead_image_alt = models.CharField("lead image alt text", max_length=250, blank=True, help_text=ALT_TEXT_HELP)
    lead_image_renditions = models.JSONField(default=dict, blank=True, editable=False)

    venue_name = models.CharField(max_length=200, blank=True, help_text="Event write-ups: where it was held.")
    venue_address = models.TextField(blank=True)
    opened_by_name = models.CharField(
        "opened by", max_length=200, blank=True, help_text="For example, “Councillor Chris Best”."
    )
    opened_by_role = models.CharField(
        "their role", max_length=300, blank=True, help_text="For example, “Deputy Mayor”."
    )
    workshops_introduction = models.CharField(
        max_length=300, blank=True, help_text="Shown above the list of workshops, for example “Guests joined…”."
    )
    issues_introduction = models.CharField(
        max_length=300, blank=True, help_text="Shown above the issues raised, for example “Here are some of…”."
    )
    next_steps = models.TextField(
        "what happens next",
        blank=True,
        help_text="What the partnership will do with what it heard, and when. Shown under “What happens next”.",
    )
    gallery_title = models.CharField(
        max_length=200, blank=True, help_text="Heading above the photos. “Photos” if left empty."
    )
    notes = models.TextField(blank=True, help_text="Shown at the end, such as a footnote explaining a name.")
    search_document = search_document("title", "summary", "body", "next_steps")

    class Meta:
        ordering = ["-date", "-publish_at", "-pk"]
        indexes = [search_index("newsitem")]
        verbose_name = "news item or event write-up"
        verbose_name_plural = "news items and event write-ups"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news:item", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors = {}
        if self.lead_image and not self.lead_image_alt.strip():
            errors["lead_image_alt"] = ALT_TEXT_MISSING
        if self.kind == self.Kind.EVENT_WRITE_UP and not self.venue_name.strip():
            errors["venue_name"] = "Enter where the event was held"
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        sync_renditions(self, "lead_image", "lead_image_renditions")

    @property
    def is_event_write_up(self) -> bool:
        return self.kind == self.Kind.EVENT_WRITE_UP

    @property
    def date_label(self) -> str:
        return dateformat.format(self.date, "F Y" if self.date_precision == self.DatePrecision.MONTH else "j F Y")

    def image_url(self, filename: str) -> str:
        return reverse("news:image", kwargs={"slug": self.slug, "filename": filename})

    @property
    def lead_picture(self) -> Picture:
        return Picture(self.lead_image_renditions or {}, self.lead_image_alt, self.image_url)


class Workshop(models.Model):
    item = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="workshops")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class IssueRaised(models.Model):
    item = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="issues_raised")
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "issue raised"
        verbose_name_plural = "issues raised"

    def __str__(self) -> str:
        return self.text[:80]


class Quote(models.Model):
    item = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField(help_text="The words only: the page adds the quotation marks.")
    speaker_name = models.CharField("who said it", max_length=200)
    speaker_role = models.CharField("their role", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.speaker_name}: {self.text[:60]}"


class Photo(models.Model):
    item = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        upload_to=original_upload_path,
        validators=[validate_image],
        help_text="A JPEG, PNG or WebP image, at most 10 MB. The site shows resized copies, never this file.",
    )
    alt_text = models.CharField(max_length=250, help_text=ALT_TEXT_HELP, error_messages={"blank": ALT_TEXT_MISSING})
    caption = models.CharField(max_length=300, blank=True, help_text="Optional. Shown under the photo.")
    order = models.PositiveSmallIntegerField(default=0)
    renditions = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.alt_text

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        sync_renditions(self, "image", "renditions")

    @property
    def picture(self) -> Picture:
        return Picture(self.renditions or {}, self.alt_text, self.item.image_url)


class EventQuerySet(PublishableQuerySet):
    def upcoming(self, now=None):
        """Not yet finished (an event under way is still listed), soonest first."""
        return self.filter(ends_at__gt=now or timezone.now()).order_by("starts_at", "title")


class Event(SharedContent):
    """An engagement event people can come to, with how to book."""

    class Attendance(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"

    partnerships = models.ManyToManyField(
        Partnership,
        related_name="events",
        help_text="Every partnership holding the event. It is listed on each one's events page.",
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=100, unique=True, help_text="Used in the page address, for example /events/talk-in-deptford/."
    )
    starts_at = models.DateTimeField("starts", help_text="UK time.")
    ends_at = models.DateTimeField("ends", help_text="UK time.")
    attendance = models.CharField(max_length=10, choices=Attendance.choices, default=Attendance.IN_PERSON)
    venue_name = models.CharField(max_length=200, blank=True, help_text="Needed for an event in person.")
    address = models.TextField(blank=True, help_text="Including the postcode.")
    description = models.TextField(help_text="What the event is about and who it is for, in plain words.")
    how_to_book = models.TextField(
        help_text="For example, “Book a place by phone on 020 …, or just come along”. For online events, say "
        "how people get the joining link."
    )
    booking_url = models.URLField("booking link", blank=True)
    accessibility = models.TextField(
        "accessibility information",
        blank=True,
        help_text="Step-free access, accessible toilets, hearing loop, interpreters, how to ask for adjustments.",
    )

    search_document = search_document("title", "description", "venue_name", "address")

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "title"]
        indexes = [search_index("event")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news:event", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "The end must be after the start"
        if self.attendance == self.Attendance.IN_PERSON and not self.venue_name.strip():
            errors["venue_name"] = "Enter where the event is held, or choose “Online”"
        if errors:
            raise ValidationError(errors)

    @property
    def is_online(self) -> bool:
        return self.attendance == self.Attendance.ONLINE

    @property
    def location(self) -> str:
        """One line, as calendars show it."""
        if self.is_online:
            return "Online"
        parts = [self.venue_name, *(line.strip(" ,") for line in self.address.splitlines())]
        return ", ".join(part for part in parts if part)

    @property
    def when(self) -> str:
        """For example “Tuesday 3 March 2026, 6pm to 8pm” (UK time)."""
        starts, ends = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        day = dateformat.format(starts, "l j F Y")
        if starts.date() == ends.date():
            return f"{day}, {format_time(starts)} to {format_time(ends)}"
        return f"{day}, {format_time(starts)} to {dateformat.format(ends, 'l j F Y')}, {format_time(ends)}"

    def has_finished(self, now=None) -> bool:
        return self.ends_at <= (now or timezone.now())
