"""Writes for discussion requests, outcomes and email subscriptions, each in one transaction.

Emails are never sent from here: tasks are queued once the transaction has committed, so a
worker never looks for rows that are not there yet, and a rolled-back change sends nothing.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from consultations import tasks
from consultations.models import Consultation, DiscussionRequest, Outcome, Subscription

# Asking again within this time sends no second confirmation email (someone pressing the button twice,
# or the form being used to bother another person's inbox).
CONFIRMATION_RESEND_AFTER = datetime.timedelta(minutes=10)


def request_discussion(*, consultation: Consultation, details: dict) -> DiscussionRequest:
    """Store a group's request for a discussion, and email the consultation's contact once it is stored."""
    with transaction.atomic():
        discussion = DiscussionRequest.objects.create(consultation=consultation, **details)
        transaction.on_commit(lambda: tasks.email_discussion_request.enqueue(discussion.pk))
    return discussion


def outcome_saved(*, outcome: Outcome) -> None:
    """Call once an outcome is saved with its key questions and actions (the admin does, after its forms).

    If it is published, its subscribers are emailed once the transaction commits; one published
    from a future date is sent then. Safe to call on every save: each subscriber is emailed once
    per outcome however often this runs (see ``subscriptions.create_notifications``).
    """
    if outcome.publication_status != Outcome.Status.PUBLISHED:
        return
    outcome_id, publish_at = outcome.pk, outcome.publish_at
    transaction.on_commit(lambda: tasks.enqueue_at(tasks.notify_outcome_subscribers, publish_at, outcome_id))


def subscribe(*, consultation: Consultation, email: str) -> Subscription:
    """Store the address, unconfirmed, and queue an email with a link to confirm it.

    The same address asking twice keeps one row. A confirmed address gets no email; one that had
    unsubscribed must confirm again.
    """
    now = timezone.now()
    with transaction.atomic():
        subscription, created = Subscription.objects.select_for_update().get_or_create(
            consultation=consultation, email=email.strip().lower()
        )
        if subscription.is_active:
            return subscription
        recently_asked = (
            not created
            and subscription.unsubscribed_at is None
            and (now - subscription.requested_at < CONFIRMATION_RESEND_AFTER)
        )
        if recently_asked:
            return subscription
        subscription.requested_at = now
        subscription.confirmed_at = None
        subscription.unsubscribed_at = None
        subscription.save()
        subscription_id = subscription.pk
        transaction.on_commit(lambda: tasks.send_subscription_confirmation.enqueue(subscription_id))
    return subscription


def confirm_subscription(*, subscription: Subscription) -> None:
    """The address owner clicked the link. If the results are already out, they are told now."""
    with transaction.atomic():
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
        outcome = subscription.consultation.published_outcome
        if outcome is not None:
            outcome_saved(outcome=outcome)


def unsubscribe(*, subscription: Subscription) -> None:
    """Stop all email at once and forget the address. The row (without it) stays for 30 days so the
    links in earlier emails still say "you are unsubscribed"."""
    if subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = timezone.now()
        subscription.email = None
        subscription.save(update_fields=["unsubscribed_at", "email"])
