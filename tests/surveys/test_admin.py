import re

import pytest
from django.contrib.auth.models import Permission
from pytest_django.asserts import assertContains, assertNotContains

from surveys.about_you import IDENTIFIERS, add_about_you_section
from surveys.models import Answer, Question, Response, Section
from surveys.services import submit_response
from tests.factories import make_consultation, make_editor, make_question, make_survey, respond

pytestmark = pytest.mark.django_db
K = Question.Kind

SURVEYS = "/admin/surveys/survey/"
QUESTIONS = "/admin/surveys/question/"
RESPONSES = "/admin/surveys/response/"


@pytest.fixture
def survey(greenwich):
    survey = make_survey(make_consultation(greenwich, "Greenwich winter plan"))
    views = survey.sections.create(title="Your views", order=1)
    make_question(views, "agree", K.AGREEMENT, text="The plan is right")
    make_question(views, "transport", K.SINGLE_CHOICE, text="How do you travel?", choices=["Bus", "Train"])
    more = survey.sections.create(title="A bit more", order=2)
    make_question(more, "visits", K.NUMBER, min_value=0, max_value=50, text="How many visits?")
    make_question(more, "comments", K.LONG_TEXT, max_length=200, text="Anything else?")
    return survey


@pytest.fixture
def lewisham_survey(lewisham):
    survey = make_survey(make_consultation(lewisham, "Lewisham secret consultation"))
    section = survey.sections.create(title="Lewisham secret section")
    make_question(section, "secret", K.SINGLE_CHOICE, text="Lewisham secret question", choices=["Lewisham secret"])
    return survey


# What a typical response to the survey fixture answers.
ANSWERS = {"agree": "agree", "transport": "bus", "visits": 3}
TOO_FAST = "sent too fast"


def question(survey, identifier: str) -> Question:
    return survey.questions.get(identifier=identifier)


def question_data(question: Question, **changes) -> dict:
    """What the question's change page posts back when nothing is touched, with some changes."""
    data = {
        "section": question.section_id,
        "order": question.order,
        "text": question.text,
        "hint": question.hint,
        "identifier": question.identifier,
        "kind": question.kind,
        "placeholder_note": "",
        "max_choices": question.max_choices or "",
        "rating_scale": question.rating_scale,
        "show_if_choice": question.show_if_choice_id or "",
        "max_length": question.max_length or "",
        "min_value": "" if question.min_value is None else question.min_value,
        "max_value": "" if question.max_value is None else question.max_value,
        "email_purpose": question.email_purpose,
    }
    if question.required:
        data["required"] = "on"
    choices = list(question.choices.all()) if question.pk else []
    data.update({"choices-TOTAL_FORMS": len(choices), "choices-INITIAL_FORMS": len(choices)})
    for number, choice in enumerate(choices):
        prefix = f"choices-{number}-"
        data.update({prefix + "id": choice.pk, prefix + "question": question.pk, prefix + "label": choice.label})
        data.update({prefix + "value": choice.value, prefix + "order": choice.order})
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def new_question_data(section: Section, **changes) -> dict:
    return question_data(
        Question(section=section, identifier="new", text="A new question", kind=K.SHORT_TEXT), **changes
    )


# Who may see what


def test_editor_lists_only_their_partnerships_surveys_questions_and_responses(client, alice, survey, lewisham_survey):
    respond(survey, **ANSWERS)
    lewisham_response = respond(lewisham_survey, secret="lewisham_secret")
    client.force_login(alice)
    for listing in (SURVEYS, QUESTIONS, RESPONSES):
        page = client.get(listing)
        assertContains(page, "Greenwich winter plan")
        assertNotContains(page, "Lewisham secret")  # not in the rows, nor in the survey filter
    assertNotContains(client.get(RESPONSES), lewisham_response.reference)


