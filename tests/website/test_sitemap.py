import datetime
import html
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains

from consultations.models import Consultation
from news.models import Event, NewsItem
from partnerships.models import Plan
from tests.factories import image_upload, make_consultation, make_event, make_item, make_partnership, make_plan

pytestmark = pytest.mark.django_db

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap_entries(client) -> dict[str, ET.Element]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 (our own output, in a test)
    assert root.tag == f"{{{SITEMAP_NS}}}urlset"
    return {url.findtext(f"{{{SITEMAP_NS}}}loc"): url for url in root.findall(f"{{{SITEMAP_NS}}}url")}


@pytest.fixture
def content(greenwich):
    """One published item of each kind, and the same kinds as drafts, future items and in a draft partnership."""
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    hidden = make_partnership("Hidden partnership", slug="hidden", publication_status="draft")
    make_partnership("Future partnership", slug="future", publish_at=tomorrow)
    make_plan(greenwich, "Public plan")
    make_plan(greenwich, "Draft plan", publication_status=Plan.Status.DRAFT)
    make_plan(greenwich, "Future plan", publish_at=tomorrow)
    make_plan(hidden, "Hidden plan")
    make_consultation(greenwich, "Public consultation")
    make_consultation(greenwich, "Draft consultation", publication_status=Consultation.Status.DRAFT)
    make_consultation(hidden, "Hidden consultation")
    make_item(greenwich, title="Public news")
    make_item(greenwich, title="Draft news", publication_status=NewsItem.Status.DRAFT)
    make_item(hidden, title="Hidden news")
    make_event(greenwich, title="Public event")
    make_event(greenwich, title="Future event", publish_at=tomorrow)
    make_event(hidden, title="Hidden event")
    return greenwich


def test_sitemap_lists_every_public_page_and_nothing_else(client, content):
    base = "http://testserver"
    assert set(sitemap_entries(client)) == {
        f"{base}{path}"
        for path in [
            "/",
            "/consultations/",
            "/consultations/coming-soon/",
            "/consultations/closed/",
            "/news/",
            "/events/",
            "/contact/",
            "/privacy/",
            "/accessibility/",
            "/withdraw-a-response/",
            "/greenwich/",
            "/greenwich/consultations/",
            "/greenwich/news/",
            "/greenwich/events/",
            "/greenwich/plans/public-plan/",
            "/greenwich/consultations/public-consultation/",
            "/news/public-news/",
            "/events/public-event/",
        ]
    }


def test_every_url_in_the_sitemap_is_a_page_that_loads(client, content):
    for url in sitemap_entries(client):
        assert client.get(url.removeprefix("http://testserver")).status_code == 200, url


def test_news_and_events_have_their_last_change_as_lastmod(client, content):
    entries = sitemap_entries(client)
    news = NewsItem.objects.get(slug="public-news")
    event = Event.objects.get(slug="public-event")
    lastmod = f"{{{SITEMAP_NS}}}lastmod"
    assert entries["http://testserver/news/public-news/"].findtext(lastmod) == news.updated_at.date().isoformat()
    assert entries["http://testserver/events/public-event/"].findtext(lastmod) == event.updated_at.date().isoformat()
    # Plans have no record of when they last changed: no date is better than a wrong one.
    assert entries["http://testserver/greenwich/plans/public-plan/"].find(lastmod) is None


def test_sitemap_uses_the_scheme_and_host_of_the_request(client, greenwich):
    response = client.get("/sitemap.xml", secure=True, headers={"host": "localhost"})
    assert b"<loc>https://localhost/greenwich/</loc>" in response.content


def test_sitemap_has_the_same_strict_policy_as_every_page(client, greenwich):
    policy = client.get("/sitemap.xml")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_sitemap_queries_stay_flat_as_content_grows(client, greenwich, django_assert_max_num_queries):
    for number in range(15):
        make_plan(greenwich, f"Plan {number}", slug=f"plan-{number}")
        make_consultation(greenwich, f"Consultation {number}", slug=f"consultation-{number}")
        make_item(greenwich, title=f"News {number}", slug=f"news-{number}")
        make_event(greenwich, title=f"Event {number}", slug=f"event-{number}")
    # For each of partnerships, plans, consultations, news and events: count, then the rows.
    # Then the partnerships again for their consultations, news and events pages.
    with django_assert_max_num_queries(11):
        entries = sitemap_entries(client)
    assert len(entries) == 10 + 4 + 4 * 15


def test_robots_txt_allows_the_public_site_and_points_at_the_sitemap(client):
    response = client.get("/robots.txt", secure=True, headers={"host": "localhost"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Allow: /",
        "Disallow: /admin/",
        "",
        "Sitemap: https://localhost/sitemap.xml",
    ]


def meta(response, attribute: str, name: str) -> str | None:
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', response.content.decode())
    return html.unescape(match.group(1)) if match else None


def test_a_plan_page_has_open_graph_tags_from_its_title_and_summary(client, greenwich):
    make_plan(greenwich, "Winter plan", summary="How we will keep people well & warm this winter.")
    response = client.get("/greenwich/plans/winter-plan/?utm=x")
    assertContains(response, "<title>Winter plan – Healthier Greenwich Alliance – South East London", html=False)
    assert meta(response, "name", "description") == "How we will keep people well & warm this winter."
    assert meta(response, "property", "og:title") == "Winter plan – Healthier Greenwich Alliance"
    assert meta(response, "property", "og:description") == "How we will keep people well & warm this winter."
    assert meta(response, "property", "og:type") == "website"
    assert meta(response, "property", "og:url") == "http://testserver/greenwich/plans/winter-plan/"
    assert meta(response, "property", "og:site_name") == "South East London health and care consultations"
    assert meta(response, "name", "twitter:card") == "summary"
    assert meta(response, "property", "og:image") is None


def test_a_news_item_is_an_article_with_its_lead_image(client, greenwich):
    item = make_item(greenwich, title="Photo story", lead_image=image_upload(), lead_image_alt="People at a table")
    response = client.get("/news/photo-story/", secure=True)
    assert meta(response, "property", "og:type") == "article"
    assert meta(response, "property", "og:image") == f"https://testserver{item.lead_picture.src}"
    assert meta(response, "property", "og:image:alt") == "People at a table"


@pytest.mark.parametrize(
    ("path", "description"),
    [
        ("/", "Find out what your borough's health and care partnership is planning"),
        ("/privacy/", "How this website uses information about you"),
        ("/accessibility/", "How accessible this website is"),
        ("/contact/", "Email or phone the health and care partnership for your borough"),
        ("/search/", "Search the partnerships, plans, consultations, news and events"),
    ],
)
def test_pages_have_their_own_description(client, greenwich, path, description):
    response = client.get(path)
    assert meta(response, "name", "description").startswith(description)
    assert meta(response, "property", "og:description") == meta(response, "name", "description")
