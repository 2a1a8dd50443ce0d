"""Residents' messages to a partnership, emailed by the background worker."""

from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string

from consultations.tasks import SEND_ERRORS, try_again_later
from partnerships.models import Partnership


@task
def send_contact_message(partnership_id: int, name: str, email: str, message: str, attempt: int = 1) -> None:
    """Email a resident's message to the partnership's inbox (its own, or the site's), to reply to them."""
    partnership = Partnership.objects.get(pk=partnership_id)
    context = {"partnership": partnership, "name": name, "email": email, "message": message}
    email_message = EmailMessage(
        subject=f"Message from the consultation website: {name}"[:150],
        body=render_to_string("emails/contact_message.txt", context),
        to=[partnership.inbox],
        reply_to=[email],
    )
    try:
        email_message.send()
    except SEND_ERRORS as error:
        try_again_later(send_contact_message, attempt, error, partnership_id, name, email, message)
