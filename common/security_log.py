"""The security log: who did what, when and from where, as one JSON object a line.

Logins and failures, second-factor events, lockouts, permission denials, downloads and reading of
individual responses, erasures and rate-limit hits are written to the ``security`` logger (see
LOGGING in settings: standard output, and ``SECURITY_LOG_FILE`` if set). Never survey answers:
callers pass identifiers and counts only, and ``event`` refuses anything that is not a plain value.
"""

import json
import logging

from django.http import HttpRequest
from django.utils import timezone

from common.clients import client_address

logger = logging.getLogger("security")
PLAIN = (str, int, float, bool, type(None))


def event(name: str, request: HttpRequest | None = None, *, user=None, **details) -> None:
    """Write one line. ``details`` must be plain values: identifiers, counts, names, never free text."""
    for key, value in details.items():
        if not isinstance(value, PLAIN) and not (
            isinstance(value, list | tuple) and all(isinstance(v, PLAIN) for v in value)
        ):
            raise TypeError(f"security log detail {key!r} must be a plain value, not {type(value).__name__}")
    if user is None and request is not None:
        user = getattr(request, "user", None)
    line = {
        "at": timezone.now().isoformat(timespec="seconds"),
        "event": name,
        "user": user.get_username() if user is not None and user.is_authenticated else None,
        "user_id": user.pk if user is not None and user.is_authenticated else None,
        "from": _address(request),
        "path": request.path if request is not None else None,
        **details,
    }
    logger.info(json.dumps(line, default=str, ensure_ascii=False))


def _address(request: HttpRequest | None) -> str | None:
    return client_address(request) or None if request is not None else None


class JSONLinesFormatter(logging.Formatter):
    """The message is already a JSON object: write it as it is, one a line."""

    def format(self, record: logging.LogRecord) -> str:
        return record.getMessage()
