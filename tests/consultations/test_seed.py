from io import StringIO

import pytest
from django.core.management import call_command

from consultations.models import Consultation
from surveys.models import Question

pytestmark = pytest.mark.django_db


def seed() -> None:
    call_command("seed_content", stdout=StringIO())


def test_seed_opens_the_greenwich_and_southwark_consultations_with_surveys():
    seed()
    greenwich = Consultation.objects.get(partnership__slug="greenwich")
    assert greenwich.is_open and greenwich.plan.slug == "recovery-and-reset-plan"
    views = greenwich.survey.sections.get(is_about_you=False)
    questions = list(views.questions.values_list("identifier", flat=True))
    assert questions[:4] == ["plan_focus", "changes_to_keep", "first_priority", "get_involved"]
    assert all(q.is_placeholder for q in views.questions.all())
    southwark = Consultation.objects.get(partnership__slug="southwark")
    assert southwark.survey.sections.filter(is_about_you=True).count() == 1
    about_you = Question.objects.filter(survey=southwark.survey, section__is_about_you=True)
    assert about_you.count() >= 9
    assert all(q.choices.filter(value="prefer_not_to_say").exists() for q in about_you if q.is_choice)


def test_email_is_asked_only_after_saying_yes_to_getting_involved():
    seed()
    email = Question.objects.get(identifier="get_involved_email")
    assert (email.kind, email.required, email.show_if_choice.value) == ("email", False, "yes")


def test_seeding_twice_adds_no_second_consultation_or_question():
    seed()
    before = (Consultation.objects.count(), Question.objects.count())
    seed()
    assert (Consultation.objects.count(), Question.objects.count()) == before
