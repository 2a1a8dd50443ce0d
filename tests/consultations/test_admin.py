import datetime

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from consultations.models import Consultation, DiscussionRequest
from surveys.services import submit_response
from tests.factories import make_consultation, make_plan, make_survey

pytestmark = pytest.mark.django_db

CONSULTATIONS = "/admin/consultations/consultation/"
REQUESTS = "/admin/consultations/discussionrequest/"


def make_request(consultation, group_name: str, **fields) -> DiscussionRequest:
    fields.setdefault("contact_name", "Sam")
    fields.setdefault("email", "sam@example.org")
    fields.setdefault("group_size", DiscussionRequest.GroupSize.FROM_10_TO_25)
    fields.setdefault("preferred_format", DiscussionRequest.Format.ONLINE)
    fields.setdefault("preferred_dates", "Tuesday evenings")
    return DiscussionRequest.objects.create(consultation=consultation, group_name=group_name, **fields)


@pytest.fixture
def greenwich_consultation(greenwich):
    return make_consultation(greenwich, "Greenwich winter plan")


@pytest.fixture
def lewisham_consultation(lewisham):
    return make_consultation(lewisham, "Lewisham secret consultation")


def consultation_data(partnership, **changes) -> dict:
    data = {
        "partnership": partnership.pk,
        "plan": "",
        "title": "Urgent care",
        "slug": "urgent-care",
        "summary": "Where to go when it is urgent",
        "audience": "Everyone in the borough",
        "placeholder_note": "",
        "opens_at_0": "01/02/2026",
        "opens_at_1": "09:00:00",
        "closes_at_0": "01/04/2026",
        "closes_at_1": "09:00:00",
        "publication_status": "draft",
        "publish_at_0": "01/02/2026",
        "publish_at_1": "09:00:00",
        "body": "<p>Tell us</p>",
        "how_responses_are_used": "We read every answer.",
        "contact_name": "",
        "contact_email": "",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
    }
    return {**data, **changes}


# Consultations


def test_editor_lists_only_their_partnerships_consultations(
    client, alice, greenwich_consultation, lewisham_consultation
):
    client.force_login(alice)
    listing = client.get(CONSULTATIONS)
    assertContains(listing, "Greenwich winter plan")
    assertNotContains(listing, "Lewisham secret consultation")


def test_consultation_list_shows_the_state_worked_out_from_the_dates(client, alice, greenwich):
    now = timezone.now()
    day = datetime.timedelta(days=1)
    make_consultation(greenwich, "Soon", opens_at=now + day, closes_at=now + 9 * day)
    make_consultation(greenwich, "Over", opens_at=now - 9 * day, closes_at=now - day)
    client.force_login(alice)
    listing = client.get(CONSULTATIONS).content.decode()
    assert "Forthcoming" in listing and "Closed" in listing
    only_open = client.get(CONSULTATIONS + "?state=forthcoming").content.decode()
    assert "Soon" in only_open and "Over" not in only_open


@pytest.mark.parametrize("action", ["change", "history", "delete"])
def test_editor_cannot_reach_another_partnerships_consultation_by_url(client, alice, lewisham_consultation, action):
    client.force_login(alice)
    response = client.get(f"{CONSULTATIONS}{lewisham_consultation.pk}/{action}/", follow=True)
    assertNotContains(response, "Lewisham secret consultation")
    assert response.redirect_chain[-1][0] == "/admin/"


def test_editor_cannot_change_or_delete_another_partnerships_consultation_by_posting(
    client, alice, lewisham, lewisham_consultation
):
    client.force_login(alice)
    client.post(f"{CONSULTATIONS}{lewisham_consultation.pk}/change/", consultation_data(lewisham, title="Hijacked"))
    client.post(f"{CONSULTATIONS}{lewisham_consultation.pk}/delete/", {"post": "yes"})
    lewisham_consultation.refresh_from_db()
    assert lewisham_consultation.title == "Lewisham secret consultation"


def test_editor_adds_a_consultation_to_their_own_partnership_with_its_plan(client, alice, greenwich):
    plan = make_plan(greenwich, "Greenwich plan")
    client.force_login(alice)
    response = client.post(CONSULTATIONS + "add/", consultation_data(greenwich, plan=plan.pk))
    assert response.status_code == 302
    consultation = Consultation.objects.get(slug="urgent-care")
    assert (consultation.partnership, consultation.plan) == (greenwich, plan)


def test_editor_cannot_pick_another_partnerships_plan_or_partnership(client, alice, greenwich, lewisham):
    lewisham_plan = make_plan(lewisham, "Lewisham secret plan")
    client.force_login(alice)
    add_page = client.get(CONSULTATIONS + "add/")
    assertNotContains(add_page, "Lewisham secret plan")
    assertNotContains(add_page, lewisham.name)
    for data in (consultation_data(greenwich, plan=lewisham_plan.pk), consultation_data(lewisham)):
        response = client.post(CONSULTATIONS + "add/", data)
        assertContains(response, "Select a valid choice")
    assert not Consultation.objects.filter(slug="urgent-care").exists()


