"""sitemap.xml and robots.txt: every public page, for search engines.

Only what the public can see is listed: published items of published partnerships. ``lastmod`` is
given where the model records when it last changed (news items and events); the other models have
no such date, and a wrong one is worse than none.
"""

import datetime

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from consultations.models import Consultation
from news.models import Event, NewsItem
from partnerships.models import Partnership, Plan


class StaticPagesSitemap(Sitemap):
    def items(self) -> list[str]:
        return [
            "website:home",
            "consultations:open",
            "consultations:forthcoming",
            "consultations:closed",
            "news:list",
            "news:events",
            "website:contact",
            "website:privacy",
            "website:accessibility",
            "surveys:withdraw",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class PartnershipSitemap(Sitemap):
    def items(self):
        return Partnership.objects.public().only("slug").order_by("display_order", "name")


class PartnershipSectionsSitemap(Sitemap):
    """Each partnership's own consultations, news and events pages."""

    sections = ("consultations:partnership", "news:partnership-news", "news:partnership-events")

    def items(self) -> list[tuple[str, str]]:
        slugs = Partnership.objects.public().order_by("display_order", "name").values_list("slug", flat=True)
        return [(slug, section) for slug in slugs for section in self.sections]

    def location(self, item: tuple[str, str]) -> str:
        slug, section = item
        return reverse(section, kwargs={"partnership_slug": slug})


class PartnershipPagesSitemap(Sitemap):
    """Pages addressed under their partnership (plans, consultations), in partnership order."""

    def __init__(self, model):
        self.model = model

    def items(self):
        return (
            self.model.objects.public()
            .select_related("partnership")
            .only("slug", "partnership__slug")
            .order_by("partnership__display_order", "partnership__name", "title")
        )


class NewsItemSitemap(Sitemap):
    def items(self):
        return NewsItem.objects.public().only("slug", "updated_at").order_by("-date", "-pk")

    def lastmod(self, item: NewsItem):
        return item.updated_at


class EventSitemap(Sitemap):
    def items(self):
        return Event.objects.public().only("slug", "updated_at").order_by("starts_at", "pk")

    def lastmod(self, item: Event):
        return item.updated_at


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "partnerships": PartnershipSitemap,
    "partnership-sections": PartnershipSectionsSitemap,
    "plans": PartnershipPagesSitemap(Plan),
    "consultations": PartnershipPagesSitemap(Consultation),
    "news": NewsItemSitemap,
    "events": EventSitemap,
}


@require_safe
def sitemap_xml(request: HttpRequest) -> HttpResponse:
    return sitemap(request, sitemaps=SITEMAPS)


@require_safe
@cache_control(max_age=60 * 60, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Everything public may be crawled; staff pages may not. The sitemap's address is absolute."""
    lines = [
        "User-agent: *",
        "Allow: /",
        "Disallow: /admin/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
@cache_control(max_age=24 * 60 * 60, public=True)
def security_txt(request: HttpRequest) -> HttpResponse:
    """RFC 9116: how to report a security problem. Not found until SECURITY_CONTACT is set."""
    contact = settings.SECURITY_CONTACT
    if not contact:
        raise Http404("No security contact is set")
    if "@" in contact and not contact.startswith(("mailto:", "https://")):
        contact = f"mailto:{contact}"
    expires = (timezone.now() + datetime.timedelta(days=365)).replace(microsecond=0)
    lines = [
        f"Contact: {contact}",
        f"Expires: {expires.isoformat()}",
        "Preferred-Languages: en",
        f"Canonical: {request.build_absolute_uri(reverse('security-txt'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
