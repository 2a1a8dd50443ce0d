import re

import pytest
from playwright.sync_api import expect

from consultations.seed import load_consultations
from surveys.models import Answer, Response
from tests.browser.axe import assert_accessible, assert_no_browser_errors

pytestmark = pytest.mark.browser

GREENWICH_SURVEY = "/greenwich/consultations/recovery-and-reset-plan/survey/"


@pytest.fixture
def survey_url(site_url):
    load_consultations()
    return site_url + GREENWICH_SURVEY


def test_greenwich_survey_from_empty_submit_to_confirmation(page, survey_url, browser_log):
    page.goto(survey_url)
    assert_accessible(page)
    page.get_by_role("button", name="Start now").click()
    assert_accessible(page)

    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)
    summary.get_by_role("link", name="Select an answer to “Which of our aims should come first?”").click()
    expect(page.locator("#id_first_priority")).to_be_focused()

    page.get_by_label("Agree", exact=True).check()
    page.get_by_label("Which positive changes").fill("Keep video appointments,\nthey save a day off work.")
    page.get_by_label("Other").check()
    other = page.get_by_label("Please specify")
    expect(other).to_be_visible()
    other.fill("Dentists")
    page.get_by_label("Yes").check()
    expect(page.get_by_label("Your email address")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("About you")
    page.get_by_label("25 to 34").check()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending them")
    expect(page.get_by_text("Other: Dentists")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send my answers").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Answers sent")
    assert_accessible(page)
    reference = page.locator(".app-reference").inner_text()
    response = Response.objects.get(reference=reference)
    assert response.channel == "online"
    stored = dict(Answer.objects.filter(response=response).values_list("question__identifier", "choice__value"))
    assert stored["plan_focus"] == "agree" and stored["first_priority"] == "other"
    assert Answer.objects.get(response=response, question__identifier="changes_to_keep").text == (
        "Keep video appointments,\nthey save a day off work."
    )
    assert_no_browser_errors(browser_log)


def test_closed_consultation_page_is_accessible(page, survey_url, site_url, browser_log):
    from datetime import timedelta

    from django.utils import timezone

    from consultations.models import Consultation

    Consultation.objects.filter(slug="recovery-and-reset-plan").update(
        opens_at=timezone.now() - timedelta(days=20), closes_at=timezone.now() - timedelta(days=1)
    )
    page.goto(survey_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("This consultation has closed")
    assert_accessible(page)
    page.goto(site_url + "/greenwich/consultations/recovery-and-reset-plan/")
    assert_accessible(page)
    assert_no_browser_errors(browser_log)


def test_discussion_request_form_errors_and_confirmation_are_accessible(page, survey_url, site_url, browser_log):
    page.goto(site_url + "/greenwich/consultations/recovery-and-reset-plan/request-a-discussion/")
    assert_accessible(page)
    page.get_by_role("button", name="Send request").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_focused()
    assert_accessible(page)
    page.get_by_label("Name of your group").fill("Plumstead Walkers")
    page.get_by_label("Your name").fill("Sam")
    page.get_by_label("Your email address").fill("sam@example.org")
    page.get_by_label("10 to 25 people").check()
    page.get_by_label("Online (video call)").check()
    page.get_by_label("When could your group meet?").fill("Tuesday evenings")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request sent")
    assert_accessible(page)
    assert_no_browser_errors(browser_log)
