import pytest
from django.contrib.auth.models import Group
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
