import pytest

from news.models import NewsItem
from tests.factories import make_item


@pytest.fixture
def lewisham_item(lewisham) -> NewsItem:
    return make_item(lewisham, title="Lewisham only news")


@pytest.fixture
def shared_item(lewisham, greenwich) -> NewsItem:
    return make_item(lewisham, greenwich, title="Shared news")
