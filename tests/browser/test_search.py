import re

import pytest
from playwright.sync_api import expect

from consultations.seed import load_consultations
from news.seed import load_news
from tests.browser.axe import assert_accessible, assert_no_browser_errors

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def seeded_site_url(site_url):
    load_consultations()
    load_news()
    return site_url


def test_search_from_the_header_to_a_result(page, seeded_site_url, browser_log):
    page.goto(seeded_site_url + "/")
    header_search = page.get_by_role("search").get_by_label("Search this site")
    header_search.fill("recovery plans")
    header_search.press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q=recovery\+plans$"))
    expect(page).to_have_title(re.compile(r"^Search results for “recovery plans” – "))
    expect(page.get_by_role("heading", level=1)).to_have_text("Search results")
    expect(page.get_by_label("Search again")).to_have_value("recovery plans")
    expect(page.locator("main mark").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Draft Covid-19 recovery and reset plan").click()
    expect(page).to_have_url(re.compile(r"/greenwich/plans/recovery-and-reset-plan/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("recovery and reset plan")
    assert_no_browser_errors(browser_log)


def test_the_header_search_button_works_at_phone_size(page, seeded_site_url, browser_log):
    page.set_viewport_size(PHONE)
    page.goto(seeded_site_url + "/news/")
    page.get_by_role("search").get_by_label("Search this site").fill("workshops")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name=re.compile("healthier Lewisham"))).to_be_visible()
    assert_accessible(page)
    assert_no_browser_errors(browser_log)


def test_no_results_and_empty_query_pages_are_accessible(page, seeded_site_url, browser_log):
    page.goto(seeded_site_url + "/search/?q=recovery")
    search_again = page.get_by_label("Search again")
    search_again.fill("zebra crossings")
    search_again.press("Enter")
    expect(page).to_have_title(re.compile(r"^No results for “zebra crossings” – "))
    expect(page.get_by_role("heading", name="What you can try instead")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Search again").fill("")
    page.get_by_role("main").get_by_role("button", name="Search").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: Search – "))
    assert_accessible(page)
    summary.get_by_role("link", name="Enter a word or phrase to search for").click()
    expect(page.get_by_label("Search this site", exact=True).and_(page.locator("#search-query"))).to_be_focused()
    assert_no_browser_errors(browser_log)
