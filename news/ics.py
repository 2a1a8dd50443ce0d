"""iCalendar (RFC 5545) files for single events, written by hand: one VEVENT needs a few dozen lines,
not a dependency."""

import datetime
import re

# RFC 5545 3.3.11: TEXT may not hold control characters other than tab (newlines are escaped).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
LINE_OCTETS = 75


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma, and newlines as \\n (RFC 5545 3.3.11)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, never inside a UTF-8 character (3.1).

    Continuation lines start with one space, which counts towards their 75 octets.
    """
    parts, current, size, limit = [], [], 0, LINE_OCTETS
    for character in line:
        octets = len(character.encode())
        if size + octets > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1
        current.append(character)
        size += octets
    parts.append("".join(current))
    return "\r\n ".join(parts)


def utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(
    *,
    uid: str,
    stamp: datetime.datetime,
    starts: datetime.datetime,
    ends: datetime.datetime,
    summary: str,
    location: str,
    description: str,
    url: str,
    product: str,
) -> str:
    """A VCALENDAR holding one VEVENT, with CRLF line endings."""
    properties = [
        ("BEGIN", "VCALENDAR"),
        ("VERSION", "2.0"),
        ("PRODID", f"-//{escape_text(product)}//Events//EN"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
        ("BEGIN", "VEVENT"),
        ("UID", escape_text(uid)),
        ("DTSTAMP", utc(stamp)),
        ("DTSTART", utc(starts)),
        ("DTEND", utc(ends)),
        ("SUMMARY", escape_text(summary)),
        ("LOCATION", escape_text(location)),
        ("DESCRIPTION", escape_text(description)),
        ("URL", url),
        ("STATUS", "CONFIRMED"),
        ("END", "VEVENT"),
        ("END", "VCALENDAR"),
    ]
    return "".join(fold(f"{name}:{value}") + "\r\n" for name, value in properties)
