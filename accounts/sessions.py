"""Staff sessions end after ``STAFF_SESSION_IDLE_MINUTES`` without a request and ``STAFF_SESSION_HOURS``
after signing in, whichever comes first. Residents' survey sessions are not affected."""

import time

from django.conf import settings
from django.http import HttpRequest

LOGIN_AT = "staff_login_at"
LAST_SEEN = "staff_last_seen"
# A request is recorded (the session saved) at most once a minute, not on every page or progress
# check: idle time is then known to within a minute, and a busy dashboard writes little.
RECORD_EVERY_SECONDS = 60


def idle_seconds() -> int:
    return settings.STAFF_SESSION_IDLE_MINUTES * 60


def start_staff_session(request: HttpRequest) -> None:
    now = time.time()
    request.session[LOGIN_AT] = now
    request.session[LAST_SEEN] = now
    request.session.set_expiry(idle_seconds())


def staff_session_expired(request: HttpRequest) -> str | None:
    """Why the signed-in person's session is over ("idle" or "too long"), or None; records this request
    if the last one recorded was a minute ago or more."""
    now = time.time()
    session = request.session
    login_at, last_seen = session.get(LOGIN_AT), session.get(LAST_SEEN)
    if login_at is None or last_seen is None:
        return "too long"  # signed in before these limits existed
    if now - last_seen > idle_seconds():
        return "idle"
    if now - login_at > settings.STAFF_SESSION_HOURS * 3600:
        return "too long"
    if now - last_seen >= RECORD_EVERY_SECONDS:
        session[LAST_SEEN] = now
        # The stored session outlives the idle limit by the minute a request may go unrecorded.
        session.set_expiry(idle_seconds() + RECORD_EVERY_SECONDS)
    return None
