from django import template

from common.spam import HONEYPOT_FIELD

register = template.Library()


@register.inclusion_tag("includes/honeypot.html")
def honeypot() -> dict:
    """The hidden field bots fill in (see common.spam)."""
    return {"honeypot_field": HONEYPOT_FIELD}
