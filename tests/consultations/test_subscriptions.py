"""Residents ask to be told when the results are published: double opt-in, one email per outcome, unsubscribe."""

import datetime
import email.policy
import hashlib
import logging
import re
import smtplib
import threading
import time
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import connection
from django.tasks import default_task_backend
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from consultations import services, subscriptions, tasks
from consultations.models import Outcome, OutcomeNotification, Subscription
from surveys.models import Response
from surveys.services import submit_response
from tests.factories import make_consultation, make_outcome, make_question, make_survey, publish_outcome

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
ADDRESS = "sam@example.org"
LINK = re.compile(r"https://consult\.example\.org(/\S*)")


@pytest.fixture
def consultation(greenwich):
    return make_consultation(greenwich, "Recovery plan")


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run what the code queues for after the transaction commits, as a real request would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


@pytest.fixture
def queued(settings):
    """The DummyBackend: tasks are recorded, not run, so a test can look at what was queued."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    return default_task_backend


def subscribe_url(consultation) -> str:
    return consultation.get_absolute_url() + "email-me/"


def sign_up(client, run_on_commit, consultation, email=ADDRESS):
    return run_on_commit(client.post, subscribe_url(consultation), {"email": email, "consent": "on"})


def links(message) -> list[str]:
    """The site paths linked from an email's text part, in order."""
    return LINK.findall(message.body)


def token_of(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


ENTER_EMAIL = ("email", "Enter your email address")
EMAIL_FORMAT = ("email", "Enter an email address in the correct format, like name@example.com")
TICK_THE_BOX = ("consent", "Tick the box to say you want an email when the results are published")


def close(consultation) -> None:
    consultation.opens_at = timezone.now() - 30 * DAY
    consultation.closes_at = timezone.now() - DAY
    consultation.save()


def confirmed_subscriber(consultation, email=ADDRESS) -> Subscription:
    return Subscription.objects.create(consultation=consultation, email=email, confirmed_at=timezone.now())


def publish(run_on_commit, outcome) -> Outcome:
    return run_on_commit(publish_outcome, outcome)


# Signing up


def test_signing_up_sends_one_email_with_a_link_to_confirm_and_nothing_else(client, run_on_commit, consultation):
    response = sign_up(client, run_on_commit, consultation)

    assert response["Location"] == subscribe_url(consultation) + "check-your-email/"
    assertContains(client.get(response["Location"]), "Check your email")
    subscription = Subscription.objects.get()
    assert (subscription.email, subscription.confirmed_at) == (ADDRESS, None)
    [message] = mail.outbox
    assert message.to == [ADDRESS]
    assert message.subject == "Confirm your email address: Recovery plan"
    confirm, _, unsubscribe = links(message)
    assert confirm.startswith("/subscriptions/confirm/")
    assert unsubscribe.startswith("/subscriptions/unsubscribe/")
    html = message.alternatives[0].content
    assert confirm in html and unsubscribe in html


def test_only_a_hash_of_the_token_in_the_link_is_stored(client, run_on_commit, consultation):
    sign_up(client, run_on_commit, consultation)
    token = token_of(links(mail.outbox[0])[0])
    subscription = Subscription.objects.get()
    assert len(token) >= 43  # secrets.token_urlsafe(32): 256 random bits
    assert subscription.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Subscription.objects.values().get())


def test_the_email_is_sent_by_a_background_task_after_the_request(client, run_on_commit, consultation, queued):
    sign_up(client, run_on_commit, consultation)
    assert mail.outbox == []
    [result] = queued.results
    assert result.task.name == "send_subscription_confirmation"
    assert result.args == [Subscription.objects.get().pk]


def test_confirming_takes_a_button_press_so_link_checkers_confirm_nobody(client, run_on_commit, consultation):
    sign_up(client, run_on_commit, consultation)
    confirm = links(mail.outbox[0])[0]

    page = client.get(confirm)
    assertContains(page, "Confirm my email address")
    assert Subscription.objects.get().confirmed_at is None

    response = client.post(confirm)
    assert response["Location"] == confirm
    assertContains(client.get(confirm), "Email address confirmed")
    assert Subscription.objects.get().is_active


