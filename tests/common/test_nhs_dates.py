"""Dates and times in NHS.UK style, in UK time, on every page that shows them."""

import datetime
import zoneinfo

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from common.templatetags.nhs_dates import nhs_date_time, nhs_time
from tests.factories import make_consultation

LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    "hour, minute, shown",
    [(9, 0, "9am"), (17, 30, "5:30pm"), (12, 0, "midday"), (0, 0, "midnight"), (23, 59, "11:59pm"), (0, 5, "12:05am"),
     (12, 45, "12:45pm"), (2, 8, "2:08am")],
)  # fmt: skip
def test_times_are_written_the_nhs_way(hour, minute, shown):
    assert nhs_time(datetime.time(hour, minute)) == shown


def test_dates_and_times_are_shown_in_uk_time_with_the_month_capitalised():
    summer = datetime.datetime(2027, 7, 1, 16, 30, tzinfo=datetime.UTC)  # 5:30pm in London (BST)
    assert nhs_date_time(summer) == "1 July 2027 at 5:30pm"
    assert nhs_date_time(summer, "l j F Y") == "Thursday 1 July 2027 at 5:30pm"
    assert nhs_time(None) == "" and nhs_date_time(None) == ""


@pytest.mark.django_db
def test_consultation_pages_show_opening_and_closing_the_nhs_way(client, greenwich):
    coming = make_consultation(
        greenwich,
        "Winter plan",
        opens_at=datetime.datetime(2027, 3, 3, 9, 0, tzinfo=LONDON),
        closes_at=datetime.datetime(2027, 4, 28, 23, 59, tzinfo=LONDON),
    )
    page = client.get(coming.get_absolute_url())
    assertContains(page, "opens on <strong>Wednesday 3 March 2027 at 9am</strong>", html=False)
    listing = client.get("/greenwich/consultations/")
    assertContains(listing, "Opens 3 March 2027 at 9am.")
    assertNotContains(listing, "march")
    assertNotContains(listing, "AM")


@pytest.mark.django_db
def test_a_closed_consultations_survey_says_when_it_closed_the_nhs_way(client, greenwich):
    from tests.factories import make_survey

    closed = make_consultation(
        greenwich,
        "Spring plan",
        opens_at=datetime.datetime(2026, 1, 5, 9, 0, tzinfo=LONDON),
        closes_at=datetime.datetime(2026, 3, 3, 17, 30, tzinfo=LONDON),
    )
    make_survey(closed)
    page = client.get(closed.get_absolute_url() + "survey/")
    assertContains(page, "closed on 3 March 2026 at 5:30pm", status_code=page.status_code)
