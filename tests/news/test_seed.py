from io import StringIO

import pytest
from django.core.management import call_command

from news.models import IssueRaised, NewsItem, Photo, Quote, Workshop
from news.seed import LEWISHAM_EVENT_KEY, load_news

pytestmark = pytest.mark.django_db

SLUG = "working-together-for-a-healthier-lewisham-october-2018"


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in [NewsItem, Workshop, IssueRaised, Quote, Photo]}


def test_seed_loads_the_lewisham_event_write_up_faithfully():
    call_command("seed_content", stdout=StringIO())
    item = NewsItem.objects.get(slug=SLUG)
    assert item.title == "Health and care partners working together for a healthier Lewisham"
    assert item.is_event_write_up and item.is_published
    assert [p.slug for p in item.partnerships.all()] == ["lewisham"]
    assert item.venue_name == "Deptford Lounge"
    assert item.date.isoformat() == "2018-10-01" and item.date_label == "October 2018"
    assert item.opened_by_name == "Councillor Chris Best"
    assert item.opened_by_role == "Deputy Mayor and Cabinet Member for Health, Wellbeing and Older People"
    assert "short film" in item.body
    assert "We will publish what we heard and how it will be used." in item.next_steps
    assert list(item.workshops.values_list("title", flat=True)) == [
        "Maintain health and wellbeing",
        "Align our resources for adults at a neighbourhood level",
        "Get advice, care and treatment at the right place at the right time",
    ]
    issues = list(item.issues_raised.values_list("text", flat=True))
    assert len(issues) == 8
    assert issues[0].startswith("To deal with the whole person")
    assert issues[3] == "Communication across the system is key – IT needs to be improved"
    assert issues[-1] == "We should make better use of our open spaces."
    quotes = list(item.quotes.all())
    assert [(q.speaker_name, q.speaker_role) for q in quotes] == [
        ("Councillor Chris Best", "Deputy Mayor and Cabinet Member for Health, Wellbeing and Older People"),
        ("Martin Wilkinson", "Chair of the Lewisham Health and Care Partners Executive Board"),
    ]
    assert quotes[0].text.startswith("In Lewisham we are committed")
    assert quotes[1].text.endswith("translate many of these into actions.")


def test_seed_gallery_is_placeholder_images_that_say_so():
    call_command("seed_content", stdout=StringIO())
    item = NewsItem.objects.get(slug=SLUG)
    assert item.is_placeholder and "photos" in item.placeholder_note
    photos = list(item.photos.all())
    assert len(photos) >= 3
    for photo in photos:
        assert photo.alt_text.startswith("Placeholder image")
        assert len(photo.renditions["files"]) == 4


def test_seed_write_up_page_reads_as_the_source(client):
    call_command("seed_content", stdout=StringIO())
    page = client.get(f"/news/{SLUG}/").content.decode()
    assert "October 2018" in page and "1 October 2018" not in page
    assert "Back to news" in page
    assert "Issues raised" in page and "What people said" in page and "What happens next" in page
    assert page.count('alt="Placeholder image') == Photo.objects.count()


def test_seed_twice_changes_nothing():
    call_command("seed_content", stdout=StringIO())
    before = counts()
    output = StringIO()
    call_command("seed_content", stdout=output)
    assert counts() == before
    assert LEWISHAM_EVENT_KEY not in output.getvalue()


def test_seed_news_waits_for_the_lewisham_partnership():
    assert load_news() == []
    assert not NewsItem.objects.exists()