def lewisham_urls(lewisham_survey) -> dict[str, list[str]]:
    response = respond(lewisham_survey, secret="lewisham_secret")
    secret = question(lewisham_survey, "secret")
    return {
        "admin": [
            f"{SURVEYS}{lewisham_survey.pk}/change/",
            f"{SURVEYS}{lewisham_survey.pk}/history/",
            f"{SURVEYS}{lewisham_survey.pk}/delete/",
            f"{QUESTIONS}{secret.pk}/change/",
            f"{QUESTIONS}{secret.pk}/history/",
            f"{QUESTIONS}{secret.pk}/delete/",
            f"{RESPONSES}{response.pk}/change/",
            f"{RESPONSES}{response.pk}/history/",
        ],
        "custom": [
            f"{SURVEYS}{lewisham_survey.pk}/paper-response/",
            f"{SURVEYS}{lewisham_survey.pk}/about-you/",
            f"{RESPONSES}{response.pk}/review/",
        ],
    }


def test_editor_cannot_reach_another_partnerships_survey_questions_or_responses_by_any_url(
    client, alice, lewisham_survey
):
    urls = lewisham_urls(lewisham_survey)
    client.force_login(alice)
    for url in urls["admin"]:
        response = client.get(url, follow=True)
        assertNotContains(response, "Lewisham secret")
        assert response.redirect_chain[-1][0] == "/admin/", url
    for url in urls["custom"]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"channel": "paper", "decision": "approve"}).status_code == 404, url


def test_editor_cannot_change_another_partnerships_survey_by_posting(client, alice, lewisham_survey):
    secret = question(lewisham_survey, "secret")
    held = respond(lewisham_survey, held_because=TOO_FAST, secret="lewisham_secret")
    client.force_login(alice)
    client.post(f"{QUESTIONS}{secret.pk}/change/", question_data(secret, text="Hijacked"))
    client.post(f"{SURVEYS}{lewisham_survey.pk}/about-you/")
    client.post(RESPONSES, {"action": "approve_held", "_selected_action": [held.pk]})
    secret.refresh_from_db()
    held.refresh_from_db()
    assert secret.text == "Lewisham secret question"
    assert not lewisham_survey.sections.filter(is_about_you=True).exists()
    assert held.status == Response.Status.HELD


def test_editor_cannot_put_a_question_in_another_partnerships_section(client, alice, survey, lewisham_survey):
    lewisham_section = lewisham_survey.sections.get()
    client.force_login(alice)
    add_page = client.get(QUESTIONS + "add/")
    assertContains(add_page, "Greenwich winter plan: Your views")
    assertNotContains(add_page, "Lewisham secret")
    response = client.post(QUESTIONS + "add/", new_question_data(lewisham_section))
    assertContains(response, "Select a valid choice")
    assert not Question.objects.filter(identifier="new").exists()


def test_editor_cannot_make_a_question_depend_on_another_partnerships_choice(client, alice, survey, lewisham_survey):
    lewisham_choice = question(lewisham_survey, "secret").choices.get()
    client.force_login(alice)
    data = new_question_data(survey.sections.first(), show_if_choice=lewisham_choice.pk)
    assertContains(client.post(QUESTIONS + "add/", data), "Select a valid choice")
    assert not Question.objects.filter(identifier="new").exists()


def test_condition_choices_on_a_question_come_from_its_own_survey(client, alice, greenwich, survey):
    other = make_survey(make_consultation(greenwich, "Another Greenwich consultation"))
    make_question(other.sections.create(title="Other"), "other_q", K.SINGLE_CHOICE, choices=["Elsewhere"])
    visits = question(survey, "visits")
    client.force_login(alice)
    page = client.get(f"{QUESTIONS}{visits.pk}/change/")
    assertContains(page, "How do you travel? → Bus")
    assertNotContains(page, "→ Elsewhere")
    assertNotContains(page, "Another Greenwich consultation: Other")  # nor may it move to another survey


# Guards once people have answered


def test_question_type_cannot_change_once_answered(client, alice, survey):
    respond(survey, **ANSWERS)
    transport = question(survey, "transport")
    client.force_login(alice)
    response = client.post(f"{QUESTIONS}{transport.pk}/change/", question_data(transport, kind=K.MULTIPLE_CHOICE))
    assertContains(response, "This question already has answers, so its type cannot change")
    transport.refresh_from_db()
    assert transport.kind == K.SINGLE_CHOICE


def test_question_type_can_change_before_anyone_answers(client, alice, survey):
    transport = question(survey, "transport")
    client.force_login(alice)
    response = client.post(f"{QUESTIONS}{transport.pk}/change/", question_data(transport, kind=K.MULTIPLE_CHOICE))
    assert response.status_code == 302
    transport.refresh_from_db()
    assert transport.kind == K.MULTIPLE_CHOICE


