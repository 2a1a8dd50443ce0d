import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from surveys.models import Answer, Question, Response
from tests.factories import make_consultation, make_question, make_survey

pytestmark = pytest.mark.django_db
K = Question.Kind


@pytest.fixture
def consultation(greenwich):
    return make_consultation(greenwich, "Winter plan")


@pytest.fixture
def survey(consultation):
    survey = make_survey(consultation)
    views = survey.sections.create(title="Your views", order=1)
    make_question(views, "agree", K.AGREEMENT, required=True, text="The plan is right")
    priority = make_question(
        views, "priority", K.SINGLE_CHOICE, required=True, allow_other=True, choices=["Cancer", "Maternity"]
    )
    make_question(
        views, "why", K.LONG_TEXT, max_length=50, text="Why?", show_if_choice=priority.choices.get(value="cancer")
    )
    more = survey.sections.create(title="More about you", order=2)
    make_question(more, "visits", K.NUMBER, min_value=0, max_value=50)
    make_question(more, "postcode", K.POSTCODE)
    make_question(more, "when", K.DATE)
    make_question(more, "topics", K.MULTIPLE_CHOICE, max_choices=2, choices=["Access", "Cost", "Staff"])
    make_question(more, "email", K.EMAIL, email_purpose="to tell you what we heard")
    follow_up = survey.sections.create(title="Tell us more", order=3)
    make_question(
        follow_up,
        "disagree_reason",
        K.SHORT_TEXT,
        required=True,
        show_if_choice=survey.questions.get(identifier="agree").choices.get(value="disagree"),
    )
    return survey


def url(consultation, name: str = "", number: int | None = None) -> str:
    base = f"/{consultation.partnership.slug}/consultations/{consultation.slug}/survey/"
    if number:
        return f"{base}page-{number}/"
    return base + name


PAGE_ONE = {"agree": "agree", "priority": "maternity"}
PAGE_TWO = {"visits": "3", "postcode": " se109gb ", "when_day": "5", "when_month": "11", "when_year": "2026",
            "topics": ["access", "cost"], "email": ""}  # fmt: skip


def answer_all(client, consultation, page_one=PAGE_ONE, page_two=PAGE_TWO):
    client.get(url(consultation, number=1))
    assert client.post(url(consultation, number=1), page_one).status_code == 302
    assert client.post(url(consultation, number=2), page_two)["Location"] == url(consultation, "check-your-answers/")


def send(client, consultation):
    page = client.get(url(consultation, "check-your-answers/"))
    token = re.search(r'name="submission_token" value="([^"]+)"', page.content.decode()).group(1)
    return client.post(url(consultation, "check-your-answers/"), {"submission_token": token}), token


def test_start_page_says_who_collects_why_and_for_how_long(client, consultation, survey):
    response = client.get(url(consultation))
    assertContains(response, "The partnership")
    assertContains(response, "To hear your views")
    assertContains(response, "12 months")
    assertContains(response, 'href="/privacy/"')
    assertContains(response, "The survey has 2 pages")


def test_empty_page_shows_an_error_summary_with_a_specific_message_per_question(client, consultation, survey):
    response = client.post(url(consultation, number=1), {})
    assert response.status_code == 200
    assertContains(response, "There is a problem")
    assertContains(response, 'href="#id_agree')
    assertContains(response, "Select an answer to “The plan is right”")
    assertContains(response, "Select an answer to “Priority”")
    assertContains(response, "<title>Error: ")
    assert not Response.objects.exists()


def test_answers_are_kept_between_pages_and_shown_again(client, consultation, survey):
    answer_all(client, consultation)
    page_one = client.get(url(consultation, number=1)).content.decode()
    assert re.search(r'value="maternity"[^>]*checked', page_one)
    page_two = client.get(url(consultation, number=2)).content.decode()
    assert 'value=" se109gb "' in page_two or 'value="se109gb"' in page_two


