"""Atom feeds of news and event write-ups, for the whole site and for each partnership."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from news.models import NewsItem
from news.views import public_partnerships
from partnerships.models import Partnership

FEED_SIZE = 20


class NewsFeed(Feed):
    feed_type = Atom1Feed
    title = f"News and events – {settings.SITE_NAME}"
    subtitle = "News from South East London's health and care partnerships, and write-ups of their events."
    author_name = settings.SITE_NAME

    def link(self) -> str:
        return reverse("news:list")

    def feed_url(self) -> str:
        return reverse("news:feed")

    def items(self):
        return NewsItem.objects.public().prefetch_related(public_partnerships())[:FEED_SIZE]

    def item_title(self, item: NewsItem) -> str:
        return item.title

    def item_description(self, item: NewsItem) -> str:
        return item.summary

    def item_pubdate(self, item: NewsItem) -> datetime.datetime:
        # The day the news is about, at midnight UK time (the feed needs a time; the page shows only the date).
        return timezone.make_aware(datetime.datetime.combine(item.date, datetime.time()))

    def item_updateddate(self, item: NewsItem) -> datetime.datetime:
        return item.updated_at

    def item_author_name(self, item: NewsItem) -> str:
        return ", ".join(partnership.name for partnership in item.shown_partnerships) or settings.SITE_NAME

    def item_categories(self, item: NewsItem) -> list[str]:
        return [item.get_kind_display()]


class PartnershipNewsFeed(NewsFeed):
    def get_object(self, request, partnership_slug: str) -> Partnership:
        # Feeds are public only: no previews of a draft partnership.
        return get_object_or_404(Partnership.objects.public(), slug=partnership_slug)

    def title(self, partnership: Partnership) -> str:
        return f"News and events – {partnership.name}"

    def subtitle(self, partnership: Partnership) -> str:
        return f"News from {partnership.name}, and write-ups of its events."

    def author_name(self, partnership: Partnership) -> str:
        return partnership.name

    def link(self, partnership: Partnership) -> str:
        return reverse("news:partnership-news", kwargs={"partnership_slug": partnership.slug})

    def feed_url(self, partnership: Partnership) -> str:
        return reverse("news:partnership-feed", kwargs={"partnership_slug": partnership.slug})

    def items(self, partnership: Partnership):
        items = NewsItem.objects.published().filter(partnerships=partnership)
        return items.prefetch_related(public_partnerships())[:FEED_SIZE]