def test_wording_and_labels_can_be_fixed_once_answered(client, alice, survey):
    respond(survey, **ANSWERS)
    transport = question(survey, "transport")
    client.force_login(alice)
    data = question_data(transport, text="How do you usually travel?", **{"choices-0-label": "Bus or tram"})
    assert client.post(f"{QUESTIONS}{transport.pk}/change/", data).status_code == 302
    transport.refresh_from_db()
    assert transport.text == "How do you usually travel?"
    assert transport.choices.get(value="bus").label == "Bus or tram"


def test_answered_choice_keeps_its_value(client, alice, survey):
    respond(survey, **ANSWERS)
    transport = question(survey, "transport")
    client.force_login(alice)
    response = client.post(
        f"{QUESTIONS}{transport.pk}/change/", question_data(transport, **{"choices-0-value": "coach"})
    )
    assertContains(response, "People have already chosen this, so its short name cannot change")
    assert transport.choices.filter(value="bus").exists()


def test_answered_question_keeps_its_identifier(client, alice, survey):
    respond(survey, **ANSWERS)
    transport = question(survey, "transport")
    client.force_login(alice)
    response = client.post(f"{QUESTIONS}{transport.pk}/change/", question_data(transport, identifier="travel"))
    assertContains(response, "This question already has answers, so its short name cannot change")


def test_identifier_must_be_unique_in_the_survey(client, alice, survey):
    client.force_login(alice)
    response = client.post(QUESTIONS + "add/", new_question_data(survey.sections.first(), identifier="visits"))
    assertContains(response, "Another question in this survey is already called “visits”")


def test_answered_choice_cannot_be_deleted_from_the_question_page(client, alice, survey):
    respond(survey, **ANSWERS)
    transport = question(survey, "transport")
    client.force_login(alice)
    response = client.post(f"{QUESTIONS}{transport.pk}/change/", question_data(transport, **{"choices-0-DELETE": "on"}))
    assertContains(response, "“Bus” has been chosen in 1 response, so it cannot be deleted")
    assert transport.choices.filter(value="bus").exists()


def test_unanswered_choice_can_be_deleted_even_once_the_survey_has_responses(client, alice, survey):
    respond(survey, **ANSWERS)
    transport = question(survey, "transport")
    client.force_login(alice)
    response = client.post(f"{QUESTIONS}{transport.pk}/change/", question_data(transport, **{"choices-1-DELETE": "on"}))
    assert response.status_code == 302
    assert list(transport.choices.values_list("value", flat=True)) == ["bus"]


def test_answered_question_cannot_be_deleted_and_the_page_says_why(client, alice, survey):
    respond(survey, **ANSWERS)
    transport = question(survey, "transport")
    client.force_login(alice)
    page = client.get(f"{QUESTIONS}{transport.pk}/delete/")
    assertContains(page, "cannot be deleted, because people have already answered it")
    assertContains(page, "“How do you travel?” has answers in 1 response. You can change its wording instead.")
    client.post(f"{QUESTIONS}{transport.pk}/delete/", {"post": "yes"})
    listing = client.post(QUESTIONS, {"action": "delete_selected", "_selected_action": [transport.pk], "post": "yes"})
    assertContains(listing, "Nothing has been deleted")
    assert Question.objects.filter(pk=transport.pk).exists()


def test_unanswered_question_can_be_deleted(client, alice, survey):
    respond(survey, agree="agree")
    comments = question(survey, "comments")
    client.force_login(alice)
    client.post(f"{QUESTIONS}{comments.pk}/delete/", {"post": "yes"})
    assert not Question.objects.filter(pk=comments.pk).exists()


def test_survey_with_responses_cannot_be_deleted(client, alice, survey):
    respond(survey, **ANSWERS)
    client.force_login(alice)
    page = client.get(f"{SURVEYS}{survey.pk}/delete/")
    assertContains(page, "has 1 response, which must be kept")