def test_whole_journey_stores_one_response_with_one_row_per_answer(client, consultation, survey):
    answer_all(client, consultation)
    check = client.get(url(consultation, "check-your-answers/"))
    assertContains(check, "SE10 9GB")
    assertContains(check, "5 November 2026")
    assertContains(check, "Access<br>Cost", html=False)
    sent, _ = send(client, consultation)
    response = Response.objects.get()
    assert sent["Location"] == url(consultation, f"sent/{response.reference}/")
    assert (response.channel, response.status) == ("online", "accepted")
    stored = {(a.question.identifier, a.choice.value if a.choice else a.text or a.number or a.date) for a in
              Answer.objects.select_related("question", "choice")}  # fmt: skip
    assert stored == {
        ("agree", "agree"),
        ("priority", "maternity"),
        ("visits", 3),
        ("postcode", "SE10 9GB"),
        ("when", datetime.date(2026, 11, 5)),
        ("topics", "access"),
        ("topics", "cost"),
    }
    confirmation = client.get(sent["Location"])
    assertContains(confirmation, response.reference)
    assertContains(confirmation, "Answers sent")


def test_a_double_click_or_resent_form_stores_one_response_and_shows_the_same_confirmation(
    client, consultation, survey
):
    answer_all(client, consultation)
    first, token = send(client, consultation)
    again = client.post(url(consultation, "check-your-answers/"), {"submission_token": token})
    assert again["Location"] == first["Location"]
    assert Response.objects.count() == 1


def test_tampered_choice_is_refused_and_other_answers_are_kept(client, consultation, survey):
    response = client.post(url(consultation, number=1), {"agree": "totally", "priority": "maternity"})
    assertContains(response, "Select an answer from the list")
    assert re.search(r'value="maternity"[^>]*checked', response.content.decode())


def test_text_over_the_limit_is_refused_and_kept(client, consultation, survey):
    too_long = "x" * 51
    response = client.post(url(consultation, number=1), {**PAGE_ONE, "priority": "cancer", "why": too_long})
    assertContains(response, "Your answer must be 50 characters or fewer")
    assertContains(response, too_long)


def test_control_characters_are_refused_with_a_clear_message(client, consultation, survey):
    response = client.post(url(consultation, number=1), {**PAGE_ONE, "priority": "cancer", "why": "bad\x07bell"})
    assertContains(response, "characters we cannot accept")


def test_answers_to_questions_not_in_the_survey_are_ignored(client, consultation, survey):
    answer_all(client, consultation, page_one={**PAGE_ONE, "injected": "hello", "agree__other": "x"})
    send(client, consultation)
    assert Answer.objects.count() == 7
    assert not Answer.objects.filter(text__in=["hello", "x"]).exists()


def test_other_please_specify_needs_its_text_only_when_chosen(client, consultation, survey):
    response = client.post(url(consultation, number=1), {"agree": "agree", "priority": "other"})
    assertContains(response, "Tell us your other answer")
    answer_all(client, consultation, page_one={"agree": "agree", "priority": "other", "priority__other": "Dentists"})
    send(client, consultation)
    assert Answer.objects.get(question__identifier="priority").text == "Dentists"


def test_a_revealed_question_is_ignored_when_its_choice_is_not_made(client, consultation, survey):
    answer_all(client, consultation, page_one={**PAGE_ONE, "why": "Because", "priority__other": "Ignored"})
    send(client, consultation)
    assert not Answer.objects.filter(question__identifier="why").exists()
    assert Answer.objects.get(question__identifier="priority").text == ""


def test_a_question_on_a_later_page_appears_only_after_its_choice(client, consultation, survey):
    client.post(url(consultation, number=1), {"agree": "disagree", "priority": "maternity"})
    assert client.post(url(consultation, number=2), PAGE_TWO)["Location"] == url(consultation, number=3)
    assertContains(client.get(url(consultation, number=3)), "page 3 of 3")
    check = client.get(url(consultation, "check-your-answers/"))
    assert check["Location"] == url(consultation, number=3), "the required follow-up is still unanswered"
    client.post(url(consultation, number=3), {"disagree_reason": "Too slow"})
    send(client, consultation)
    assert Answer.objects.get(question__identifier="disagree_reason").text == "Too slow"


def test_bad_number_postcode_date_and_too_many_choices_each_get_a_message(client, consultation, survey):
    client.post(url(consultation, number=1), PAGE_ONE)
    bad = {"visits": "lots", "postcode": "SE10", "when_day": "31", "when_month": "2", "when_year": "2026",
           "topics": ["access", "cost", "staff"]}  # fmt: skip
    response = client.post(url(consultation, number=2), bad)
    content = response.content.decode()
    assert "Enter a whole number between 0 and 50" in content
    assert "Enter a full UK postcode, like SE10 9GB" in content
    assert "must be a real date" in content
    assert "Select no more than 2 answers" in content
    assert 'value="lots"' in content


