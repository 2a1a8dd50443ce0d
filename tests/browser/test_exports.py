"""A comms lead asks for an export, watches it being made and downloads it; a dashboard too broad to
count while they wait offers the summary export instead. Every state is accessible."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from surveys.models import ExportJob
from surveys.reporting import dashboard, jobs
from surveys.reporting.counts import CountingTooSlow
from tests.browser.axe import assert_accessible, assert_no_browser_errors
from tests.browser.test_dashboard import dashboard_url  # noqa: F401 - the signed-in comms lead's dashboard

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def queued(settings):
    """Exports wait for the worker, as they do on the site (the test plays the worker)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend", "QUEUES": ["exports"]}}


def look(page, name: str) -> None:
    """With SCREENSHOTS=<folder>, keep a picture of the page at a phone's width and a desktop's."""
    folder = os.environ.get("SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for width, height, label in [(390, 844, "phone"), (1280, 900, "desktop")]:
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=f"{folder}/{name}-{label}.png", full_page=True)


def test_an_export_is_asked_for_made_in_the_background_and_downloaded(page, dashboard_url, browser_log):  # noqa: F811
    page.goto(dashboard_url)
    page.locator("form[action$='/responses.csv'] button").click()
    expect(page.get_by_role("heading", name="Being made")).to_be_visible()
    expect(page.get_by_text("Waiting to start.")).to_be_visible()
    assert_accessible(page)
    look(page, "export-waiting")

    job = ExportJob.objects.get()
    jobs.run_export(job.pk)  # what the background worker does
    # The page's script notices, and shows the download without a reload.
    expect(page.get_by_role("heading", name="Ready to download")).to_be_visible(timeout=15_000)
    expect(page.locator("#export-announce")).to_have_text("Export: Ready to download")
    assert_accessible(page)
    look(page, "export-ready")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download Every response (CSV)").click()
    assert Path(download.value.path()).read_bytes().startswith("\ufeffreference".encode())

    page.goto(dashboard_url)
    expect(page.get_by_role("heading", name="Your exports of this survey")).to_be_visible()
    expect(page.get_by_role("row", name="Every response (CSV)")).to_contain_text("Ready")
    assert_no_browser_errors(browser_log)


def test_a_deleted_export_says_so_and_offers_to_make_it_again(page, dashboard_url, browser_log):  # noqa: F811
    page.goto(dashboard_url)
    page.locator("form[action$='/summary.csv'] button").click()
    job = ExportJob.objects.get()
    jobs.run_export(job.pk)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.EXPIRED)
    gone = page.reload()
    assert gone.status == 410  # "Gone": the file was deleted
    expect(page.get_by_role("heading", name="This export has been deleted")).to_be_visible()
    assert_accessible(page)
    look(page, "export-deleted")
    assert browser_log.console_errors == [
        f"Failed to load resource: the server responded with a status of 410 (Gone) ({page.url})"
    ]


def test_a_dashboard_too_broad_to_count_offers_the_summary_export(page, dashboard_url, browser_log, monkeypatch):  # noqa: F811
    def too_slow(*args, **kwargs):
        raise CountingTooSlow

    monkeypatch.setattr(dashboard, "count_keys", too_slow)
    page.goto(dashboard_url)
    page.get_by_text("Filter by answers").click()
    page.get_by_role("group", name="The draft plan focuses on the right things").get_by_label(
        "Agree", exact=True
    ).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="Too many responses to count while you wait")).to_be_visible()
    assert_accessible(page)
    look(page, "too-many-to-count")
    page.locator("form[action*='/summary.csv'] button").click()
    expect(page.get_by_role("heading", name="Being made")).to_be_visible()
    assert "answer=" in ExportJob.objects.get().query
    assert_no_browser_errors(browser_log)
