import pytest
from playwright.sync_api import expect

from partnerships.models import Video
from tests.browser.axe import assert_accessible, assert_no_browser_errors

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
PUBLIC_PAGES = [
    pytest.param("/", id="home"),
    pytest.param("/greenwich/", id="greenwich"),
    pytest.param("/lewisham/", id="lewisham"),
    pytest.param("/southwark/", id="southwark"),
    pytest.param("/our-healthier-south-east-london/", id="strategy"),
    pytest.param("/greenwich/plans/recovery-and-reset-plan/", id="greenwich-plan"),
    pytest.param("/southwark/plans/recovery-plan/", id="southwark-plan"),
    pytest.param("/privacy/", id="privacy"),
    pytest.param("/accessibility/", id="accessibility"),
    pytest.param("/contact/", id="contact"),
]
MISSING_PAGE = "/no-such-partnership/plans/no-such-plan/"
# Chromium reports the page's own 404 status as a console error.
OWN_404_ERROR = "Failed to load resource: the server responded with a status of 404 (Not Found) ({url})"


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_wcag_violations(page, site_url, browser_log, path):
    response = page.goto(site_url + path)
    assert response.status == 200
    assert_accessible(page)
    assert_no_browser_errors(browser_log)


def test_no_page_scrolls_sideways_at_320_pixels_wide_which_is_400_percent_zoom(page, site_url):
    page.set_viewport_size({"width": 320, "height": 640})
    wide = []
    for param in PUBLIC_PAGES:
        page.goto(site_url + param.values[0])
        if page.evaluate("document.documentElement.scrollWidth") > 320:
            wide.append(param.id)
    assert wide == []
    # The member tables become one card per organisation, each cell labelled.
    page.goto(site_url + "/greenwich/")
    expect(page.locator("#members + table .nhsuk-table__heading").first).to_be_visible()


def test_missing_page_returns_404_and_is_accessible(page, site_url, browser_log):
    url = site_url + MISSING_PAGE
    response = page.goto(url)
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)
    assert_no_browser_errors(browser_log, expected=(OWN_404_ERROR.format(url=url),))


def test_home_page_at_phone_size_is_accessible_and_its_menu_opens(page, site_url, browser_log):
    page.set_viewport_size(PHONE)
    page.goto(site_url + "/")
    assert_accessible(page)
    # Consultations, what residents come for most, is in the menu bar itself, not under "More".
    expect(page.locator(".nhsuk-header__navigation-list > .nhsuk-header__navigation-item").first).to_have_text(
        "Consultations"
    )
    expect(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Consultations")).to_be_visible()
    toggle = page.get_by_role("button", name="Browse More")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    contact = page.locator(".nhsuk-header__menu-list").get_by_role("link", name="Contact us")
    expect(contact).to_be_visible()
    contact.focus()  # a keyboard user in the menu closes it with Escape: focus goes back to the toggle
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    assert_no_browser_errors(browser_log)


def test_skip_link_is_first_tab_stop_and_moves_focus_to_main_content(page, site_url, browser_log):
    page.goto(site_url + "/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#maincontent")).to_be_focused()
    assert_no_browser_errors(browser_log)


def test_greenwich_transcript_opens_when_its_summary_is_clicked(page, site_url, browser_log):
    video = Video.objects.get(partnership__slug="greenwich")
    page.goto(site_url + "/greenwich/")
    details = page.locator("details").filter(has_text="Read the transcript")
    transcript = details.locator(".nhsuk-details__text")
    expect(transcript).to_be_hidden()
    details.get_by_text("Read the transcript").click()
    expect(details).to_have_attribute("open", "")
    expect(transcript).to_be_visible()
    expect(transcript).to_contain_text(video.transcript.splitlines()[0])
    assert_no_browser_errors(browser_log)
