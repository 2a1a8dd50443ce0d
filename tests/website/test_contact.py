"""Every partnership can be reached: a message form delivered to its inbox, or to the site's."""

import pytest
from django.core import mail
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from tests.factories import make_consultation

pytestmark = pytest.mark.django_db

MESSAGE = {"name": "Ade Okafor", "email": "ade@example.org", "message": "Is there a large print copy of the plan?"}


def test_a_message_reaches_the_partnerships_own_inbox_and_can_be_replied_to(client, greenwich):
    greenwich.contact_email = "team@greenwich.example.org"
    greenwich.save()
    sent = client.post("/contact/greenwich/", MESSAGE)
    assertRedirects(sent, "/contact/greenwich/sent/")
    assertContains(client.get(sent["Location"]), "Your message is on its way to Healthier Greenwich Alliance")
    [email] = mail.outbox
    assert email.to == ["team@greenwich.example.org"] and email.reply_to == ["ade@example.org"]
    assert "Is there a large print copy of the plan?" in email.body and "Ade Okafor" in email.subject


def test_a_partnership_without_an_inbox_gets_its_messages_through_the_sites(client, greenwich, settings):
    settings.SITE_CONTACT_EMAIL = "consultations@selondon.example.org"
    assert greenwich.contact_email == ""
    client.post("/contact/greenwich/", MESSAGE)
    assert [email.to for email in mail.outbox] == [["consultations@selondon.example.org"]]


@pytest.mark.parametrize(
    "changed, message",
    [
        ({"name": ""}, "Enter your name"),
        ({"email": "ade@"}, "Enter an email address in the correct format, like name@example.com"),
        ({"message": ""}, "Enter your message"),
        ({"message": "x" * 2001}, "Your message must be 2,000 characters or fewer"),
        ({"message": "Hello\x00"}, "Your answer contains characters we cannot accept"),
    ],
)
def test_bad_input_gets_a_specific_message_and_keeps_what_was_typed(client, greenwich, changed, message):
    page = client.post("/contact/greenwich/", {**MESSAGE, **changed})
    assertContains(page, message)
    assertContains(page, "There is a problem")
    assertContains(page, "Ade Okafor" if "name" not in changed else "ade@example.org")
    assert page.content.decode().startswith("<!DOCTYPE html>") and "<title>Error: " in page.content.decode()
    assert mail.outbox == []


def test_a_bot_filling_the_hidden_field_is_told_it_went_and_nothing_is_sent(client, greenwich):
    from common.spam import HONEYPOT_FIELD

    sent = client.post("/contact/greenwich/", {**MESSAGE, HONEYPOT_FIELD: "http://spam.example"})
    assertRedirects(sent, "/contact/greenwich/sent/")
    assert mail.outbox == []


def test_messages_are_rate_limited_per_connection(client, greenwich, settings):
    settings.CONTACT_RATE_LIMIT = 2
    for _ in range(2):
        assert client.post("/contact/greenwich/", MESSAGE).status_code == 302
    refused = client.post("/contact/greenwich/", MESSAGE)
    assert refused.status_code == 429
    assertContains(refused, "You have sent a lot of messages from this connection", status_code=429)
    assertContains(refused, "Is there a large print copy of the plan?", status_code=429)
    assert len(mail.outbox) == 2


def test_an_unpublished_partnership_has_no_contact_form(client, greenwich):
    greenwich.publication_status = greenwich.Status.DRAFT
    greenwich.save()
    assert client.get("/contact/greenwich/").status_code == 404


def test_every_contact_page_and_partnership_page_offers_the_message_form(client, greenwich):
    for page in [client.get("/contact/"), client.get("/greenwich/")]:
        assertContains(page, 'href="/contact/greenwich/"')
        assertNotContains(page, "Contact details will be added soon")


def test_a_consultation_with_a_name_but_no_address_offers_the_message_form(client, greenwich):
    consultation = make_consultation(greenwich, "Winter plan", contact_name="Jo Bloggs")
    page = client.get(consultation.get_absolute_url())
    link = '<a href="/contact/greenwich/">Send a message to Healthier Greenwich Alliance</a>.'
    assertContains(page, link, html=False)
    consultation.contact_email = "jo@greenwich.example.org"
    consultation.save()
    page = client.get(consultation.get_absolute_url())
    assertContains(page, 'Email Jo Bloggs at <a href="mailto:jo@greenwich.example.org">', html=False)


def test_discussion_requests_reach_the_sites_inbox_when_nobody_else_has_one(client, greenwich, settings):
    from consultations.models import DiscussionRequest
    from consultations.tasks import email_discussion_request

    settings.SITE_CONTACT_EMAIL = "consultations@selondon.example.org"
    consultation = make_consultation(greenwich, "Winter plan")
    discussion = DiscussionRequest.objects.create(
        consultation=consultation, group_name="Tenants", contact_name="Sam", email="sam@example.org",
        group_size="under_10", preferred_format="online", preferred_dates="Tuesdays",
    )  # fmt: skip
    email_discussion_request.call(discussion.pk)
    assert [email.to for email in mail.outbox] == [["consultations@selondon.example.org"]]


def test_editors_are_warned_when_nobody_has_an_inbox(client, alice, greenwich):
    from tests.factories import pass_second_factor

    client.force_login(alice)
    pass_second_factor(client, alice)
    page = client.get(f"/admin/partnerships/partnership/{greenwich.pk}/change/")
    assertContains(page, "This partnership has no contact email")
    consultation = make_consultation(greenwich, "Winter plan")
    page = client.get(f"/admin/consultations/consultation/{consultation.pk}/change/")
    assertContains(page, "This consultation has no contact email")
    greenwich.contact_email = "team@greenwich.example.org"
    greenwich.save()
    assertNotContains(client.get(f"/admin/partnerships/partnership/{greenwich.pk}/change/"), "no contact email")
