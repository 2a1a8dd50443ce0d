"""How long a sign-in stays refused after repeated failures (django-axes calls ``cool_off``).

Five failures for one username, or from one address, refuse the next attempt for a minute; each
further failure doubles the wait, up to half an hour. It is a growing cool-down, not a lockout that
needs a person to lift it, so an attacker who fails on purpose keeps nobody out for long, while
guessing passwords becomes hopeless. The counts are rows in PostgreSQL, shared by every app server.
"""

import datetime

from axes.helpers import get_client_ip_address, get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Q

FIRST_WAIT = datetime.timedelta(minutes=1)
LONGEST_WAIT = datetime.timedelta(minutes=30)


def cool_off(request=None) -> datetime.timedelta:
    if request is None:
        return FIRST_WAIT
    attempts = AccessAttempt.objects.filter(
        Q(username=get_client_username(request)) | Q(ip_address=get_client_ip_address(request))
    )
    failures = attempts.aggregate(most=Max("failures_since_start"))["most"] or 0
    beyond = max(0, failures - settings.AXES_FAILURE_LIMIT)
    return min(FIRST_WAIT * 2 ** min(beyond, 10), LONGEST_WAIT)
