from base64 import b32decode

import pytest
from django.contrib.auth.models import Group
from django_otp.oath import TOTP
from playwright.sync_api import expect

from consultations.seed import load_consultations
from surveys.models import Survey
from surveys.synthetic import generate_responses
from tests.browser.axe import assert_accessible, assert_no_browser_errors
from tests.factories import make_editor
from website.roles import COMMS_LEAD

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


@pytest.fixture
def dashboard_url(site_url, page):
    load_consultations()
    survey = Survey.objects.get(consultation__slug="recovery-and-reset-plan")
    generate_responses(survey, 60)
    lead = make_editor("carol", survey.consultation.partnership)
    lead.groups.add(Group.objects.get(name=COMMS_LEAD))
    page.goto(site_url + "/admin/login/")
    page.get_by_label("Username").fill("carol")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # First sign-in: set up the authenticator app, as a new member of staff would.
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your second factor")
    assert_accessible(page)
    key = b32decode(page.locator(".accounts-key").inner_text().replace(" ", ""))
    page.get_by_label("Code from the app").fill(f"{TOTP(key).token():06d}")
    page.get_by_role("button", name="Check the code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.locator(".accounts-codes li")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name="I have saved my codes: continue").click()
    return f"{site_url}/admin/dashboards/{survey.pk}/"


def test_dashboard_filters_free_text_and_print_view_are_accessible(page, dashboard_url, browser_log):
    page.goto(dashboard_url)
    expect(page.get_by_role("heading", name="Responses", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_text("Filter by answers").click()
    page.get_by_role("group", name="The draft plan focuses on the right things").get_by_label(
        "Agree", exact=True
    ).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="Showing responses where")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Read, search and tag the answers").first.click()
    expect(page.get_by_role("heading", level=2).first).to_contain_text("answer")
    assert_accessible(page)

    page.goto(dashboard_url + "?print=1")
    expect(page.get_by_role("button", name="Print or save as PDF")).to_be_visible()
    assert_accessible(page)
    assert_no_browser_errors(browser_log)
