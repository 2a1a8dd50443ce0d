"""Writes for discussion requests, outcomes and email subscriptions, each in one transaction.

Emails are never sent from here: tasks are queued once the transaction has committed, so a
worker never looks for rows that are not there yet, and a rolled-back change sends nothing.
"""

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from common.text import pluralise
from consultations import tasks
from consultations.models import Consultation, DiscussionRequest, Outcome, Subscription
from surveys import reporting
from surveys import services as survey_services
from surveys.models import ErasureRecord, Response, Survey

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

    If it is published: its key figures are frozen as they are now (so the results page stays true
    once the responses are erased at the end of their retention period), and its subscribers are
    emailed once the transaction commits; one published from a future date is sent then. Safe to
    call on every save: each subscriber is emailed once per outcome however often this runs (see
    ``subscriptions.create_notifications``).
    """
    if outcome.publication_status != Outcome.Status.PUBLISHED:
        return
    freeze_figures(outcome=outcome)
    outcome_id, publish_at = outcome.pk, outcome.publish_at
    transaction.on_commit(lambda: tasks.enqueue_at(tasks.notify_outcome_subscribers, publish_at, outcome_id))


def freeze_figures(*, outcome: Outcome, force: bool = False) -> None:
    """Store the outcome's key figures as they are now, unless its responses have been erased already."""
    survey = Survey.objects.filter(consultation_id=outcome.consultation_id).select_related("consultation").first()
    if survey is None:
        return
    if not force and outcome.frozen_figures is not None and timezone.now() >= survey.erase_after:
        return  # the responses are gone (or going): keep the figures published before
    key_questions = outcome.key_questions.values_list("pk", flat=True)
    outcome.frozen_figures = reporting.key_figures(survey, key_question_ids=key_questions).as_record()
    outcome.figures_as_at = timezone.now()
    outcome.save(update_fields=["frozen_figures", "figures_as_at"])


def outcome_figures(outcome: Outcome) -> reporting.KeyFigures | None:
    """What the results page shows: the figures frozen at publication, or (in a preview) as they are now."""
    if outcome.frozen_figures is not None:
        return reporting.KeyFigures.from_record(outcome.frozen_figures)
    survey = getattr(outcome.consultation, "survey", None)
    if survey is None:
        return None
    return reporting.key_figures(survey, key_question_ids=outcome.key_questions.values_list("pk", flat=True))


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


def erase_expired_responses(*, now: datetime.datetime | None = None) -> list[tuple[Survey, int]]:
    """Erase every survey's responses once its retention period has ended. Returns (survey, erased) pairs.

    A published outcome's key figures are frozen first, so its results page stays as it was.
    Safe to run again: a survey with nothing left to erase is skipped.
    """
    now = now or timezone.now()
    erased = []
    with_responses = Survey.objects.filter(Exists(Response.objects.filter(survey=OuterRef("pk"))))
    for survey in with_responses.select_related("consultation__partnership"):
        if now < survey.erase_after:
            continue
        outcome = Outcome.objects.filter(consultation_id=survey.consultation_id).first()
        published = outcome is not None and outcome.publication_status == Outcome.Status.PUBLISHED
        if published and outcome.frozen_figures is None:
            freeze_figures(outcome=outcome, force=True)
        count = survey_services.erase_responses(
            survey=survey,
            responses=Response.objects.all(),
            how=ErasureRecord.How.RETENTION,
            reason=f"Kept for {pluralise(survey.retention_months, 'month')} after the consultation closed.",
        )
        erased.append((survey, count))
    return erased
