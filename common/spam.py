"""Spam defences shared by every public form that takes input without a login."""

from django.http import HttpRequest

# A field people never see (hidden by the site's stylesheet, skipped by screen readers and the
# tab key): a form that arrives with it filled in was filled in by a bot.
HONEYPOT_FIELD = "website"


def honeypot_filled(request: HttpRequest) -> bool:
    return bool(request.POST.get(HONEYPOT_FIELD))
