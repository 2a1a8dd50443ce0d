"""Closing the loop on pages other apps draw: the "email me" form."""

from django import template

from consultations.forms import SubscriptionForm
from consultations.models import Consultation

register = template.Library()


@register.inclusion_tag("consultations/_subscription_form.html")
def email_me_form(consultation: Consultation) -> dict:
    """The small "Email me when the results are published" form; nothing once they are."""
    if consultation.state() == Consultation.State.RESULTS_PUBLISHED:
        return {"form": None}
    return {"form": SubscriptionForm(), "consultation": consultation}
