"""Defences found by testing the site as an attacker would: bad input never reaches PostgreSQL as a 500."""

import io
import time
import zipfile
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from pytest_django.asserts import assertContains

from common.middleware import PERMISSIONS_POLICY
from common.uploads import validate_document
from consultations.models import DiscussionRequest
from partnerships.models import Partnership
from surveys.models import Question, Response
from tests.factories import make_consultation, make_editor, make_plan, make_question, make_survey
from website.roles import COMMS_LEAD

pytestmark = pytest.mark.django_db
K = Question.Kind


@pytest.fixture
def survey(greenwich):
    survey = make_survey(make_consultation(greenwich, "Winter plan"))
    views = survey.sections.create(title="Your views", order=1)
    make_question(views, "visits", K.NUMBER)  # no bounds set by the editor
    make_question(views, "comment", K.LONG_TEXT, max_length=500)
    return survey


# Control characters in query strings


PAGES = [
    "/",
    "/search/",
    "/consultations/",
    "/consultations/closed/",
    "/news/",
    "/events/",
    "/greenwich/",
    "/greenwich/consultations/",
    "/greenwich/consultations/winter-plan/",
    "/greenwich/consultations/winter-plan/survey/",
    "/greenwich/consultations/winter-plan/survey/page-1/",
    "/greenwich/consultations/winter-plan/survey/check-your-answers/",
    "/withdraw-a-response/",
    "/privacy/",
    "/sitemap.xml",
    "/admin/dashboards/{survey}/",
    "/admin/dashboards/{survey}/answers/{comment}/",
    "/admin/dashboards/{survey}/summary.csv",
]
PARAMETERS = ["q", "page", "from", "to", "channel", "answer", "order", "change", "print", "next", "anything"]
NASTY = ["\x00", "a\x00b", "\x1b[31m", "\x07", "line\x0bbreak"]


def test_nul_and_control_characters_in_any_parameter_of_any_page_are_refused_not_a_500(client, greenwich, survey):
    comms = make_editor("carol", greenwich)
    comms.groups.add(Group.objects.get(name=COMMS_LEAD))
    client.force_login(comms)
    comment = survey.questions.get(identifier="comment")
    checked = 0
    for page in PAGES:
        path = page.format(survey=survey.pk, comment=comment.pk)
        for parameter in PARAMETERS:
            for value in NASTY:
                response = client.get(f"{path}?{parameter}={quote(value)}")
                assert response.status_code == 400, (path, parameter, value)
                checked += 1
    assert checked == len(PAGES) * len(PARAMETERS) * len(NASTY)
    page = client.get("/search/?q=%00")
    assertContains(page, "Sorry, we could not understand that address", status_code=400)


def test_ordinary_accented_and_emoji_searches_still_work(client, greenwich):
    for words in ["café", "naïve résumé", "😊", "tab\tseparated"]:
        assert client.get(f"/search/?q={quote(words)}").status_code == 200


# Numbers


def test_a_number_beyond_the_database_range_is_an_error_on_the_page_not_a_500(client, survey):
    page = client.post("/greenwich/consultations/winter-plan/survey/page-1/", {"visits": "99999999999999999999"})
    assert page.status_code == 200
    assertContains(page, "Enter a smaller whole number, of 2147483647 or less")
    assertContains(page, 'value="99999999999999999999"')  # what they typed is kept
    assert not Response.objects.exists()


# Uploads


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_an_opendocument_zip_bomb_is_refused_without_being_inflated():
    bomb = zip_bytes({"mimetype": b"\x00" * (200 * 1024 * 1024), "content.xml": b"<x/>"})
    assert len(bomb) < 1024 * 1024  # two hundred megabytes of zeros squeeze into a few hundred kilobytes
    started = time.perf_counter()
    with pytest.raises(ValidationError) as refused:
        validate_document(SimpleUploadedFile("plan.odt", bomb))
    assert refused.value.code == "invalid_type"
    assert time.perf_counter() - started < 2


def test_a_real_opendocument_file_is_still_accepted():
    odt = zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>" * 100})
    validate_document(SimpleUploadedFile("plan.odt", odt))


# Public forms


DISCUSSION = {
    "group_name": "Deptford Tenants",
    "contact_name": "Sam",
    "email": "sam@example.org",
    "group_size": "10_25",
    "preferred_format": "online",
    "preferred_dates": "Tuesday evenings",
}


def test_a_discussion_request_with_the_honeypot_filled_is_not_stored(client, greenwich):
    make_consultation(greenwich, "Winter plan")
    url = "/greenwich/consultations/winter-plan/request-a-discussion/"
    response = client.post(url, {**DISCUSSION, "website": "http://spam.example"})
    assert response["Location"] == url + "sent/"
    assert not DiscussionRequest.objects.exists()


def test_discussion_requests_are_rate_limited_per_connection(client, greenwich, settings):
    settings.DISCUSSION_RATE_LIMIT = 2
    make_consultation(greenwich, "Winter plan")
    url = "/greenwich/consultations/winter-plan/request-a-discussion/"
    for _ in range(2):
        client.post(url, DISCUSSION)
    refused = client.post(url, DISCUSSION)
    assert refused.status_code == 429
    assertContains(refused, "You have sent a lot of requests from this connection", status_code=429)
    assertContains(refused, 'value="Deptford Tenants"', status_code=429)
    assert DiscussionRequest.objects.count() == 2


def test_a_too_long_group_name_gets_our_own_words(client, greenwich):
    make_consultation(greenwich, "Winter plan")
    page = client.post(
        "/greenwich/consultations/winter-plan/request-a-discussion/", {**DISCUSSION, "group_name": "x" * 201}
    )
    assertContains(page, "The name of your group must be 200 characters or fewer")
    nul = client.post(
        "/greenwich/consultations/winter-plan/request-a-discussion/", {**DISCUSSION, "group_name": "a\x00b"}
    )
    assertContains(nul, "Your answer contains characters we cannot accept")
    assert "Null characters are not allowed" not in nul.content.decode()


# Headers and small files


def test_every_response_carries_a_permissions_policy(client, greenwich):
    for path in ["/", "/greenwich/", "/no-such-page/", "/robots.txt"]:
        assert client.get(path)["Permissions-Policy"] == PERMISSIONS_POLICY
    assert "camera=()" in PERMISSIONS_POLICY and "geolocation=()" in PERMISSIONS_POLICY


def test_previews_of_unpublished_pages_are_never_cached(client, alice, greenwich):
    plan = make_plan(greenwich, "Draft plan", publication_status=Partnership.Status.DRAFT)
    client.force_login(alice)
    preview = client.get(plan.get_absolute_url())
    assert preview.status_code == 200
    assert "private" in preview["Cache-Control"] and "no-store" in preview["Cache-Control"]
    assert "private" not in client.get(greenwich.get_absolute_url()).get("Cache-Control", "")


def test_security_txt_names_the_contact_once_one_is_set(client, settings):
    assert client.get("/.well-known/security.txt").status_code == 404
    settings.SECURITY_CONTACT = "security@selondonics.example"
    text = client.get("/.well-known/security.txt").content.decode()
    assert "Contact: mailto:security@selondonics.example" in text
    assert "Expires: " in text and "Canonical: http://testserver/.well-known/security.txt" in text


def test_clearsessions_is_the_scheduled_job_for_expired_sessions():
    call_command("clearsessions")  # Django's own command, in the README's cron list
