import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone

from consultations import subscriptions
from consultations.models import DiscussionRequest, Outcome

logger = logging.getLogger(__name__)


@task
def email_discussion_request(request_id: int) -> None:
    """Tell the partnership's contact that a group asked for a discussion."""
    discussion = DiscussionRequest.objects.select_related("consultation__partnership").get(pk=request_id)
    consultation = discussion.consultation
    recipient = consultation.contact_email_or_partnership
    if not recipient:
        return
    context = {"discussion": discussion, "consultation": consultation, "site_name": settings.SITE_NAME}
    send_mail(
        subject=render_to_string("emails/discussion_request_subject.txt", context).strip(),
        message=render_to_string("emails/discussion_request.txt", context),
        from_email=None,
        recipient_list=[recipient],
        html_message=render_to_string("emails/discussion_request.html", context),
    )


# Emails to residents who asked to be told of a consultation's results. Sending can fail (the SMTP
# server is down or refuses): each email is tried again after these delays, then given up and logged.
RETRY_DELAYS = [datetime.timedelta(minutes=1), datetime.timedelta(minutes=10), datetime.timedelta(hours=1)]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# smtplib.SMTPException is an OSError, as are refused connections and timeouts.
SEND_ERRORS = (smtplib.SMTPException, OSError)


def enqueue_at(task_to_run, when: datetime.datetime | None, *args, **kwargs) -> None:
    """Queue a task to run at ``when`` if that is in the future and the backend can wait, else now."""
    if when is not None and when > timezone.now() and task_to_run.get_backend().supports_defer:
        task_to_run = task_to_run.using(run_after=when)
    task_to_run.enqueue(*args, **kwargs)


def try_again_later(task_to_run, attempt: int, error: Exception, *args) -> None:
    if attempt >= MAX_ATTEMPTS:
        logger.error("Gave up on %s%r after %d attempts: %s", task_to_run.name, args, attempt, error)
        return
    delay = RETRY_DELAYS[attempt - 1]
    logger.warning("%s%r failed (%s); trying again in %s", task_to_run.name, args, error, delay)
    enqueue_at(task_to_run, timezone.now() + delay, *args, attempt=attempt + 1)


@task
def send_subscription_confirmation(subscription_id: int, attempt: int = 1) -> None:
    """Email the link that confirms an address (double opt-in): nothing else goes until it is clicked."""
    try:
        subscriptions.send_confirmation(subscription_id)
    except SEND_ERRORS as error:
        try_again_later(send_subscription_confirmation, attempt, error, subscription_id)


@task
def notify_outcome_subscribers(outcome_id: int) -> None:
    """Queue one email per active subscriber not yet told of this outcome."""
    outcome = Outcome.objects.select_related("consultation__partnership").filter(pk=outcome_id).first()
    if outcome is None or outcome.publication_status != Outcome.Status.PUBLISHED:
        return
    if outcome.publish_at > timezone.now():
        # Its publication date moved later since this was queued: wait for it.
        if notify_outcome_subscribers.get_backend().supports_defer:
            enqueue_at(notify_outcome_subscribers, outcome.publish_at, outcome_id)
        else:
            logger.warning("Outcome %s is published from a future date; this task backend cannot wait", outcome_id)
        return
    if not outcome.is_public:
        return
    for notification_id in subscriptions.create_notifications(outcome=outcome):
        send_outcome_email.enqueue(notification_id)


@task
def send_outcome_email(notification_id: int, attempt: int = 1) -> None:
    """Email one subscriber that the results are published, exactly once (see send_outcome_notification)."""
    try:
        subscriptions.send_outcome_notification(notification_id)
    except SEND_ERRORS as error:
        try_again_later(send_outcome_email, attempt, error, notification_id)
