import datetime

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from news.models import Event, NewsItem
from tests.factories import make_event, make_item, make_partnership, make_photo

pytestmark = pytest.mark.django_db


def titles_in_order(page: str, titles: list[str]) -> list[str]:
    return sorted((title for title in titles if title in page), key=page.index)


def test_news_is_newest_first_ten_to_a_page(client, lewisham):
    start = datetime.date(2020, 1, 1)
    titles = [f"Story {number:02}" for number in range(12)]
    for number, title in enumerate(titles):
        make_item(lewisham, title=title, date=start + datetime.timedelta(days=number))
    first = client.get("/news/").content.decode()
    assert titles_in_order(first, titles) == [f"Story {n:02}" for n in range(11, 1, -1)]
    assert "Page 2 of 2" in first
    second = client.get("/news/?page=2").content.decode()
    assert titles_in_order(second, titles) == ["Story 01", "Story 00"]
    assert "Page 1 of 2" in second


def test_partnership_news_is_paginated_too(client, lewisham):
    for number in range(11):
        make_item(lewisham, title=f"Story {number}")
    assertContains(client.get("/lewisham/news/"), "Page 2 of 2")
    assertContains(client.get("/lewisham/news/?page=2"), "Page 1 of 2")


def test_a_month_only_date_is_shown_without_a_day(client, lewisham):
    make_item(lewisham, title="Autumn", date=datetime.date(2018, 10, 1), date_precision="month")
    make_item(lewisham, title="Spring", date=datetime.date(2019, 4, 3))
    listing = client.get("/news/").content.decode()
    assert '<time datetime="2018-10">October 2018</time>' in listing
    assert '<time datetime="2019-04-03">3 April 2019</time>' in listing
    assert "1 October 2018" not in client.get("/news/autumn/").content.decode()


def test_item_page_has_back_to_news_and_its_partnerships(client, lewisham, greenwich):
    make_item(lewisham, greenwich, title="Joint story", body="<p>What happened.</p>")
    response = client.get("/news/joint-story/")
    assertContains(response, '<a class="nhsuk-back-link" href="/news/">Back to news</a>', html=True)
    assertContains(response, "<p>What happened.</p>", html=True)
    assertContains(response, lewisham.name)
    assertContains(response, greenwich.name)


def test_event_write_up_shows_where_who_opened_workshops_issues_and_quotes_in_order(client, lewisham):
    item = make_item(
        lewisham,
        title="Write up",
        kind=NewsItem.Kind.EVENT_WRITE_UP,
        venue_name="Deptford Lounge",
        opened_by_name="Councillor Chris Best",
        opened_by_role="Deputy Mayor",
        next_steps="We will publish what we heard and how it will be used.",
    )
    for order, title in [(2, "Second workshop"), (1, "First workshop")]:
        item.workshops.create(title=title, order=order)
    for order, text in [(2, "Second issue"), (1, "First issue")]:
        item.issues_raised.create(text=text, order=order)
    item.quotes.create(text="Second words", speaker_name="Martin Wilkinson", speaker_role="Chair", order=2)
    item.quotes.create(text="First words", speaker_name="Councillor Chris Best", order=1)
    page = client.get("/news/write-up/").content.decode()
    assert "Deptford Lounge" in page and "Councillor Chris Best, Deputy Mayor" in page
    assert titles_in_order(page, ["Second workshop", "First workshop"]) == ["First workshop", "Second workshop"]
    assert titles_in_order(page, ["Second issue", "First issue"]) == ["First issue", "Second issue"]
    assert titles_in_order(page, ["“Second words”", "“First words”"]) == ["“First words”", "“Second words”"]
    assert "Martin Wilkinson, Chair" in page
    assert "What happens next" in page and "We will publish what we heard" in page


def test_item_page_queries_do_not_grow_with_partnerships_photos_quotes_or_issues(
    client, lewisham, django_assert_max_num_queries
):
    item = make_item(lewisham, title="Busy", kind=NewsItem.Kind.EVENT_WRITE_UP, venue_name="Hall")

    def add_content(count: int) -> None:
        for number in range(count):
            item.partnerships.add(make_partnership())
            item.workshops.create(title=f"Workshop {number}")
            item.issues_raised.create(text=f"Issue {number}")
            item.quotes.create(text=f"Quote {number}", speaker_name="Someone")
            make_photo(item)

    add_content(1)
    # item, its partnerships, workshops, issues raised, quotes, photos, navigation partnerships
    with django_assert_max_num_queries(7):
        client.get("/news/busy/")
    add_content(5)
    with django_assert_max_num_queries(7):
        response = client.get("/news/busy/")
    assert response.content.decode().count('<figure class="nhsuk-image') == 6