def test_slug_is_filled_in_from_the_title(client, alice):
    client.force_login(alice)
    assertContains(client.get(CONSULTATIONS + "add/"), "data-prepopulated-fields")


def test_consultation_page_links_to_its_survey_or_to_adding_one(client, alice, greenwich_consultation):
    client.force_login(alice)
    page = client.get(f"{CONSULTATIONS}{greenwich_consultation.pk}/change/")
    assertContains(page, f"/admin/surveys/survey/add/?consultation={greenwich_consultation.pk}")
    survey = make_survey(greenwich_consultation)
    page = client.get(f"{CONSULTATIONS}{greenwich_consultation.pk}/change/")
    assertContains(page, f"/admin/surveys/survey/{survey.pk}/change/")


def test_consultation_whose_survey_has_responses_cannot_be_deleted(client, alice, greenwich_consultation):
    submit_response(survey=make_survey(greenwich_consultation), answers={})
    client.force_login(alice)
    url = f"{CONSULTATIONS}{greenwich_consultation.pk}/delete/"
    page = client.get(url)
    assertContains(page, "cannot be deleted, because people have already answered it")
    assertContains(page, "has 1 response to its survey")
    client.post(url, {"post": "yes"})
    assert Consultation.objects.filter(pk=greenwich_consultation.pk).exists()


def test_consultation_without_responses_can_be_deleted(client, alice, greenwich_consultation):
    make_survey(greenwich_consultation)
    client.force_login(alice)
    client.post(f"{CONSULTATIONS}{greenwich_consultation.pk}/delete/", {"post": "yes"})
    assert not Consultation.objects.filter(pk=greenwich_consultation.pk).exists()


# Discussion requests


def test_editor_lists_only_requests_for_their_partnerships_consultations(
    client, alice, greenwich_consultation, lewisham_consultation
):
    make_request(greenwich_consultation, "Charlton Walkers")
    make_request(lewisham_consultation, "Lewisham secret group")
    client.force_login(alice)
    listing = client.get(REQUESTS)
    assertContains(listing, "Charlton Walkers")
    assertContains(listing, "Greenwich winter plan")
    assertNotContains(listing, "Lewisham secret group")
    assertNotContains(listing, "Lewisham secret consultation")  # not even in the consultation filter


@pytest.mark.parametrize("action", ["change", "history", "delete"])
def test_editor_cannot_reach_another_partnerships_request_by_url(client, alice, lewisham_consultation, action):
    request = make_request(lewisham_consultation, "Lewisham secret group")
    client.force_login(alice)
    response = client.get(f"{REQUESTS}{request.pk}/{action}/", follow=True)
    assertNotContains(response, "Lewisham secret group", status_code=response.status_code)
    if action == "delete":
        assert response.status_code == 403  # editors may not delete requests at all
    else:
        assert response.redirect_chain[-1][0] == "/admin/"


def test_editor_cannot_change_another_partnerships_request_by_posting(client, alice, lewisham_consultation):
    request = make_request(lewisham_consultation, "Lewisham secret group")
    client.force_login(alice)
    client.post(f"{REQUESTS}{request.pk}/change/", {"status": "declined", "staff_notes": "Ha"})
    request.refresh_from_db()
    assert (request.status, request.staff_notes) == ("new", "")


def test_editor_records_what_happened_but_cannot_rewrite_the_request(client, alice, greenwich_consultation):
    request = make_request(greenwich_consultation, "Charlton Walkers")
    client.force_login(alice)
    page = client.get(f"{REQUESTS}{request.pk}/change/")
    assertContains(page, "Tuesday evenings")
    assertNotContains(page, 'name="group_name"')
    response = client.post(
        f"{REQUESTS}{request.pk}/change/",
        {"status": "arranged", "staff_notes": "Booked for 3 March", "group_name": "Renamed"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.staff_notes, request.group_name) == (
        "arranged",
        "Booked for 3 March",
        "Charlton Walkers",
    )


def test_requests_cannot_be_added_in_admin(client, alice, superuser):
    for user in (alice, superuser):
        client.force_login(user)
        assert client.get(REQUESTS + "add/").status_code == 403


def test_requests_can_be_filtered_by_status(client, alice, greenwich_consultation):
    make_request(greenwich_consultation, "Charlton Walkers", status=DiscussionRequest.Status.ARRANGED)
    make_request(greenwich_consultation, "Eltham Carers")
    client.force_login(alice)
    listing = client.get(REQUESTS + "?status__exact=new")
    assertContains(listing, "Eltham Carers")
    assertNotContains(listing, "Charlton Walkers")
