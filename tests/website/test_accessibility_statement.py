"""The accessibility statement follows the GOV.UK model and claims only what is true."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

pytestmark = pytest.mark.django_db


def test_the_statement_has_every_part_the_regulations_ask_for(client):
    page = client.get("/accessibility/")
    for part in [
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Equality Advisory and Support Service (EASS)",
        "Compliance status",
        "partially compliant with",
        "Non-accessible content",
        "How we tested this website",
        "This statement was prepared on 2 December 2026. It was last reviewed on 2 December 2026.",
    ]:
        assertContains(page, part)
    # A way to ask for another format that reaches a person, with a response time.
    assertContains(page, 'href="/contact/"')
    assertContains(page, "aim to get back to you within 5 working days")


def test_the_statement_does_not_claim_what_the_site_does_not_do(client):
    page = client.get("/accessibility/")
    # 400% zoom is claimed: tests/browser/test_public_pages.py checks no page scrolls sideways at 320 px.
    assertContains(page, "zoom in up to 400%")
    # What is still wrong is listed, with its WCAG criterion.
    assertContains(page, "1.4.4 (resize text)")
    # Not tested with assistive technology yet: not claimed.
    assertNotContains(page, "speech recognition software</li>")
    assertContains(page, "We have not yet tested the website with screen readers")