def test_the_same_address_twice_is_one_subscription_and_the_page_says_the_same(client, run_on_commit, consultation):
    first = sign_up(client, run_on_commit, consultation, email="Sam@Example.org")
    first_page = client.get(first["Location"]).content
    Subscription.objects.update(confirmed_at=timezone.now())
    mail.outbox.clear()

    again = sign_up(client, run_on_commit, consultation, email="sam@example.org ")

    assert again["Location"] == first["Location"]
    assert client.get(again["Location"]).content == first_page
    assert Subscription.objects.count() == 1
    assert mail.outbox == []  # already confirmed: nothing more to send


def test_an_unconfirmed_address_asking_again_later_gets_a_new_link(client, run_on_commit, consultation):
    sign_up(client, run_on_commit, consultation)
    sign_up(client, run_on_commit, consultation)
    assert len(mail.outbox) == 1  # asked twice in a row: one email
    Subscription.objects.update(requested_at=timezone.now() - services.CONFIRMATION_RESEND_AFTER)
    sign_up(client, run_on_commit, consultation)
    assert len(mail.outbox) == 2
    old_link, new_link = (links(message)[0] for message in mail.outbox)
    assertContains(client.get(old_link), "This link does not work", status_code=404)
    assertContains(client.get(new_link), "Confirm my email address")


def test_subscriptions_are_kept_apart_from_survey_responses(client, run_on_commit, consultation):
    survey = make_survey(consultation)
    make_question(survey.sections.create(title="Views"), "comment", "short_text")
    response, _ = submit_response(survey=survey, answers={"comment": "More evening appointments"})
    confirmation_page = client.get(f"{consultation.get_absolute_url()}survey/sent/{response.reference}/")
    assertContains(confirmation_page, "Email me when the results of this consultation are published")

    sign_up(client, run_on_commit, consultation)

    stored = Subscription.objects.values().get()
    assert response.reference not in str(stored)
    related = {field.related_model for field in Subscription._meta.get_fields() if field.is_relation}
    assert Response not in related
    assert not any(model._meta.app_label == "surveys" for model in related if model)


def test_the_form_is_on_the_consultation_page_until_the_results_are_published(client, run_on_commit, consultation):
    assertContains(client.get(consultation.get_absolute_url()), "Get an email when the results are published")
    close(consultation)
    publish(run_on_commit, make_outcome(consultation))
    page = client.get(consultation.get_absolute_url())
    assertNotContains(page, "Get an email when the results are published")
    assertContains(client.get(subscribe_url(consultation)), "The results of this consultation are already published")


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({}, [ENTER_EMAIL, TICK_THE_BOX]),
        ({"email": "sam at example", "consent": "on"}, [EMAIL_FORMAT]),
        ({"email": ADDRESS}, [TICK_THE_BOX]),
    ],
    ids=["empty", "invalid-email", "no-consent"],
)
def test_bad_input_gets_nhs_error_messages_and_keeps_what_was_typed(client, consultation, data, errors):
    page = client.post(subscribe_url(consultation), data)
    assertContains(page, "There is a problem")
    assertContains(page, "<title>Error: ", count=1)
    for field, error in errors:
        assertContains(page, f'<li><a href="#id_{field}">{error}</a></li>')
        assertContains(page, f'<span class="nhsuk-u-visually-hidden">Error: </span>{error}</span>')
    if data.get("email"):
        assertContains(page, f'value="{data["email"]}"')
    assert ("checked" in page.content.decode()) == ("consent" in data)
    assert not Subscription.objects.exists()


