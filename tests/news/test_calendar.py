import datetime
import zoneinfo

import pytest

from news import ics
from tests.factories import make_event

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


def unfold(text: str) -> list[str]:
    """RFC 5545 3.1: a CRLF followed by a space or tab continues the previous line."""
    assert "\n" not in text.replace("\r\n", "")
    return text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")[:-1]


def properties(text: str) -> dict[str, str]:
    found = {}
    for line in unfold(text):
        name, _, value = line.partition(":")
        found.setdefault(name, value)
    return found


def unescape(value: str) -> str:
    out, characters = [], iter(value)
    for character in characters:
        if character == "\\":
            following = next(characters)
            out.append("\n" if following in "nN" else following)
        else:
            out.append(character)
    return "".join(out)


def test_ics_file_is_a_valid_single_event_calendar_in_utc(client, lewisham):
    # 6pm to 8pm in London in summer is 5pm to 7pm UTC.
    event = make_event(
        lewisham,
        title="Talk to us, about GP services; all welcome",
        slug="talk-to-us",
        starts_at=datetime.datetime(2030, 7, 2, 18, 0, tzinfo=LONDON),
        ends_at=datetime.datetime(2030, 7, 2, 20, 0, tzinfo=LONDON),
        venue_name="Deptford Lounge",
        address="9 Giffin Street\nLondon SE8 4RJ",
        description="Bring your questions.\nTea and coffee provided, with a back\\slash.",
        accessibility="Step-free access",
    )
    response = client.get("/events/talk-to-us.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment")
    text = response.content.decode()
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert lines.index("BEGIN:VEVENT") < lines.index("END:VEVENT")
    found = properties(text)
    assert found["VERSION"] == "2.0"
    assert found["PRODID"]
    assert found["UID"] == f"event-{event.pk}@testserver"
    assert found["DTSTART"] == "20300702T170000Z"
    assert found["DTEND"] == "20300702T190000Z"
    datetime.datetime.strptime(found["DTSTAMP"], "%Y%m%dT%H%M%SZ")
    assert found["SUMMARY"] == "Talk to us\\, about GP services\\; all welcome"
    assert unescape(found["LOCATION"]) == "Deptford Lounge, 9 Giffin Street, London SE8 4RJ"
    description = unescape(found["DESCRIPTION"])
    assert description.startswith("Bring your questions.\nTea and coffee provided, with a back\\slash.")
    assert "How to book: Just come along." in description
    assert "Accessibility: Step-free access" in description
    assert found["URL"] == "http://testserver/events/talk-to-us/"


def test_winter_times_are_utc_too(client, lewisham):
    make_event(
        lewisham,
        title="Winter",
        starts_at=datetime.datetime(2030, 1, 15, 18, 30, tzinfo=LONDON),
        ends_at=datetime.datetime(2030, 1, 15, 20, 0, tzinfo=LONDON),
    )
    found = properties(client.get("/events/winter.ics").content.decode())
    assert (found["DTSTART"], found["DTEND"]) == ("20300115T183000Z", "20300115T200000Z")


def test_every_line_is_folded_to_75_octets_without_splitting_a_character():
    text = ics.calendar(
        uid="event-1@example.org",
        stamp=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC),
        starts=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC),
        ends=datetime.datetime(2030, 1, 2, tzinfo=datetime.UTC),
        summary="Café – “health and care” " * 10,
        location="Online",
        description="é" * 200,
        url="https://example.org/events/x/",
        product="Test",
    )
    for line in text.split("\r\n"):
        assert len(line.encode()) <= 75
    assert properties(text)["DESCRIPTION"] == "é" * 200
    assert text.endswith("\r\n")


def test_text_is_escaped_and_control_characters_dropped():
    assert ics.escape_text("a,b;c\\d\r\ne\nf\x07") == "a\\,b\\;c\\\\d\\ne\\nf"


def test_online_event_location(client, lewisham):
    make_event(lewisham, title="Online chat", attendance="online", venue_name="")
    assert properties(client.get("/events/online-chat.ics").content.decode())["LOCATION"] == "Online"