def test_list_queries_do_not_grow_with_items_or_their_partnerships(client, lewisham, django_assert_max_num_queries):
    others = [make_partnership() for _ in range(3)]
    make_item(lewisham, title="First")
    # count for paging, the page of items, their published partnerships, navigation
    with django_assert_max_num_queries(4):
        client.get("/news/")
    for number in range(15):
        make_item(lewisham, *others, title=f"Story {number}")
    with django_assert_max_num_queries(4):
        client.get("/news/")
    # the partnership, then the same four
    with django_assert_max_num_queries(5):
        client.get("/lewisham/news/")
    with django_assert_max_num_queries(4):
        client.get("/news/feed/")


def test_event_lists_queries_do_not_grow_with_events(client, lewisham, django_assert_max_num_queries):
    make_event(lewisham)
    # count for paging, the page of events, their published partnerships, navigation
    with django_assert_max_num_queries(4):
        client.get("/events/")
    for _ in range(12):
        make_event(lewisham, make_partnership())
    with django_assert_max_num_queries(4):
        response = client.get("/events/")
    assertContains(response, "Page 2 of 2")


def test_upcoming_events_are_soonest_first_and_leave_out_finished_ones(client, lewisham, greenwich):
    now = timezone.now()
    make_event(lewisham, title="Later", starts_at=now + datetime.timedelta(days=20))
    make_event(lewisham, title="Sooner", starts_at=now + datetime.timedelta(days=2))
    make_event(greenwich, title="Greenwich one", starts_at=now + datetime.timedelta(days=5))
    make_event(lewisham, title="Under way", starts_at=now - datetime.timedelta(hours=1))
    make_event(lewisham, title="Finished", starts_at=now - datetime.timedelta(days=3))
    page = client.get("/events/").content.decode()
    expected = ["Under way", "Sooner", "Greenwich one", "Later"]
    assert titles_in_order(page, [*expected, "Finished"]) == expected
    lewisham_page = client.get("/lewisham/events/").content.decode()
    assert titles_in_order(lewisham_page, [*expected, "Finished"]) == ["Under way", "Sooner", "Later"]


def test_event_page_says_when_where_how_to_book_and_offers_the_calendar_file(client, lewisham):
    make_event(
        lewisham,
        title="Have your say",
        starts_at=datetime.datetime(2030, 3, 5, 18, 0, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2030, 3, 5, 20, 30, tzinfo=datetime.UTC),
        address="9 Giffin Street\nLondon SE8 4RJ",
        booking_url="https://example.org/book",
        accessibility="Step-free access and a hearing loop.",
    )
    response = client.get("/events/have-your-say/")
    assertContains(response, "Tuesday 5 March 2030, 6pm to 8:30pm")
    assertContains(response, "Deptford Lounge<br>9 Giffin Street<br>London SE8 4RJ")
    assertContains(response, 'href="https://example.org/book"')
    assertContains(response, "Step-free access and a hearing loop.")
    assertContains(response, 'href="/events/have-your-say.ics"')


def test_finished_event_says_so_and_drops_booking(client, lewisham):
    make_event(lewisham, title="Done", starts_at=timezone.now() - datetime.timedelta(days=2))
    response = client.get("/events/done/")
    assertContains(response, "This event has finished.")
    assertNotContains(response, "How to book")


def test_an_online_event_needs_no_venue_and_an_in_person_one_does(lewisham):
    from django.core.exceptions import ValidationError

    online = make_event(lewisham, title="Online", attendance=Event.Attendance.ONLINE, venue_name="")
    online.full_clean(exclude=["partnerships"])
    assert online.location == "Online"
    online.attendance = Event.Attendance.IN_PERSON
    with pytest.raises(ValidationError) as raised:
        online.full_clean(exclude=["partnerships"])
    assert "venue_name" in raised.value.message_dict