def test_many_sign_ups_from_one_connection_are_refused(client, run_on_commit, consultation, settings):
    settings.SUBSCRIBE_RATE_LIMIT = 2
    for number in range(2):
        sign_up(client, run_on_commit, consultation, email=f"person{number}@example.org")
    page = sign_up(client, run_on_commit, consultation, email="person3@example.org")
    assert page.status_code == 429
    assertContains(page, "You have asked for a lot of emails from this connection", status_code=429)
    assertContains(page, 'value="person3@example.org"', status_code=429)
    assert Subscription.objects.count() == 2


def test_a_filled_in_honeypot_stores_and_sends_nothing(client, run_on_commit, consultation):
    data = {"email": ADDRESS, "consent": "on", "website": "spam"}
    response = run_on_commit(client.post, subscribe_url(consultation), data)
    assert response["Location"].endswith("check-your-email/")
    assert not Subscription.objects.exists()
    assert mail.outbox == []


# From confirmation to the results email


def test_subscribe_confirm_publish_sends_exactly_one_email_with_the_outcome_and_an_unsubscribe_link(
    client, run_on_commit, consultation
):
    sign_up(client, run_on_commit, consultation)
    run_on_commit(client.post, links(mail.outbox[0])[0])
    mail.outbox.clear()
    close(consultation)

    outcome = publish(run_on_commit, make_outcome(consultation))

    [message] = mail.outbox
    assert message.to == [ADDRESS]
    assert message.subject == "Results published: Recovery plan"
    outcome_link, unsubscribe = links(message)
    assert outcome_link == "/greenwich/consultations/recovery-plan/#what-we-heard"
    assert outcome_link in message.alternatives[0].content
    assert unsubscribe.startswith("/subscriptions/unsubscribe/")
    one_click = f"https://consult.example.org/subscriptions/one-click/{token_of(unsubscribe)}/"
    assert message.extra_headers["List-Unsubscribe"] == f"<{one_click}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    raw = message.message(policy=email.policy.SMTP).as_bytes()
    assert f"\r\nList-Unsubscribe: <{one_click}>\r\n".encode() in raw  # whole, not folded or encoded
    assert OutcomeNotification.objects.get(outcome=outcome).sent_at is not None
    assertContains(client.get(unsubscribe), "Stop emails about")


def test_an_address_never_confirmed_gets_no_results_email(client, run_on_commit, consultation):
    sign_up(client, run_on_commit, consultation)
    mail.outbox.clear()
    close(consultation)
    publish(run_on_commit, make_outcome(consultation))
    assert mail.outbox == []


def test_confirming_after_the_results_are_out_sends_them_at_once(client, run_on_commit, consultation):
    sign_up(client, run_on_commit, consultation)
    confirm = links(mail.outbox[0])[0]
    close(consultation)
    publish(run_on_commit, make_outcome(consultation))
    mail.outbox.clear()

    run_on_commit(client.post, confirm)

    [message] = mail.outbox
    assert message.subject == "Results published: Recovery plan"


def test_an_outcome_published_from_a_later_date_is_sent_then(run_on_commit, consultation, queued):
    confirmed_subscriber(consultation)
    close(consultation)
    later = timezone.now() + 2 * DAY
    run_on_commit(publish_outcome, make_outcome(consultation), publish_at=later)
    [result] = queued.results
    assert (result.task.name, result.task.run_after) == ("notify_outcome_subscribers", later)


# Unsubscribing


def test_unsubscribe_page_asks_first_then_forgets_the_address(client, run_on_commit, consultation):
    sign_up(client, run_on_commit, consultation)
    unsubscribe = links(mail.outbox[0])[-1]

    assertContains(client.get(unsubscribe), "Stop emails about")
    assert Subscription.objects.get().unsubscribed_at is None

    response = client.post(unsubscribe)
    assert response["Location"] == unsubscribe
    assertContains(client.get(unsubscribe), "You are unsubscribed")
    subscription = Subscription.objects.get()
    assert subscription.unsubscribed_at is not None
    assert subscription.email is None


