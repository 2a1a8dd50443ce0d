import datetime
import xml.etree.ElementTree as ET

import pytest

from news.models import NewsItem
from tests.factories import make_item

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)  # noqa: S314 (our own feed, in a test)


def test_site_feed_is_atom_with_an_entry_per_public_item(client, lewisham, greenwich):
    make_item(lewisham, title="Lewisham story", date=datetime.date(2018, 10, 1))
    make_item(greenwich, title="Greenwich story", date=datetime.date(2020, 6, 1))
    make_item(greenwich, title="Draft story", publication_status=NewsItem.Status.DRAFT)
    feed = parse(client.get("/news/feed/"))
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}id").text
    assert feed.find(f"{ATOM}updated").text
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    assert feed.find(f"{ATOM}link[@rel='self']").get("href").endswith("/news/feed/")
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}title").text for entry in entries] == ["Greenwich story", "Lewisham story"]
    for entry in entries:
        assert entry.find(f"{ATOM}id").text.startswith("http://testserver/news/")
        datetime.datetime.fromisoformat(entry.find(f"{ATOM}updated").text)
        assert entry.find(f"{ATOM}published").text.startswith(("2018-10-01", "2020-06-01"))
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href") == entry.find(f"{ATOM}id").text
        assert entry.find(f"{ATOM}summary").text.startswith("Summary of")
    assert len({entry.find(f"{ATOM}id").text for entry in entries}) == 2


def test_partnership_feed_has_only_that_partnerships_items(client, lewisham, greenwich):
    make_item(lewisham, title="Lewisham story")
    make_item(greenwich, lewisham, title="Joint story")
    make_item(greenwich, title="Greenwich story")
    feed = parse(client.get("/lewisham/news/feed/"))
    assert feed.find(f"{ATOM}title").text == f"News and events – {lewisham.name}"
    titles = {entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")}
    assert titles == {"Lewisham story", "Joint story"}


def test_list_pages_link_their_feeds_in_the_head(client, lewisham):
    for page_url, feed_url in [("/news/", "/news/feed/"), ("/lewisham/news/", "/lewisham/news/feed/")]:
        page = client.get(page_url).content.decode()
        head = page.split("</head>")[0]
        assert '<link rel="alternate" type="application/atom+xml"' in head, page_url
        assert f'href="{feed_url}"' in head, page_url


def test_feed_of_an_unknown_partnership_is_a_404(client):
    assert client.get("/nowhere/news/feed/").status_code == 404
