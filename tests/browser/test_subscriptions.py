import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from consultations.seed import load_consultations
from tests.browser.axe import assert_accessible, assert_no_browser_errors

pytestmark = pytest.mark.browser


@pytest.fixture
def consultation_url(site_url):
    load_consultations()
    return site_url + "/greenwich/consultations/recovery-and-reset-plan/"


def test_email_sign_up_errors_sent_and_confirmed_pages_are_accessible(page, consultation_url, browser_log):
    page.goto(consultation_url)
    page.get_by_role("link", name="Sign up for an email about the results").click()
    assert_accessible(page)
    page.get_by_role("button", name="Email me").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_focused()
    assert_accessible(page)

    page.get_by_label("Email address").fill("resident@example.org")
    page.get_by_label("Email me when the results of this consultation are published").check()
    page.get_by_role("button", name="Email me").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("email")
    assert_accessible(page)

    link = re.search(r"https?://\S+/subscriptions/confirm/\S+/", mail.outbox[-1].body).group(0)
    page.goto(consultation_url.split("/greenwich/")[0] + "/subscriptions/confirm/" + link.rsplit("/confirm/", 1)[1])
    assert_accessible(page)
    page.get_by_role("button").filter(has_text=re.compile("Confirm|Yes", re.I)).first.click()
    assert_accessible(page)
    assert_no_browser_errors(browser_log)
