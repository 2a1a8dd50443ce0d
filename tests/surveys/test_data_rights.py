"""Residents' data rights: withdrawal by reference, erasure and subject access by staff, unsent answers
that really go, and notices that say what the code does."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from surveys.models import Answer, ErasureRecord, ExportRecord, Question, Response, SurveyDraft, WithdrawalRequest
from tests.factories import make_consultation, make_editor, make_question, make_survey, respond
from website.roles import COMMS_LEAD

pytestmark = pytest.mark.django_db
K = Question.Kind
DAY = datetime.timedelta(days=1)
WITHDRAW = "/withdraw-a-response/"
SAME_ANSWER = "If the reference you entered belongs to a response to a consultation that is still open"


@pytest.fixture
def survey(greenwich):
    survey = make_survey(make_consultation(greenwich, "Winter plan"), retention_months=6)
    views = survey.sections.create(title="Your views", order=1)
    make_question(views, "agree", K.AGREEMENT, required=True)
    make_question(views, "comment", K.LONG_TEXT, max_length=500)
    about = survey.sections.create(title="About you", order=2, is_about_you=True)
    make_question(about, "age", K.SINGLE_CHOICE, choices=["Under 50", "50 or over"])
    return survey


@pytest.fixture
def comms_lead(greenwich):
    user = make_editor("carol", greenwich)
    user.groups.add(Group.objects.get(name=COMMS_LEAD))
    return user


def close(survey) -> None:
    consultation = survey.consultation
    consultation.closes_at = timezone.now() - DAY
    consultation.save()


def withdraw(client, reference: str):
    client.post(WITHDRAW, {"reference": reference})
    return client.post(WITHDRAW + "confirm/", {"reference": reference}, follow=True)


# Withdrawal by the resident


def test_a_resident_withdraws_with_their_reference_and_the_response_goes_at_once(client, survey):
    response = respond(survey, agree="agree", comment="Please open on Saturdays", age="under_50")
    other = respond(survey, agree="disagree")
    confirm = client.post(WITHDRAW, {"reference": response.reference.lower()[:4] + " " + response.reference[4:]})
    assertContains(confirm, "Are you sure you want to withdraw your response?")
    assertContains(confirm, response.reference)
    assert Response.objects.filter(pk=response.pk).exists()  # nothing happens until they confirm

    done = client.post(WITHDRAW + "confirm/", {"reference": response.reference}, follow=True)

    assertContains(done, SAME_ANSWER)
    assert list(Response.objects.all()) == [other]
    assert not Answer.objects.filter(text="Please open on Saturdays").exists()
    record = ErasureRecord.objects.get()
    assert (record.how, record.responses, record.erased_by, record.survey) == ("withdrawn", 1, None, survey)
    assert response.reference not in record.reason


def test_after_the_consultation_closes_a_withdrawal_becomes_a_request_for_staff(client, survey):
    response = respond(survey, agree="agree")
    close(survey)
    assertContains(withdraw(client, response.reference), SAME_ANSWER)
    assert Response.objects.filter(pk=response.pk).exists()
    assert WithdrawalRequest.objects.get().response == response
    withdraw(client, response.reference)  # asking twice makes one request
    assert WithdrawalRequest.objects.count() == 1


def test_a_reference_that_does_not_exist_gets_exactly_the_same_answer(client, survey):
    respond(survey, agree="agree")
    real = withdraw(client, Response.objects.get().reference)
    respond(survey, agree="agree")
    guessed = withdraw(client, "ABCDEFGHJK")
    assert real.status_code == guessed.status_code == 200
    assert real.content == guessed.content
    assert Response.objects.count() == 1


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter your reference"),
        ("ABC", "Enter your reference as it was shown: 10 letters and numbers, like HTK47QMB2C"),
        ("ABCDEFGHIO", "Enter your reference as it was shown"),  # I and O are never in a reference
        ("ABCDE<script>", "Enter your reference as it was shown"),
    ],
)
def test_a_badly_typed_reference_gets_a_specific_message_and_keeps_what_was_typed(client, survey, typed, message):
    page = client.post(WITHDRAW, {"reference": typed})
    assertContains(page, "There is a problem")
    assertContains(page, message)
    assertContains(page, f'value="{typed}"' if typed and "<" not in typed else 'name="reference"')


def test_guessing_references_is_rate_limited(client, survey, settings):
    settings.WITHDRAW_RATE_LIMIT = 3
    response = respond(survey, agree="agree")
    for _ in range(3):
        client.post(WITHDRAW, {"reference": "ABCDEFGHJK"})
    limited = client.post(WITHDRAW + "confirm/", {"reference": response.reference})
    assert limited.status_code == 429
    assertContains(limited, "You have tried a lot of references from this connection", status_code=429)
    assert Response.objects.filter(pk=response.pk).exists()


def test_the_confirmation_page_says_how_to_withdraw(client, survey):
    response = respond(survey, agree="agree")
    consultation = survey.consultation
    page = client.get(f"/greenwich/consultations/{consultation.slug}/survey/sent/{response.reference}/")
    assertContains(page, 'href="/withdraw-a-response/"')
    assertContains(page, f"We keep responses until {survey.erase_after:%-d %B %Y}")


# Erasure and subject access by staff


def test_a_comms_lead_erases_a_response_with_a_reason_and_the_record_keeps_no_content(client, comms_lead, survey):
    response = respond(survey, agree="agree", comment="My neighbour at number 4 is unwell")
    client.force_login(comms_lead)
    url = f"/admin/surveys/response/{response.pk}/erase/"
    assertContains(client.get(url), "This cannot be undone")
    refused = client.post(url, {"reason": ""})
    assertContains(refused, "Say why you are erasing this response")
    assert Response.objects.exists()

    client.post(url, {"reason": "Asked by email on 3 March"})

    assert not Response.objects.exists() and not Answer.objects.exists()
    record = ErasureRecord.objects.get()
    assert (record.erased_by, record.how, record.reason) == (comms_lead, "staff", "Asked by email on 3 March")
    assert response.reference not in str(vars(record))


def test_editors_cannot_erase_and_other_partnerships_responses_are_not_found(client, alice, bob, survey, lewisham):
    response = respond(survey, agree="agree")
    client.force_login(alice)  # edits Greenwich, but is no comms lead
    assert client.post(f"/admin/surveys/response/{response.pk}/erase/", {"reason": "x"}).status_code == 403
    assert client.get(f"/admin/surveys/response/{response.pk}/subject-access/").status_code == 403
    bob.groups.add(Group.objects.get(name=COMMS_LEAD))  # a comms lead of Lewisham only
    client.force_login(bob)
    assert client.post(f"/admin/surveys/response/{response.pk}/erase/", {"reason": "x"}).status_code == 404
    assert client.get(f"/admin/surveys/response/{response.pk}/subject-access/").status_code == 404
    assert Response.objects.exists()


def test_a_subject_access_request_gets_every_answer_including_about_you_and_is_recorded(client, comms_lead, survey):
    response = respond(survey, agree="agree", comment="Open on Saturdays", age="50_or_over")
    client.force_login(comms_lead)
    download = client.get(f"/admin/surveys/response/{response.pk}/subject-access/")
    assert download["Content-Disposition"] == f'attachment; filename="response-{response.reference}.txt"'
    text = download.content.decode()
    assert f"Reference: {response.reference}" in text
    assert "Open on Saturdays" in text and "50 or over" in text and "Agree" in text
    assert f"We will delete it on: {survey.erase_after:%-d %B %Y}" in text
    record = ExportRecord.objects.get(kind=ExportRecord.Kind.SUBJECT_ACCESS)
    assert (record.user, record.filters) == (comms_lead, {"reference": response.reference})


def test_staff_see_withdrawal_requests_and_erase_them(client, comms_lead, survey):
    response = respond(survey, agree="agree")
    close(survey)
    WithdrawalRequest.objects.create(response=response)
    client.force_login(comms_lead)
    listing = client.get("/admin/surveys/withdrawalrequest/")
    assertContains(listing, f'href="/admin/surveys/response/{response.pk}/erase/"')
    client.post(f"/admin/surveys/response/{response.pk}/erase/", {"reason": "Withdrawal request"})
    assert not WithdrawalRequest.objects.exists() and not Response.objects.exists()


# Half-finished answers


def start_survey(client, survey):
    consultation = survey.consultation
    base = f"/greenwich/consultations/{consultation.slug}/survey/"
    client.post(base + "page-1/", {"agree": "agree", "comment": "Unsent thoughts"})
    client.post(base + "page-2/", {})  # "About you", all optional
    return base


def test_what_was_typed_is_kept_apart_from_the_session_and_goes_when_sent(client, survey):
    base = start_survey(client, survey)
    draft = SurveyDraft.objects.get()
    assert draft.state["pages"]
    assert "Unsent thoughts" not in str(dict(client.session))  # the session holds a key, not the answers
    check = client.get(base + "check-your-answers/")
    client.post(base + "check-your-answers/", {"submission_token": check.context["token"]})
    assert Response.objects.count() == 1
    assert not SurveyDraft.objects.exists()


def test_what_was_typed_goes_when_the_consultation_closes(client, survey):
    base = start_survey(client, survey)
    close(survey)
    assert client.get(base + "page-1/").status_code == 200  # "this consultation has closed"
    assert not SurveyDraft.objects.exists()


def test_what_was_typed_is_gone_after_the_days_kept(client, survey, settings):
    settings.SURVEY_ANSWERS_KEPT_DAYS = 7
    base = start_survey(client, survey)
    SurveyDraft.objects.update(updated_at=timezone.now() - 8 * DAY)
    page = client.get(base + "page-1/")
    assertNotContains(page, "Unsent thoughts")
    assert SurveyDraft.objects.count() == 1  # a fresh, empty one: the old one was deleted
    assert "Unsent thoughts" not in str(SurveyDraft.objects.get().state)


# Notices that say what the code does


def test_the_start_page_and_privacy_notice_show_the_stored_values(client, survey, greenwich):
    greenwich.data_controller = "NHS South East London Integrated Care Board"
    greenwich.data_protection_contact = "dpo@selondonics.example"
    greenwich.save()
    base = f"/greenwich/consultations/{survey.consultation.slug}/survey/"
    start = client.get(base)
    assertContains(start, "NHS South East London Integrated Care Board (the data controller)")
    assertContains(start, f"6 months after the consultation closes, then deleted ({survey.erase_after:%-d %B %Y})")
    notice = client.get(base + "privacy/")
    assertContains(notice, "mailto:dpo@selondonics.example")
    assertContains(notice, "UK GDPR Article 6(1)(e): a task carried out in the public interest")
    assertContains(notice, "Data Protection Act 2018, Schedule 1, paragraph 8")
    assertContains(notice, "ico.org.uk/make-a-complaint")
    assertContains(notice, f"delete them on {survey.erase_after:%-d %B %Y}")
    survey.retention_months = 24
    survey.data_controller = "Royal Borough of Greenwich"
    survey.save()
    notice = client.get(base + "privacy/")
    assertContains(notice, "Royal Borough of Greenwich is the data controller")
    assertContains(notice, "We keep your answers for 24 months")


def test_the_privacy_notice_states_each_cookie_and_its_real_lifetime(client, settings, survey):
    settings.SURVEY_ANSWERS_KEPT_DAYS = 5
    page = client.get("/privacy/")
    assertContains(page, '<td class="nhsuk-table__cell">csrftoken</td>', html=True)
    assertContains(page, "5 days after the last page you saved")
    assert settings.CSRF_COOKIE_AGE is None  # "until you close your browser" is true
    assertContains(page, survey.consultation.title)