def section_data(survey, **changes) -> dict:
    sections = list(survey.sections.all())
    data = {"sections-TOTAL_FORMS": len(sections), "sections-INITIAL_FORMS": len(sections)}
    for number, section in enumerate(sections):
        prefix = f"sections-{number}-"
        data.update({prefix + "id": section.pk, prefix + "survey": survey.pk, prefix + "title": section.title})
        data.update({prefix + "description": section.description, prefix + "order": section.order})
    fields = {"introduction": "", "who_is_collecting": "Us", "why_collecting": "To hear", "retention_months": "12"}
    privacy = {"lawful_basis": "public_task", "equality_condition": "equality"}
    return {**fields, **privacy, "minimum_seconds": 10, "placeholder_note": "", **data, **changes}


def test_section_with_answered_questions_cannot_be_deleted(client, alice, survey):
    respond(survey, visits=4)
    client.force_login(alice)
    response = client.post(f"{SURVEYS}{survey.pk}/change/", section_data(survey, **{"sections-1-DELETE": "on"}))
    assertContains(response, "The section “A bit more” has questions people have already answered")
    assert survey.sections.count() == 2


def test_answered_about_you_section_stays_about_you(client, alice, survey):
    add_about_you_section(survey)
    respond(survey, about_age="25_to_34")
    client.force_login(alice)
    data = section_data(survey)  # the "About you" box is left unticked
    response = client.post(f"{SURVEYS}{survey.pk}/change/", data)
    assertContains(response, "so it stays an ‘About you’ section")
    assert survey.sections.filter(is_about_you=True).exists()
    data["sections-2-is_about_you"] = "on"
    assert client.post(f"{SURVEYS}{survey.pk}/change/", {**data, "sections-0-title": "Views"}).status_code == 302


def test_new_optional_question_can_be_added_once_there_are_responses(client, alice, survey):
    respond(survey, **ANSWERS)
    client.force_login(alice)
    response = client.post(QUESTIONS + "add/", new_question_data(survey.sections.first()))
    assert response.status_code == 302
    assert question(survey, "new").survey == survey


def test_new_required_question_is_refused_once_there_are_responses(client, alice, survey):
    respond(survey, **ANSWERS)
    client.force_login(alice)
    response = client.post(QUESTIONS + "add/", new_question_data(survey.sections.first(), required="on"))
    assertContains(response, "The survey already has responses, so new questions must be optional")
    assert not Question.objects.filter(identifier="new").exists()


def test_new_yes_no_question_gets_its_choices(client, alice, survey):
    client.force_login(alice)
    response = client.post(QUESTIONS + "add/", new_question_data(survey.sections.first(), kind=K.YES_NO))
    assert response.status_code == 302
    assert list(question(survey, "new").choices.values_list("value", flat=True)) == ["yes", "no"]


# The standard "About you" section


def test_about_you_section_is_optional_complete_and_added_once(survey):
    section = add_about_you_section(survey)
    assert add_about_you_section(survey) == section
    assert survey.sections.filter(is_about_you=True).count() == 1
    assert section.order > survey.sections.exclude(pk=section.pk).order_by("-order").first().order
    assert "only ever reported in groups of 10 people or more" in section.description
    questions = list(section.questions.all())
    assert [q.identifier for q in questions] == list(IDENTIFIERS)
    assert len(questions) == 10
    for q in questions:
        assert not q.required
        assert q.kind in (K.SINGLE_CHOICE, K.BOROUGH)
        assert q.choices.filter(value="prefer_not_to_say", label="Prefer not to say").count() == 1, q.identifier
    assert Question.objects.filter(survey=survey, identifier__startswith="about_").count() == 10


def test_about_you_uses_the_census_categories(survey):
    add_about_you_section(survey)
    ethnicity = question(survey, "about_ethnicity").choices.exclude(value="prefer_not_to_say")
    labels = list(ethnicity.values_list("label", flat=True))
    assert len(labels) == 19
    assert labels[0] == "Asian or Asian British: Indian"
    assert "White: English, Welsh, Scottish, Northern Irish or British" in labels
    assert labels[-2:] == ["Arab", "Any other ethnic group"]
    age = question(survey, "about_age").choices.values_list("label", flat=True)
    assert list(age)[0] == "Under 16" and list(age)[-2:] == ["85 or over", "Prefer not to say"]
    assert question(survey, "about_borough").kind == K.BOROUGH


