"""The emails residents ask for ("Email me when the results are published"), and the links in them.

Every link carries a random token of its own; the database keeps only its SHA-256
(``hash_token``), so a copy of the database cannot confirm or unsubscribe anyone. Each email
also has RFC 8058 one-click unsubscribe headers pointing at a POST endpoint.
"""

import email.policy

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from common.tokens import hash_token, new_token
from consultations.models import Outcome, OutcomeNotification, Subscription


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def subscription_for_token(token: str, *, confirming: bool = False) -> Subscription | None:
    """The subscription a link belongs to. Confirming takes the confirmation email's token only;
    unsubscribing takes that or the token of any outcome email sent to the address."""
    token_hash = hash_token(token)
    subscription = Subscription.objects.select_related("consultation__partnership").filter(token_hash=token_hash)
    found = subscription.first()
    if found is not None or confirming:
        return found
    notification = (
        OutcomeNotification.objects.select_related("subscription__consultation__partnership")
        .filter(token_hash=token_hash)
        .first()
    )
    return notification.subscription if notification else None


class ListEmail(EmailMultiAlternatives):
    """Keeps long header lines whole. Python's email package would otherwise fold a List-Unsubscribe
    URL longer than 78 characters into an RFC 2047 encoded word, which mail services do not read."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=998))


def _send(*, template: str, context: dict, to: str, token: str) -> None:
    one_click = absolute(reverse("consultations:one-click-unsubscribe", args=[token]))
    context = {
        **context,
        "site_name": settings.SITE_NAME,
        "unsubscribe_url": absolute(reverse("consultations:unsubscribe", args=[token])),
    }
    message = ListEmail(
        subject=render_to_string(f"emails/{template}_subject.txt", context).strip(),
        body=render_to_string(f"emails/{template}.txt", context),
        to=[to],
        headers={"List-Unsubscribe": f"<{one_click}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
    message.send()


def send_confirmation(subscription_id: int) -> bool:
    """Email a link to confirm the address. Returns whether an email went (none once confirmed).

    A new token replaces the last one, and is only stored if the email was sent: an SMTP error
    rolls the change back and raises.
    """
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update(of=("self",))
            .select_related("consultation__partnership")
            .filter(pk=subscription_id)
            .first()
        )
        if subscription is None or subscription.confirmed_at or subscription.unsubscribed_at:
            return False
        token, subscription.token_hash = new_token()
        subscription.save(update_fields=["token_hash"])
        consultation = subscription.consultation
        _send(
            template="subscription_confirm",
            context={
                "consultation": consultation,
                "confirm_url": absolute(reverse("consultations:confirm-subscription", args=[token])),
                "consultation_url": absolute(consultation.get_absolute_url()),
            },
            to=subscription.email,
            token=token,
        )
    return True


def create_notifications(*, outcome: Outcome) -> list[int]:
    """A row per active subscriber and this outcome, then the ids of the rows not yet sent.

    Rows already there are left alone (INSERT ... ON CONFLICT DO NOTHING on the unique pair),
    so running this twice, or at the same time in two workers, makes no second row.
    """
    with transaction.atomic():
        active = Subscription.objects.active().filter(consultation_id=outcome.consultation_id)
        OutcomeNotification.objects.bulk_create(
            [OutcomeNotification(subscription_id=pk, outcome=outcome) for pk in active.values_list("pk", flat=True)],
            ignore_conflicts=True,
            batch_size=1000,
        )
        unsent = OutcomeNotification.objects.filter(outcome=outcome, sent_at__isnull=True, subscription__in=active)
        return list(unsent.order_by("pk").values_list("pk", flat=True))


def send_outcome_notification(notification_id: int) -> bool:
    """Email one subscriber that the outcome is published, unless that was already done.

    The row is locked while the email is sent and marked sent in the same transaction, so a
    second run (a retry, or the same task run twice at once) waits, then finds it sent. If
    sending fails, nothing is marked and the error is raised for the caller to retry.
    """
    with transaction.atomic():
        notification = (
            OutcomeNotification.objects.select_for_update(of=("self",))
            .select_related("subscription", "outcome__consultation__partnership")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.sent_at is not None:
            return False
        outcome = notification.outcome
        if not notification.subscription.is_active or not outcome.is_public:
            return False
        token, notification.token_hash = new_token()
        consultation = outcome.consultation
        _send(
            template="outcome_published",
            context={
                "consultation": consultation,
                "outcome": outcome,
                "outcome_url": absolute(outcome.get_absolute_url()),
            },
            to=notification.subscription.email,
            token=token,
        )
        notification.sent_at = timezone.now()
        notification.save(update_fields=["token_hash", "sent_at"])
    return True