def test_email_needs_consent_and_is_kept_only_with_it(client, consultation, survey):
    client.post(url(consultation, number=1), PAGE_ONE)
    response = client.post(url(consultation, number=2), {**PAGE_TWO, "email": "me@example.com"})
    assertContains(response, "Tick the box to agree to be emailed, or leave the email address empty")
    answer_all(client, consultation, page_two={**PAGE_TWO, "email": "me@example.com", "email__consent": "on"})
    send(client, consultation)
    assert Answer.objects.get(question__identifier="email").text == "me@example.com"


def test_checking_answers_before_finishing_goes_to_the_unfinished_page(client, consultation, survey):
    client.post(url(consultation, number=1), PAGE_ONE)
    assert client.get(url(consultation, "check-your-answers/"))["Location"] == url(consultation, number=2)


def test_page_posted_after_the_consultation_closed_is_not_stored(client, consultation, survey):
    client.post(url(consultation, number=1), PAGE_ONE)
    consultation.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    consultation.save()
    response = client.post(url(consultation, number=2), PAGE_TWO)
    assert response.status_code == 410
    assertContains(response, "This consultation has closed", status_code=410)
    assertContains(response, "Your answers were not sent", status_code=410)


def test_answers_sent_after_the_consultation_closed_are_not_stored(client, consultation, survey):
    answer_all(client, consultation)
    page = client.get(url(consultation, "check-your-answers/")).content.decode()
    token = re.search(r'name="submission_token" value="([^"]+)"', page).group(1)
    consultation.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    consultation.save()
    response = client.post(url(consultation, "check-your-answers/"), {"submission_token": token})
    assert response.status_code == 410
    assert not Response.objects.exists()


def test_honeypot_response_is_stored_but_held_for_review(client, consultation, survey):
    client.get(url(consultation, number=1))
    client.post(url(consultation, number=1), {**PAGE_ONE, "website": "http://spam.example"})
    client.post(url(consultation, number=2), PAGE_TWO)
    send(client, consultation)
    response = Response.objects.get()
    assert response.status == Response.Status.HELD
    assert "honeypot" in response.held_because
    assert not Response.objects.accepted().exists()


def test_a_response_sent_too_fast_is_held(client, consultation, survey):
    survey.minimum_seconds = 600
    survey.save()
    answer_all(client, consultation)
    send(client, consultation)
    assert Response.objects.get().held_because == "answered too fast"


def test_rate_limited_client_is_told_and_the_response_is_kept_for_review(consultation, survey, settings):
    settings.SURVEY_RATE_LIMIT = 1
    for _ in range(2):
        client = Client(REMOTE_ADDR="203.0.113.9")
        answer_all(client, consultation)
        sent, _ = send(client, consultation)
    assert Response.objects.count() == 2
    held = Response.objects.get(status=Response.Status.HELD)
    assert held.held_because == "many responses from one connection"
    assertContains(client.get(sent["Location"]), "a member of staff will check them")


def test_each_page_says_where_you_are_and_the_consent_box_speaks_for_the_resident(client, consultation, survey):
    page = client.get(url(consultation, number=2))
    assertContains(page, '<span class="nhsuk-caption-l">Winter plan: page 2 of 2</span>', html=False)
    assertContains(page, "We will only use it to tell you what we heard")
    assertContains(page, "I agree to be emailed to tell me what we heard")


def test_text_over_the_limit_is_shown_back_but_never_kept_between_pages(client, consultation, survey):
    from surveys.models import SurveyDraft

    client.get(url(consultation, number=1))
    too_long = "x" * 51  # "Why?" allows 50
    page = client.post(url(consultation, number=1), {"agree": "agree", "priority": "cancer", "why": too_long})
    assertContains(page, too_long)  # what was typed is shown back with its error
    kept = SurveyDraft.objects.get().state["pages"]
    assert [values for values in kept.values()] == [{"agree": ["agree"], "priority": ["cancer"]}]


def test_check_your_answers_lists_a_follow_up_question_only_when_it_was_asked(client, consultation, survey):
    answer_all(client, consultation)  # "maternity": the "Why?" follow-up (for "cancer") was never shown
    check = client.get(url(consultation, "check-your-answers/"))
    assertContains(check, "The plan is right")
    assertNotContains(check, "Why?")
    answer_all(client, consultation, page_one={"agree": "agree", "priority": "cancer", "why": "Early diagnosis"})
    check = client.get(url(consultation, "check-your-answers/"))
    assertContains(check, "Why?")
    assertContains(check, "Early diagnosis")