def test_day_to_day_question_is_asked_only_of_people_with_a_condition(survey):
    add_about_you_section(survey)
    impact = question(survey, "about_disability_impact")
    assert impact.show_if_choice == question(survey, "about_disability").choices.get(value="yes")
    assert list(impact.choices.values_list("label", flat=True)) == [
        "Yes, a lot",
        "Yes, a little",
        "Not at all",
        "Prefer not to say",
    ]


def test_about_you_puts_back_only_missing_questions(survey):
    add_about_you_section(survey)
    question(survey, "about_religion").delete()
    question(survey, "about_age").choices.filter(value="under_16").update(label="Younger than 16")
    add_about_you_section(survey)
    assert survey.questions.filter(identifier="about_religion").count() == 1
    assert question(survey, "about_age").choices.filter(label="Younger than 16").exists()


def test_editor_adds_about_you_from_the_survey_page(client, alice, survey):
    client.force_login(alice)
    change_page = client.get(f"{SURVEYS}{survey.pk}/change/")
    assertContains(change_page, "Add the standard ‘About you’ section")
    confirm = client.get(f"{SURVEYS}{survey.pk}/about-you/")
    assertContains(confirm, "Do you look after, or give any help or support to, anyone")
    assert not survey.sections.filter(is_about_you=True).exists()
    response = client.post(f"{SURVEYS}{survey.pk}/about-you/", follow=True)
    assertContains(response, "Added 10 questions")
    again = client.post(f"{SURVEYS}{survey.pk}/about-you/", follow=True)
    assertContains(again, "already has the ‘About you’ section, so nothing was added")
    assert survey.sections.filter(is_about_you=True).count() == 1
    assertNotContains(client.get(f"{SURVEYS}{survey.pk}/change/"), "Add the standard ‘About you’ section")


def test_editor_adds_about_you_with_the_list_action(client, alice, survey):
    client.force_login(alice)
    response = client.post(SURVEYS, {"action": "add_about_you", "_selected_action": [survey.pk]}, follow=True)
    assertContains(response, "Added 10 questions")
    assert survey.questions.filter(identifier__in=IDENTIFIERS).count() == 10


# Paper and event responses


def paper_url(survey) -> str:
    return f"{SURVEYS}{survey.pk}/paper-response/"


def field(survey, identifier: str) -> str:
    return f"section-{question(survey, identifier).section_id}-{identifier}"


def paper_data(survey, **answers) -> dict:
    data = {"channel": "paper"}
    for identifier, value in answers.items():
        data[field(survey, identifier)] = value
    return data


def test_paper_entry_shows_every_question_of_every_section(client, alice, survey):
    client.force_login(alice)
    page = client.get(paper_url(survey))
    for text in ("How was this response received?", "Your views", "A bit more", "How many visits?"):
        assertContains(page, text)
    assertContains(page, f'name="{field(survey, "visits")}"')
    assertNotContains(page, 'value="online"')
    assertNotContains(page, "nhsuk=")
    assertContains(client.get(f"{SURVEYS}{survey.pk}/change/"), "Enter a paper or event response")


def test_paper_response_is_stored_with_its_answers_and_channel(client, alice, survey):
    client.force_login(alice)
    data = paper_data(survey, agree="disagree", transport="train", visits="7", comments="Too far to walk")
    response = client.post(paper_url(survey), {**data, "channel": "event"}, follow=True)
    stored = Response.objects.get()
    assert (stored.channel, stored.entered_by, stored.status) == ("event", alice, Response.Status.ACCEPTED)
    answers = {a.question.identifier: a for a in stored.answers.select_related("question", "choice")}
    assert answers["agree"].choice.value == "disagree"
    assert answers["transport"].choice.value == "train"
    assert answers["visits"].number == 7
    assert answers["comments"].text == "Too far to walk"
    assert response.redirect_chain[-1][0] == paper_url(survey)
    assertContains(response, f"Response {stored.reference} saved. You can enter the next one below.")
    assertNotContains(response, "Too far to walk")  # an empty form for the next one


def test_paper_response_may_leave_questions_unanswered(client, alice, survey):
    Question.objects.filter(survey=survey, identifier="agree").update(required=True)
    client.force_login(alice)
    client.post(paper_url(survey), paper_data(survey, visits="2"))
    assert Response.objects.get().answers.count() == 1