def test_unsubscribe_page_needs_the_csrf_token_but_one_click_unsubscribe_does_not(run_on_commit, consultation):
    browser = Client(enforce_csrf_checks=True)
    sign_up(browser, run_on_commit, consultation)  # a 403 here would store nothing
    assert Subscription.objects.count() == 0
    sign_up(Client(), run_on_commit, consultation)
    token = token_of(links(mail.outbox[0])[-1])

    assert browser.post(f"/subscriptions/unsubscribe/{token}/").status_code == 403
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        f"/subscriptions/one-click/{token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert Subscription.objects.get().unsubscribed_at is not None


def test_one_click_address_opened_in_a_browser_leads_to_the_page_with_a_button(client, consultation):
    subscription = confirmed_subscriber(consultation)
    token, subscription.token_hash = subscriptions.new_token()
    subscription.save()
    response = client.get(f"/subscriptions/one-click/{token}/")
    assert response["Location"] == f"/subscriptions/unsubscribe/{token}/"
    assert Subscription.objects.get().unsubscribed_at is None


def test_the_unsubscribe_link_in_the_results_email_works(client, run_on_commit, consultation):
    confirmed_subscriber(consultation)
    close(consultation)
    publish(run_on_commit, make_outcome(consultation))
    token = token_of(links(mail.outbox[0])[-1])
    assert Client(enforce_csrf_checks=True).post(f"/subscriptions/one-click/{token}/").status_code == 200
    assert Subscription.objects.get().unsubscribed_at is not None


def test_an_unsubscribed_address_gets_nothing(client, run_on_commit, consultation):
    sign_up(client, run_on_commit, consultation)
    confirm, _, unsubscribe = links(mail.outbox[0])
    run_on_commit(client.post, confirm)
    client.post(unsubscribe)
    mail.outbox.clear()

    assertContains(client.get(confirm), "You unsubscribed")
    close(consultation)
    publish(run_on_commit, make_outcome(consultation))

    assert mail.outbox == []


def test_an_unknown_link_says_it_does_not_work(client):
    for path in ["confirm", "unsubscribe", "one-click"]:
        assertContains(
            client.get(f"/subscriptions/{path}/not-a-real-token/"), "This link does not work", status_code=404
        )
    assert Client(enforce_csrf_checks=True).post("/subscriptions/one-click/not-a-real-token/").status_code == 404


# Exactly once


def test_publishing_again_or_unpublishing_and_republishing_sends_no_second_email(run_on_commit, consultation):
    confirmed_subscriber(consultation)
    close(consultation)
    outcome = publish(run_on_commit, make_outcome(consultation))
    publish(run_on_commit, outcome)
    outcome.publication_status = Outcome.Status.DRAFT
    outcome.save()
    publish(run_on_commit, outcome)
    assert len(mail.outbox) == 1
    assert OutcomeNotification.objects.count() == 1


def test_the_tasks_running_twice_send_one_email(consultation):
    confirmed_subscriber(consultation)
    confirmed_subscriber(consultation, email="alex@example.org")
    close(consultation)
    outcome = make_outcome(consultation, publication_status=Outcome.Status.PUBLISHED)

    tasks.notify_outcome_subscribers.call(outcome.pk)
    tasks.notify_outcome_subscribers.call(outcome.pk)
    for notification in OutcomeNotification.objects.all():
        tasks.send_outcome_email.call(notification.pk)

    assert sorted(message.to[0] for message in mail.outbox) == ["alex@example.org", ADDRESS]
    assert OutcomeNotification.objects.filter(sent_at__isnull=False).count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_same_email_task_running_twice_at_once_sends_one_email(consultation, monkeypatch):
    confirmed_subscriber(consultation)
    close(consultation)
    outcome = make_outcome(consultation, publication_status=Outcome.Status.PUBLISHED)
    [notification_id] = subscriptions.create_notifications(outcome=outcome)
    send = subscriptions._send

    def slow_send(**kwargs):
        time.sleep(0.3)  # long enough for the other worker to reach the row
        send(**kwargs)

    monkeypatch.setattr(subscriptions, "_send", slow_send)
    results = []

    def worker():
        try:
            results.append(subscriptions.send_outcome_notification(notification_id))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False, True]
    assert len(mail.outbox) == 1


