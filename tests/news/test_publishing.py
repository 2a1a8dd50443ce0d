import datetime

import pytest
from django.utils import timezone

from news.models import Event, NewsItem
from partnerships.models import Partnership
from tests.factories import make_editor, make_event, make_item, make_partnership

pytestmark = pytest.mark.django_db

PREVIEW_BANNER = "This page, or part of it, is not published"


def test_published_item_is_public_and_listed(client, lewisham):
    make_item(lewisham, title="Out now")
    response = client.get("/news/out-now/")
    assert response.status_code == 200
    assert PREVIEW_BANNER not in response.content.decode()
    assert "Out now" in client.get("/news/").content.decode()
    assert "Out now" in client.get("/lewisham/news/").content.decode()


def test_draft_item_is_a_404_and_left_out_of_lists_and_feeds(client, lewisham):
    make_item(lewisham, title="Draft thoughts", publication_status=NewsItem.Status.DRAFT)
    assert client.get("/news/draft-thoughts/").status_code == 404
    for url in ["/news/", "/lewisham/news/", "/news/feed/", "/lewisham/news/feed/"]:
        assert "Draft thoughts" not in client.get(url).content.decode(), url


def test_item_scheduled_for_the_future_is_not_yet_public(client, lewisham):
    make_item(lewisham, title="Tomorrow", publish_at=timezone.now() + datetime.timedelta(days=1))
    assert client.get("/news/tomorrow/").status_code == 404
    assert "Tomorrow" not in client.get("/news/").content.decode()


def test_item_of_only_draft_partnerships_is_not_public(client):
    hidden = make_partnership(slug="hidden", publication_status=Partnership.Status.DRAFT)
    make_item(hidden, title="Hidden news")
    assert client.get("/news/hidden-news/").status_code == 404
    assert "Hidden news" not in client.get("/news/").content.decode()


def test_shared_item_does_not_name_a_draft_partnership(client, lewisham):
    hidden = make_partnership("Secret partnership", slug="secret", publication_status=Partnership.Status.DRAFT)
    make_item(lewisham, hidden, title="Joint news")
    page = client.get("/news/joint-news/").content.decode()
    assert lewisham.name in page and "Secret partnership" not in page


def test_editor_previews_their_draft_with_a_preview_banner(client, bob, lewisham):
    make_item(lewisham, title="Draft thoughts", publication_status=NewsItem.Status.DRAFT)
    client.force_login(bob)
    response = client.get("/news/draft-thoughts/")
    assert response.status_code == 200
    assert PREVIEW_BANNER in response.content.decode()


def test_editor_of_any_of_its_partnerships_may_preview_a_shared_draft(client, alice, lewisham, greenwich):
    make_item(lewisham, greenwich, title="Joint draft", publication_status=NewsItem.Status.DRAFT)
    client.force_login(alice)
    assert client.get("/news/joint-draft/").status_code == 200


def test_editor_cannot_preview_another_partnerships_draft(client, alice, lewisham):
    make_item(lewisham, title="Lewisham draft", publication_status=NewsItem.Status.DRAFT)
    client.force_login(alice)
    assert client.get("/news/lewisham-draft/").status_code == 404


def test_staff_without_partnerships_cannot_preview(client, lewisham):
    make_item(lewisham, title="Lewisham draft", publication_status=NewsItem.Status.DRAFT)
    client.force_login(make_editor("nobody"))
    assert client.get("/news/lewisham-draft/").status_code == 404


def test_partnership_news_lists_only_its_own_items(client, lewisham, greenwich):
    make_item(lewisham, title="Lewisham story")
    make_item(greenwich, title="Greenwich story")
    make_item(lewisham, greenwich, title="Joint story")
    page = client.get("/greenwich/news/").content.decode()
    assert "Greenwich story" in page and "Joint story" in page
    assert "Lewisham story" not in page


def test_news_of_a_draft_partnership_is_a_404(client):
    make_partnership(slug="hidden", publication_status=Partnership.Status.DRAFT)
    assert client.get("/hidden/news/").status_code == 404
    assert client.get("/hidden/news/feed/").status_code == 404
    assert client.get("/hidden/events/").status_code == 404


def test_draft_event_is_a_404_for_the_public_and_previewable_by_its_editors(client, bob, lewisham):
    make_event(lewisham, title="Draft event", publication_status=Event.Status.DRAFT)
    assert client.get("/events/draft-event/").status_code == 404
    assert client.get("/events/draft-event.ics").status_code == 404
    assert "Draft event" not in client.get("/events/").content.decode()
    client.force_login(bob)
    assert PREVIEW_BANNER in client.get("/events/draft-event/").content.decode()
    assert client.get("/events/draft-event.ics").status_code == 200