def test_paper_entry_errors_are_shown_next_to_the_fields_and_keep_what_was_typed(client, alice, survey):
    client.force_login(alice)
    data = paper_data(survey, visits="99", comments="Too far to walk", transport="train")
    del data["channel"]
    response = client.post(paper_url(survey), data)
    assertContains(response, "Please correct the errors below. Nothing has been saved yet.")
    assertContains(response, "Select how this response was received")
    assertContains(response, "Enter a whole number between 0 and 50")
    assertContains(response, "Too far to walk")
    assertContains(response, 'value="99"')
    assert re.search(r'value="train"[^>]*checked', response.content.decode())
    assert not Response.objects.exists()


def test_paper_entry_refuses_an_empty_response_and_online_as_the_channel(client, alice, survey):
    client.force_login(alice)
    assertContains(client.post(paper_url(survey), {"channel": "paper"}), "Enter at least one answer")
    response = client.post(paper_url(survey), {**paper_data(survey, visits="1"), "channel": "online"})
    assertContains(response, "Select a valid choice")
    assert not Response.objects.exists()


def test_paper_response_sent_twice_is_stored_once(client, alice, survey):
    client.force_login(alice)
    token = re.search(r'name="submission_token" value="([^"]+)"', client.get(paper_url(survey)).content.decode())
    data = {**paper_data(survey, visits="1"), "submission_token": token.group(1)}
    client.post(paper_url(survey), data)
    again = client.post(paper_url(survey), data, follow=True)
    assertContains(again, "This response was already saved")
    assert Response.objects.count() == 1


def test_paper_response_is_all_or_nothing(client, alice, survey, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Answer.objects, "bulk_create", fail)
    client.force_login(alice)
    with pytest.raises(RuntimeError):
        client.post(paper_url(survey), paper_data(survey, visits="1", comments="Lost?"))
    assert not Response.objects.exists()


def test_paper_entry_is_refused_to_outsiders_and_to_staff_without_permission(client, bob, greenwich, survey):
    client.force_login(bob)
    assert client.get(paper_url(survey)).status_code == 404
    assert client.post(paper_url(survey), paper_data(survey, visits="1")).status_code == 404
    viewer = make_editor("viewer", greenwich)
    viewer.groups.clear()
    viewer.user_permissions.add(Permission.objects.get(codename="view_survey"))
    client.force_login(viewer)
    assert client.get(paper_url(survey)).status_code == 403
    assert client.post(paper_url(survey), paper_data(survey, visits="1")).status_code == 403
    assert not Response.objects.exists()


# Reviewing responses


def test_response_page_shows_the_answers_read_only(client, alice, survey):
    add_about_you_section(survey)
    response = respond(survey, agree="agree", transport="bus", comments="More buses", about_age="25_to_34")
    client.force_login(alice)
    page = client.get(f"{RESPONSES}{response.pk}/change/")
    for text in (response.reference, "How do you travel?", "Bus", "Agree", "Anything else?"):
        assertContains(page, text)
    assertNotContains(page, "25 to 34")  # "About you" answers are only ever shown in aggregate
    assertContains(page, "1 answer, not shown here")
    assertNotContains(page, 'name="status"')
    client.post(f"{RESPONSES}{response.pk}/change/", {"status": "rejected", "channel": "paper"})
    response.refresh_from_db()
    assert (response.status, response.channel) == ("accepted", "online")


def test_written_answers_need_the_permission_to_see_individual_responses(client, alice, survey):
    response = respond(survey, transport="bus", comments="More buses")
    client.force_login(alice)
    page = client.get(f"{RESPONSES}{response.pk}/change/")
    assertNotContains(page, "More buses")
    assertContains(page, "Written answer hidden: you need permission to see individual responses")
    alice.user_permissions.add(Permission.objects.get(codename="view_individual_responses"))
    assertContains(client.get(f"{RESPONSES}{response.pk}/change/"), "More buses")


def test_responses_are_not_added_in_the_list_admin(client, alice, survey):
    client.force_login(alice)
    assert client.get(RESPONSES + "add/").status_code == 403


