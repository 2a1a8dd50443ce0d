from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_cache_control

from news import ics
from news.images import CONTENT_TYPES, rendition_filename
from news.models import Event, NewsItem, Photo
from partnerships.access import editable_partnerships
from partnerships.models import Partnership
from partnerships.views import get_partnership_or_404

PAGE_SIZE = 10


def can_preview(request: HttpRequest, partnerships) -> bool:
    """Editors of any of the item's partnerships may see it before it is public."""
    ids = [partnership.pk for partnership in partnerships]
    return bool(ids) and editable_partnerships(request.user).filter(pk__in=ids).exists()


def public_partnerships() -> Prefetch:
    """The partnerships an item is listed under: only published ones are named in public."""
    return Prefetch("partnerships", Partnership.objects.published().only("name", "slug"), to_attr="shown_partnerships")


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
            "is_preview": partnership is not None and not partnership.is_published,
            "breadcrumbs": _partnership_crumbs(partnership),
        },
    )


def _partnership_crumbs(partnership) -> list[tuple[str, str]]:
    crumbs = [("Home", reverse("partnerships:home"))]
    if partnership:
        crumbs.append((partnership.name, partnership.get_absolute_url()))
    return crumbs


def news_list(request: HttpRequest) -> HttpResponse:
    return _news_listing(request, NewsItem.objects.public())


def partnership_news(request: HttpRequest, partnership_slug: str) -> HttpResponse:
    partnership = get_partnership_or_404(request, partnership_slug)
    return _news_listing(
        request, NewsItem.objects.published().filter(partnerships=partnership), partnership=partnership
    )


def _get_item_or_404(request: HttpRequest, slug: str, queryset=None) -> NewsItem:
    """The item if the public may see it, or an editor of one of its partnerships is previewing it."""
    if queryset is None:
        queryset = NewsItem.objects.prefetch_related("partnerships")
    item = get_object_or_404(queryset, slug=slug)
    partnerships = item.partnerships.all()
    item.is_preview = not item.is_public(partnerships)
    if item.is_preview and not can_preview(request, partnerships):
        raise Http404("No such news item")
    item.shown_partnerships = [p for p in partnerships if p.is_published or item.is_preview]
    return item


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
            "is_preview": partnership is not None and not partnership.is_published,
            "breadcrumbs": _partnership_crumbs(partnership),
        },
    )


def upcoming_events(request: HttpRequest) -> HttpResponse:
    return _event_listing(request, Event.objects.public().upcoming())


def partnership_events(request: HttpRequest, partnership_slug: str) -> HttpResponse:
    partnership = get_partnership_or_404(request, partnership_slug)
    events = Event.objects.published().filter(partnerships=partnership).upcoming()
    return _event_listing(request, events, partnership=partnership)


def _get_event_or_404(request: HttpRequest, slug: str) -> tuple[Event, list[Partnership], bool]:
    event = get_object_or_404(Event.objects.prefetch_related("partnerships"), slug=slug)
    partnerships = list(event.partnerships.all())
    is_preview = not event.is_public(partnerships)
    if is_preview and not can_preview(request, partnerships):
        raise Http404("No such event")
    return event, [p for p in partnerships if p.is_published or is_preview], is_preview


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event, partnerships, is_preview = _get_event_or_404(request, slug)
    return render(
        request,
        "news/event_detail.html",
        {
            "event": event,
            "partnerships": partnerships,
            "is_preview": is_preview,
            "breadcrumbs": [("Home", reverse("partnerships:home")), ("Upcoming events", reverse("news:events"))],
        },
    )


def event_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    event, _, is_preview = _get_event_or_404(request, slug)
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
    if is_preview:
        patch_cache_control(response, private=True, no_store=True)
    return response