def test_a_double_clicked_send_counts_once_against_the_rate_limit(consultation, survey, settings, monkeypatch):
    from common.models import RateLimitCounter
    from surveys import views

    def counted() -> int:
        return sum(RateLimitCounter.objects.filter(key__startswith="survey-response:").values_list("count", flat=True))

    settings.SURVEY_RATE_LIMIT = 1
    client = Client(REMOTE_ADDR="203.0.113.9")
    answer_all(client, consultation)
    first, _ = send(client, consultation)
    assert counted() == 1
    # The second click of a double click, racing the first: it gets as far as storing, finds the
    # response the first click stored, and is not counted again (nor held as over the limit).
    stored = Response.objects.get()
    monkeypatch.setattr(views, "submit_response", lambda **kwargs: (stored, False))
    second = Client(REMOTE_ADDR="203.0.113.9")
    answer_all(second, consultation)
    again, _ = send(second, consultation)
    assert again["Location"] == first["Location"]
    assert counted() == 1
    assert Response.objects.get().status == Response.Status.ACCEPTED


def test_forged_or_expired_form_gets_a_friendly_page_that_says_truly_whether_answers_are_kept(consultation, survey):
    # No session at all: nothing is kept, and the page does not pretend otherwise.
    client = Client(enforce_csrf_checks=True)
    response = client.post(url(consultation, number=1), PAGE_ONE)
    assert response.status_code == 403
    assertContains(response, "we do not have any of your answers from earlier pages", status_code=403)
    assertNotContains(response, "still kept", status_code=403)

    # Page 1 answered and kept, then the form for page 2 is refused: earlier answers are still kept.
    client = Client(enforce_csrf_checks=True)
    page = client.get(url(consultation, number=1))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    assert client.post(url(consultation, number=1), {**PAGE_ONE, "csrfmiddlewaretoken": token}).status_code == 302
    refused = client.post(url(consultation, number=2), PAGE_TWO)  # no token: refused
    assertContains(refused, "Your answers from earlier pages are still kept", status_code=403)


def test_coming_back_to_a_half_answered_survey_offers_to_continue_where_you_left_off(client, consultation, survey):
    start = client.get(url(consultation))
    assertContains(start, "Start now")
    assertNotContains(start, "Continue where you left off")
    client.get(url(consultation, number=1))
    client.post(url(consultation, number=1), PAGE_ONE)
    start = client.get(url(consultation))
    assertContains(start, "Continue where you left off")
    assertContains(start, f'href="{url(consultation, number=2)}"')
    client.post(url(consultation, number=2), PAGE_TWO)
    assertContains(client.get(url(consultation)), "Check your answers and send them")


def test_a_page_never_answered_or_not_kept_is_told_apart_from_answers_that_need_changing(client, consultation, survey):
    client.get(url(consultation, number=1))
    client.post(url(consultation, number=2), PAGE_TWO)  # page 1 never answered (or its answers were lost)
    check = client.get(url(consultation, "check-your-answers/"), follow=True)
    assertContains(check, "We do not have your answers to this page. If you answered it before, they were not kept")
    assertNotContains(check, "need changing")

    client.post(url(consultation, number=1), PAGE_ONE)
    survey.questions.filter(identifier="priority").update(required=True)
    survey.questions.get(identifier="priority").choices.filter(value="maternity").delete()  # the answer no longer fits
    check = client.get(url(consultation, "check-your-answers/"), follow=True)
    assertContains(check, "Some answers on this page need changing")


def test_survey_of_a_closed_consultation_says_so_plainly(client, consultation, survey):
    consultation.opens_at = timezone.now() - datetime.timedelta(days=10)
    consultation.closes_at = timezone.now() - datetime.timedelta(days=1)
    consultation.save()
    response = client.get(url(consultation))
    assertContains(response, "This consultation has closed")
    assertNotContains(response, "Start now")


def test_survey_page_queries_do_not_grow_with_questions(client, consultation, survey, django_assert_max_num_queries):
    client.get(url(consultation, number=2))
    section = survey.sections.get(order=2)
    for number in range(15):
        make_question(section, f"extra_{number}", K.SINGLE_CHOICE, choices=["One", "Two", "Three"])
    # session, consultation (+partnership, survey), sections, questions, choices, navigation, session save
    with django_assert_max_num_queries(9):
        client.get(url(consultation, number=2))