def test_approve_and_reject_change_only_held_responses(client, alice, survey):
    first, second, accepted = (
        respond(survey, held_because=TOO_FAST, **ANSWERS),
        respond(survey, held_because=TOO_FAST, **ANSWERS),
        respond(survey, **ANSWERS),
    )
    client.force_login(alice)
    everything = [first.pk, second.pk, accepted.pk]
    approved = client.post(RESPONSES, {"action": "approve_held", "_selected_action": [first.pk, accepted.pk]})
    rejected = client.post(RESPONSES, {"action": "reject_held", "_selected_action": everything}, follow=True)
    assertContains(rejected, "Rejected 1 held response: kept, but left out of the results.")
    for response in (first, second, accepted):
        response.refresh_from_db()
    assert approved.status_code == 302
    assert (first.status, second.status, accepted.status) == ("accepted", "rejected", "accepted")
    assert (first.reviewed_by, second.reviewed_by, accepted.reviewed_by) == (alice, alice, None)
    nothing = client.post(RESPONSES, {"action": "approve_held", "_selected_action": everything}, follow=True)
    assertContains(nothing, "None of the selected responses was held for review, so nothing changed.")


def test_held_response_can_be_approved_from_its_own_page(client, alice, survey):
    held = respond(survey, held_because=TOO_FAST, **ANSWERS)
    client.force_login(alice)
    page = client.get(f"{RESPONSES}{held.pk}/change/")
    assertContains(page, "sent too fast")
    assertContains(page, "Approve: count it")
    response = client.post(f"{RESPONSES}{held.pk}/review/", {"decision": "approve"}, follow=True)
    assertContains(response, "Approved 1 held response")
    held.refresh_from_db()
    assert held.status == Response.Status.ACCEPTED


def test_responses_can_be_filtered_by_status_channel_and_survey(client, alice, greenwich, survey):
    held = respond(survey, held_because=TOO_FAST, **ANSWERS)
    accepted = respond(survey, **ANSWERS)
    client.force_login(alice)
    listing = client.get(RESPONSES + f"?status__exact=held&channel__exact=online&survey={survey.pk}")
    assertContains(listing, held.reference)
    assertNotContains(listing, accepted.reference)


def test_survey_list_counts_only_accepted_responses(client, alice, survey):
    respond(survey, **ANSWERS)
    respond(survey, held_because=TOO_FAST, **ANSWERS)
    respond(survey, held_because=TOO_FAST, **ANSWERS)
    client.force_login(alice)
    listing = client.get(SURVEYS).content.decode()
    assert re.search(r'field-accepted_responses">1<', listing)
    assert re.search(r'field-held_responses">2<', listing)


def test_response_list_queries_do_not_grow_with_responses(client, alice, survey, django_assert_max_num_queries):
    client.force_login(alice)
    respond(survey, **ANSWERS)
    # session, user, the second-factor device, the user's own permissions, their groups' permissions,
    # the surveys for the survey filter, the filtered count, the total count, one page of responses
    # with their surveys and consultations joined in, the session's new expiry in a savepoint.
    with django_assert_max_num_queries(12):
        client.get(RESPONSES)
    for _ in range(30):
        respond(survey, held_because=TOO_FAST, **ANSWERS)
    with django_assert_max_num_queries(12):
        assertContains(client.get(RESPONSES), "sent too fast")


def test_survey_list_queries_do_not_grow_with_surveys(client, alice, greenwich, survey, django_assert_max_num_queries):
    client.force_login(alice)
    respond(survey, **ANSWERS)
    # session, user, the second-factor device, the user's own permissions, their groups' permissions,
    # the filtered count, the total count, one page of surveys with their consultations, partnerships
    # and response counts, the session's new expiry in a savepoint.
    with django_assert_max_num_queries(11):
        client.get(SURVEYS)
    for number in range(10):
        submit_response(survey=make_survey(make_consultation(greenwich, f"Consultation {number}")), answers={})
    with django_assert_max_num_queries(11):
        assertContains(client.get(SURVEYS), "Consultation 9")


def test_choice_rows_of_a_question_have_their_value_filled_in_from_the_label(client, alice, survey):
    client.force_login(alice)
    page = client.get(f"{QUESTIONS}{question(survey, 'transport').pk}/change/")
    # Django's prepopulate script fills the value of new rows as the label is typed.
    assertContains(page, "&quot;#id_choices-__prefix__-value&quot;, &quot;name&quot;: &quot;value&quot;")
    assertContains(page, "&quot;dependency_list&quot;: [&quot;label&quot;]")
