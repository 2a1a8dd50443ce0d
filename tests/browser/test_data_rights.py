"""The pages of residents' data rights are accessible in every state: form, error, confirm, done, notice."""

import pytest
from playwright.sync_api import expect

from partnerships.models import Partnership
from surveys.models import Question, Response
from tests.browser.axe import assert_accessible, assert_no_browser_errors
from tests.factories import make_consultation, make_question, make_survey, respond

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def survey(site_url):
    survey = make_survey(make_consultation(Partnership.objects.get(slug="greenwich"), "Winter plan"))
    views = survey.sections.create(title="Your views", order=1)
    make_question(views, "agree", Question.Kind.AGREEMENT)
    make_question(survey.sections.create(title="About you", order=2, is_about_you=True), "age", Question.Kind.NUMBER)
    return survey


def test_withdrawing_a_response_by_keyboard_at_phone_size(page, site_url, browser_log, survey):
    response = respond(survey, agree="agree")
    page.set_viewport_size(PHONE)
    page.goto(site_url + "/withdraw-a-response/")
    assert_accessible(page)

    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="Enter your reference")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Your reference").fill(response.reference.lower())
    page.get_by_label("Your reference").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Are you sure you want to withdraw your response?")
    assert_accessible(page)

    page.get_by_role("button", name="Withdraw my response").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Request received")
    assert_accessible(page)
    assert not Response.objects.filter(pk=response.pk).exists()
    assert_no_browser_errors(browser_log)


def test_a_surveys_privacy_notice_is_accessible(page, site_url, browser_log, survey):
    page.goto(site_url + "/greenwich/consultations/winter-plan/survey/privacy/")
    expect(page.get_by_role("heading", level=1)).to_have_text("How we use your answers")
    assert_accessible(page)
    assert_no_browser_errors(browser_log)