class FailingBackend(EmailBackend):
    """Refuses the next ``failures`` messages, as an SMTP server that is down would."""

    failures = 0

    def send_messages(self, messages):
        if FailingBackend.failures:
            FailingBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def failing_mail(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FailingBackend"}}
    yield FailingBackend
    FailingBackend.failures = 0


def test_a_failed_send_is_tried_again_later_and_sent_once(run_on_commit, consultation, failing_mail, queued):
    confirmed_subscriber(consultation)
    close(consultation)
    failing_mail.failures = 1
    publish(run_on_commit, make_outcome(consultation))
    fan_out = queued.results.pop()
    fan_out.task.call(*fan_out.args)
    first_try = queued.results.pop()
    first_try.task.call(*first_try.args, **first_try.kwargs)
    assert mail.outbox == []

    [retry] = queued.results
    assert retry.task.name == "send_outcome_email"
    assert retry.kwargs == {"attempt": 2}
    assert retry.task.run_after - timezone.now() > datetime.timedelta(seconds=50)
    retry.task.call(*retry.args, **retry.kwargs)
    first_try.task.call(*first_try.args, **first_try.kwargs)  # a late duplicate changes nothing

    assert len(mail.outbox) == 1
    assert OutcomeNotification.objects.get().sent_at is not None


def test_sending_that_fails_once_succeeds_on_retry_with_tasks_run_at_once(run_on_commit, consultation, failing_mail):
    confirmed_subscriber(consultation)
    close(consultation)
    failing_mail.failures = 1
    publish(run_on_commit, make_outcome(consultation))
    assert len(mail.outbox) == 1


def test_a_send_that_keeps_failing_is_given_up_and_logged(run_on_commit, consultation, failing_mail, caplog):
    confirmed_subscriber(consultation)
    close(consultation)
    failing_mail.failures = tasks.MAX_ATTEMPTS + 5
    with caplog.at_level(logging.WARNING, logger="consultations.tasks"):
        publish(run_on_commit, make_outcome(consultation))
    assert mail.outbox == []
    assert failing_mail.failures == 5  # tried MAX_ATTEMPTS times, no more
    [gave_up] = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert "Gave up on send_outcome_email" in gave_up.getMessage()
    assert OutcomeNotification.objects.get().sent_at is None


# Tidying up


def test_prune_deletes_unsubscribed_and_never_confirmed_addresses_after_30_days(consultation):
    now = timezone.now()
    old, recent = now - 31 * DAY, now - 29 * DAY

    def make(email, **fields):
        return Subscription.objects.create(consultation=consultation, email=email, **fields)

    make("old-unconfirmed@example.org", requested_at=old)
    make("old-unsubscribed@example.org", requested_at=old, confirmed_at=old, unsubscribed_at=old)
    kept = {
        make("new-unconfirmed@example.org", requested_at=recent).pk,
        make("new-unsubscribed@example.org", requested_at=old, confirmed_at=old, unsubscribed_at=recent).pk,
        make("confirmed@example.org", requested_at=old, confirmed_at=old).pk,
    }

    out = StringIO()
    call_command("prune_subscriptions", stdout=out)

    assert out.getvalue().strip() == "Deleted 2 subscriptions."
    assert set(Subscription.objects.values_list("pk", flat=True)) == kept


def test_email_subjects_are_plain_text(client, run_on_commit, greenwich):
    consultation = make_consultation(greenwich, "Greenwich's plan", slug="greenwich-plan")
    sign_up(client, run_on_commit, consultation)
    assert mail.outbox[0].subject == "Confirm your email address: Greenwich's plan"
