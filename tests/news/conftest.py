import datetime
import io
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from news.models import Event, NewsItem, Photo
from partnerships.models import Partnership

_sequence = itertools.count(1)

# Admin formsets of a news item's inlines, all empty except photos' other fields.
EMPTY_INLINES_FOR_PHOTO = {
    f"{prefix}-{field}": "0"
    for prefix in ["workshops", "issues_raised", "quotes", "photos"]
    for field in ["TOTAL_FORMS", "INITIAL_FORMS"]
}


def image_bytes(size=(1600, 1000), image_format="JPEG", colour="#005eb8") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, image_format)
    return buffer.getvalue()


def image_upload(name: str = "photo.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(**kwargs), content_type="image/jpeg")


def make_item(*partnerships: Partnership, title: str | None = None, **fields) -> NewsItem:
    title = title or f"News item {next(_sequence)}"
    fields.setdefault("slug", title.lower().replace(" ", "-"))
    fields.setdefault("summary", f"Summary of {title}")
    fields.setdefault("publication_status", NewsItem.Status.PUBLISHED)
    item = NewsItem.objects.create(title=title, **fields)
    item.partnerships.set(partnerships)
    return item


def make_photo(item: NewsItem, **fields) -> Photo:
    fields.setdefault("alt_text", "Residents talking around a table")
    photo = Photo(item=item, image=fields.pop("image", None) or image_upload(), **fields)
    photo.full_clean()
    photo.save()
    return photo


def make_event(*partnerships: Partnership, title: str | None = None, **fields) -> Event:
    title = title or f"Event {next(_sequence)}"
    starts = fields.pop("starts_at", None) or timezone.now() + datetime.timedelta(days=7)
    fields.setdefault("slug", title.lower().replace(" ", "-").replace(",", ""))
    fields.setdefault("ends_at", starts + datetime.timedelta(hours=2))
    fields.setdefault("venue_name", "Deptford Lounge")
    fields.setdefault("description", "Tell us what matters to you.")
    fields.setdefault("how_to_book", "Just come along.")
    fields.setdefault("publication_status", Event.Status.PUBLISHED)
    event = Event.objects.create(title=title, starts_at=starts, **fields)
    event.partnerships.set(partnerships)
    return event


@pytest.fixture
def lewisham_item(lewisham) -> NewsItem:
    return make_item(lewisham, title="Lewisham only news")


@pytest.fixture
def shared_item(lewisham, greenwich) -> NewsItem:
    return make_item(lewisham, greenwich, title="Shared news")
