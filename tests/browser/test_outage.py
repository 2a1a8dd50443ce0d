"""A resident sends their answers just as the database fails: the "try again" page keeps them, and
sending again once it is back stores exactly one response."""

import pytest
from django.db import OperationalError
from playwright.sync_api import expect

from partnerships.models import Partnership
from surveys import services
from surveys.models import Response
from tests.browser.axe import assert_accessible
from tests.browser.test_exports import look
from tests.factories import make_consultation, make_question, make_survey

pytestmark = pytest.mark.browser


@pytest.fixture
def survey_url(site_url):
    consultation = make_consultation(Partnership.objects.get(slug="greenwich"), "Winter plan")
    survey = make_survey(consultation, minimum_seconds=0)
    make_question(survey.sections.create(title="Your views", order=1), "agree", "agreement", text="The plan is right")
    return f"{site_url}/greenwich/consultations/winter-plan/survey/"


def test_answers_sent_while_the_database_fails_are_kept_and_sent_again_once(page, survey_url, monkeypatch):
    page.goto(survey_url + "page-1/")
    page.get_by_label("Agree", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()

    def database_fails(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    with monkeypatch.context() as patched:
        patched.setattr(services.counts, "add_responses", database_fails)
        page.get_by_role("button", name="Send").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Sorry, the service is not available at the moment")
        expect(page.get_by_text("Nothing has been stored, and your answers are kept on this page")).to_be_visible()
        assert_accessible(page)
        look(page, "database-unavailable")
        assert Response.objects.count() == 0

    page.get_by_role("button", name="Send again").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("sent")
    assert Response.objects.count() == 1


def test_coming_back_to_a_half_answered_survey_is_accessible(page, survey_url):
    page.goto(survey_url + "page-1/")
    page.get_by_label("Agree", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    page.goto(survey_url)
    expect(page.get_by_role("button", name="Check your answers and send them")).to_be_visible()
    assert_accessible(page)
    look(page, "survey-continue")


def tab_to(page, name: str, presses: int = 80) -> None:
    """Press Tab until the element with this text (or label) has focus, as a keyboard user would."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement;"
            " return (e.labels && e.labels[0] ? e.labels[0].innerText : e.innerText || e.value || '').trim(); }"
        )
        if focused == name:
            return
    raise AssertionError(f"{name!r} never had focus")


def test_a_whole_survey_answered_with_a_keyboard_alone(page, survey_url):
    page.goto(survey_url)
    tab_to(page, "Start now")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your views")
    tab_to(page, "Strongly agree")  # Tab reaches a group of radios at its first; arrows choose within it
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Agree", exact=True)).to_be_checked()
    tab_to(page, "Continue")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending them")
    tab_to(page, "Send my answers")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("sent")
    assert Response.objects.count() == 1
