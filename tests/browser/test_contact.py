"""A resident sends a message to a partnership: the form, its errors and the confirmation are accessible."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible, assert_no_browser_errors
from tests.browser.test_exports import look

pytestmark = pytest.mark.browser


def test_sending_a_message_from_the_contact_page(page, site_url, browser_log):
    page.goto(site_url + "/contact/")
    assert_accessible(page)
    page.get_by_role("link", name="Send a message to Healthier Greenwich Alliance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Send a message to Healthier Greenwich Alliance")
    assert_accessible(page)

    page.get_by_label("Your name").fill("Ade Okafor")
    page.get_by_role("button", name="Send message").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter your email address")
    expect(summary).to_contain_text("Enter your message")
    expect(page.get_by_label("Your name")).to_have_value("Ade Okafor")
    assert_accessible(page)
    look(page, "contact-errors")

    page.get_by_label("Your email address").fill("ade@example.org")
    page.get_by_label("Your message").fill("Is there a large print copy of the plan?")
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Message sent")
    assert_accessible(page)
    assert [email.reply_to for email in mail.outbox] == [["ade@example.org"]]
    assert_no_browser_errors(browser_log)
