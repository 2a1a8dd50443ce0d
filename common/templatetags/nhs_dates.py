"""Dates and times as NHS.UK's style guide writes them: "27 January 2027", "9am", "5:30pm", "midday".

    {% load nhs_dates %}
    {{ consultation.closes_at|nhs_time }}                       → 11:59pm
    {{ consultation.closes_at|nhs_date_time }}                  → 27 January 2027 at 11:59pm
    {{ consultation.closes_at|nhs_date_time:"l j F Y" }}        → Wednesday 27 January 2027 at 11:59pm

Times are shown in the site's time zone (UK time), as Django's own date filter shows them.
"""

import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

register = template.Library()


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter
def nhs_time(value: datetime.datetime | datetime.time | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = _local(value)
    if (value.hour, value.minute) == (12, 0):
        return "midday"
    if (value.hour, value.minute) == (0, 0):
        return "midnight"
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"


@register.filter
def nhs_date_time(value: datetime.datetime | None, day_format: str = "j F Y") -> str:
    if value is None or value == "":
        return ""
    value = _local(value)
    return f"{date_format(value, day_format)} at {nhs_time(value)}"
