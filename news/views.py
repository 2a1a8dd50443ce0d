from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control

from common.page_cache import cache_public_page
from news import ics
from news.images import CONTENT_TYPES, rendition_filename
from news.models import Event, NewsItem, Photo
from partnerships.access import get_partnership_or_404, get_visible_or_404
from partnerships.models import Partnership

PAGE_SIZE = 10


def public_partnerships() -> Prefetch:
    """The partnerships an item is listed under: only published ones are named in public."""
    return Prefetch("partnerships", Partnership.objects.public().only("name", "slug"), to_attr="shown_partnerships")


def _news_listing(request: HttpRequest, items, *, partnership=None) -> HttpResponse:
    page = Paginator(items.prefetch_related(public_partnerships()), PAGE_SIZE).get_page(request.GET.get("page"))
    if partnership:
        feed_url = reverse("news:partnership-feed", kwargs={"partnership_slug": partnership.slug})
        events_url = reverse("news:partnership-events", kwargs={"partnership_slug": partnership.slug})
    else:
        feed_url, events_url = reverse("news:feed"), reverse("news:events")
    return render(
        request,
        "news/newsitem_list.html",
        {
            "page": page,
            "partnership": partnership,
            "feed_url": feed_url,
            "events_url": events_url,
            "is_preview": partnership is not None and partnership.is_preview,
            "breadcrumbs": _partnership_crumbs(partnership),
        },
    )


def _partnership_crumbs(partnership) -> list[tuple[str, str]]:
    crumbs = [("Home", reverse("website:home"))]
    if partnership:
        crumbs.append((partnership.name, partnership.get_absolute_url()))
    return crumbs


@cache_public_page
def news_list(request: HttpRequest) -> HttpResponse:
    return _news_listing(request, NewsItem.objects.public())


@cache_public_page
def partnership_news(request: HttpRequest, partnership_slug: str) -> HttpResponse:
    partnership = get_partnership_or_404(request, partnership_slug)
    return _news_listing(
        request, NewsItem.objects.published().filter(partnerships=partnership), partnership=partnership
    )


def _get_item_or_404(request: HttpRequest, slug: str, queryset=None) -> NewsItem:
    """The item if the public may see it, or an editor of one of its partnerships is previewing it."""
    if queryset is None:
        queryset = NewsItem.objects.prefetch_related("partnerships")
    item = get_visible_or_404(request, queryset, slug=slug)
    item.shown_partnerships = _shown_partnerships(item)
    return item


def _shown_partnerships(item) -> list[Partnership]:
    """The partnerships to name on the page: in a preview all of them, in public only the public ones."""
    return [p for p in item.partnerships.all() if p.is_public or item.is_preview]


@cache_public_page
def news_item(request: HttpRequest, slug: str) -> HttpResponse:
    queryset = NewsItem.objects.prefetch_related("partnerships", "workshops", "issues_raised", "quotes", "photos")
    item = _get_item_or_404(request, slug, queryset)
    return render(
        request,
        "news/newsitem_detail.html",
        {"item": item, "photos": item.photos.all(), "is_preview": item.is_preview},
    )


def news_image(request: HttpRequest, slug: str, filename: str) -> FileResponse:
    """A resized copy of a lead image or photo, under the same rules as its page. Originals have no URL."""
    item = _get_item_or_404(request, slug)
    renditions = [item.lead_image_renditions, *Photo.objects.filter(item=item).values_list("renditions", flat=True)]
    for rendition in (file for r in renditions for file in (r or {}).get("files", [])):
        if rendition_filename(rendition["name"]) == filename:
            break
    else:
        raise Http404("No such image")
    storage = NewsItem._meta.get_field("lead_image").storage
    response = FileResponse(storage.open(rendition["name"], "rb"), content_type=CONTENT_TYPES[rendition["format"]])
    # A new upload gets new file names, so a public copy never changes: cache it for a year.
    if item.is_preview:
        patch_cache_control(response, private=True, no_store=True)
    else:
        patch_cache_control(response, public=True, max_age=365 * 24 * 60 * 60, immutable=True)
    return response


def _event_listing(request: HttpRequest, events, *, partnership=None) -> HttpResponse:
    page = Paginator(events.prefetch_related(public_partnerships()), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "news/event_list.html",
        {
            "page": page,
            "partnership": partnership,
            "is_preview": partnership is not None and partnership.is_preview,
            "breadcrumbs": _partnership_crumbs(partnership),
        },
    )


@cache_public_page
def upcoming_events(request: HttpRequest) -> HttpResponse:
    return _event_listing(request, Event.objects.public().upcoming())


@cache_public_page
def partnership_events(request: HttpRequest, partnership_slug: str) -> HttpResponse:
    partnership = get_partnership_or_404(request, partnership_slug)
    events = Event.objects.published().filter(partnerships=partnership).upcoming()
    return _event_listing(request, events, partnership=partnership)


@cache_public_page
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_visible_or_404(request, Event.objects.prefetch_related("partnerships"), slug=slug)
    return render(
        request,
        "news/event_detail.html",
        {
            "event": event,
            "partnerships": _shown_partnerships(event),
            "is_preview": event.is_preview,
            "breadcrumbs": [("Home", reverse("website:home")), ("Upcoming events", reverse("news:events"))],
        },
    )


def event_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_visible_or_404(request, Event.objects.prefetch_related("partnerships"), slug=slug)
    page_url = request.build_absolute_uri(event.get_absolute_url())
    description = "\n\n".join(
        part
        for part in [
            event.description.strip(),
            f"How to book: {event.how_to_book.strip()}",
            f"Booking link: {event.booking_url}" if event.booking_url else "",
            f"Accessibility: {event.accessibility.strip()}" if event.accessibility.strip() else "",
            f"Details: {page_url}",
        ]
        if part
    )
    body = ics.calendar(
        uid=f"event-{event.pk}@{request.get_host().split(':')[0]}",
        stamp=event.updated_at,
        starts=event.starts_at,
        ends=event.ends_at,
        summary=event.title,
        location=event.location,
        description=description,
        url=page_url,
        product=settings.SITE_NAME,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    if event.is_preview:
        patch_cache_control(response, private=True, no_store=True)
    return response
