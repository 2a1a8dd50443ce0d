import datetime

import pytest
from django.core import mail
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from consultations.models import Consultation, DiscussionRequest
from tests.factories import make_consultation, make_partnership, make_survey

pytestmark = pytest.mark.django_db
NOW = timezone.now()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def open_consultation(greenwich):
    consultation = make_consultation(greenwich, "Recovery plan")
    make_survey(consultation)
    return consultation


@pytest.fixture
def forthcoming(greenwich):
    return make_consultation(greenwich, "Winter plan", opens_at=NOW + 5 * DAY, closes_at=NOW + 40 * DAY)


@pytest.fixture
def closed(greenwich):
    return make_consultation(greenwich, "Old plan", opens_at=NOW - 40 * DAY, closes_at=NOW - 5 * DAY)


def test_state_follows_from_the_dates(open_consultation, forthcoming, closed):
    assert open_consultation.state() == Consultation.State.OPEN
    assert forthcoming.state() == Consultation.State.FORTHCOMING
    assert closed.state() == Consultation.State.CLOSED
    assert open_consultation.state(now=open_consultation.closes_at) == Consultation.State.CLOSED


def test_closing_date_must_follow_the_opening_date(greenwich):
    consultation = make_consultation(greenwich, opens_at=NOW, closes_at=NOW - DAY)
    with pytest.raises(Exception, match="closing date must be after the opening date"):
        consultation.full_clean()


def test_site_lists_split_consultations_by_state(client, open_consultation, forthcoming, closed):
    open_page = client.get("/consultations/").content.decode()
    assert "Recovery plan" in open_page and "Winter plan" not in open_page and "Old plan" not in open_page
    assert "Winter plan" in client.get("/consultations/coming-soon/").content.decode()
    assert "Old plan" in client.get("/consultations/closed/").content.decode()


def test_partnership_consultations_page_groups_by_state(client, greenwich, open_consultation, forthcoming, closed):
    response = client.get("/greenwich/consultations/")
    content = response.content.decode()
    assert content.index("Open now") < content.index("Recovery plan") < content.index("Coming soon")
    assert content.index("Winter plan") < content.index("Old plan")


def test_open_consultation_has_a_call_to_action(client, open_consultation):
    response = client.get(open_consultation.get_absolute_url())
    assertContains(response, "This consultation is open")
    assertContains(response, "Answer the survey")
    assertContains(response, "Request a discussion for your group")


def test_closed_consultation_says_so_plainly_and_offers_no_survey(client, closed):
    make_survey(closed)
    response = client.get(closed.get_absolute_url())
    assertContains(response, "This consultation has closed")
    assertNotContains(response, "Answer the survey")


def test_forthcoming_consultation_gives_its_opening_date(client, forthcoming):
    response = client.get(forthcoming.get_absolute_url())
    assertContains(response, "This consultation opens on")
    assertNotContains(response, "Answer the survey")


def test_draft_consultation_is_hidden_from_the_public_but_previewable(client, alice, greenwich):
    draft = make_consultation(greenwich, "Secret", publication_status=Consultation.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Secret" not in client.get("/consultations/").content.decode()
    client.force_login(alice)
    assertContains(client.get(draft.get_absolute_url()), "not published")


def test_list_queries_do_not_grow_with_consultations(client, django_assert_max_num_queries, db):
    partnership = make_partnership()
    for number in range(3):
        make_consultation(partnership, f"Consultation {number}")
    # consultations + count for paging, navigation
    with django_assert_max_num_queries(4):
        client.get("/consultations/")
    for number in range(3, 25):
        make_consultation(partnership, f"Consultation {number}")
    with django_assert_max_num_queries(4):
        response = client.get("/consultations/")
    assertContains(response, "Page 2 of 2")


DISCUSSION = {
    "group_name": "Deptford Tenants",
    "contact_name": "Sam",
    "email": "sam@example.org",
    "group_size": "10_25",
    "preferred_format": "online",
    "preferred_dates": "Tuesday evenings",
}


def test_discussion_request_is_stored_and_emailed_to_the_partnership(
    client, greenwich, open_consultation, django_capture_on_commit_callbacks
):
    greenwich.contact_email = "greenwich@example.org"
    greenwich.save()
    url = open_consultation.get_absolute_url() + "request-a-discussion/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, DISCUSSION)
    assert response["Location"] == url + "sent/"
    request = DiscussionRequest.objects.get()
    assert (request.group_name, request.consultation) == ("Deptford Tenants", open_consultation)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["greenwich@example.org"]
    assert "Deptford Tenants" in mail.outbox[0].subject


def test_discussion_request_errors_are_specific_and_keep_what_was_typed(client, open_consultation):
    url = open_consultation.get_absolute_url() + "request-a-discussion/"
    response = client.post(url, {**DISCUSSION, "email": "not-an-email", "group_size": "huge", "contact_name": ""})
    assertContains(response, "There is a problem")
    assertContains(response, "Enter an email address in the correct format, like name@example.com")
    assertContains(response, "Select one of the group sizes")
    assertContains(response, "Enter your name")
    assertContains(response, 'value="Deptford Tenants"')
    assertContains(response, "Tuesday evenings")
    assert not DiscussionRequest.objects.exists()


def test_no_discussion_requests_once_closed(client, closed):
    response = client.post(closed.get_absolute_url() + "request-a-discussion/", DISCUSSION)
    assert response.status_code == 410
    assert not DiscussionRequest.objects.exists()
