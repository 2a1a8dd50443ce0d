"""Seed consultations and their surveys. The questions are placeholders: the source pages mention
"a survey on 4 key questions" and "share your views" but do not give the questions."""

import datetime

from django.utils import timezone

from common.seed import load_once
from consultations.models import Consultation
from partnerships.models import Partnership, Plan
from surveys.about_you import add_about_you_section
from surveys.models import Question, Section, Survey

PLACEHOLDER_QUESTIONS = "Placeholder questions written for the demo: replace them with the partnership's own."
PLACEHOLDER_DATES = "Opening and closing dates are placeholders: set the real ones."

GREENWICH_AIMS = [
    ("services_meet_local_needs", "Health and care services that meet local needs"),
    ("people_care_for_own_health", "Helping people take better care of their own health"),
    ("one_team", "Professionals working as one team"),
    ("performance", "Better performance of local services"),
    ("care_in_community", "Less duplication, and more care in the community"),
]

CONSULTATIONS = [
    {
        "key": "consultation:greenwich-recovery-and-reset",
        "partnership": "greenwich",
        "plan": "recovery-and-reset-plan",
        "title": "Help shape how Greenwich's health and care services recover",
        "slug": "recovery-and-reset-plan",
        "summary": (
            "Read the executive summary of the draft recovery and reset plan and send your views on 4 key questions."
        ),
        "body": (
            "<p>Covid-19 has affected nearly every aspect of our daily lives. Health and care services in "
            "Greenwich are working together through the Healthier Greenwich Alliance and have developed a "
            "draft recovery and reset plan which outlines how, over the next 18 months, we plan to work with "
            "local people to learn from Covid-19 and accelerate some of the positive changes put in place.</p>"
            "<p>The partners are also keen for local residents to get involved in developing the details of "
            "the plan over the coming months.</p>"
        ),
        "audience": "Everyone who lives, works or uses health and care services in Greenwich, and local groups",
        "how_responses_are_used": (
            "The Healthier Greenwich Alliance partners will read every response and use them to shape the "
            "details of the recovery and reset plan. We will publish a summary of what we heard and what we "
            "did about it."
        ),
        "contact_name": "Russell Cartwright",
        "survey": {
            "introduction": "This short survey asks 4 key questions about the draft recovery and reset plan.",
            "who_is_collecting": "Healthier Greenwich Alliance, the Greenwich local care partnership",
            "why_collecting": "To find out what local people think of the draft plan before it is finalised.",
            "retention_months": 12,
        },
    },
    {
        "key": "consultation:southwark-recovery-plan",
        "partnership": "southwark",
        "plan": "recovery-plan",
        "title": "Share your views on the Partnership Southwark recovery plan",
        "slug": "share-your-views",
        "summary": "Have your say on how the recovery plan should be developed and brought to life.",
        "body": (
            "<p>In September 2020, the Partnership Southwark recovery plan was approved by NHS South East "
            "London Clinical Commissioning Group and Southwark Council. Share your views and have your say on "
            "what we're developing.</p>"
            "<p>As this work develops, we will be reaching out to community groups across the borough to try "
            "and work together to gather their views and listen to the concerns of people in Southwark.</p>"
        ),
        "audience": "Everyone who lives or works in Southwark, and community groups across the borough",
        "how_responses_are_used": (
            "Partnership Southwark will use your views to decide how the recovery plan is developed and "
            "brought to life, and will publish what we heard."
        ),
        "contact_name": "",
        "survey": {
            "introduction": "Tell us what matters to you as we develop the recovery plan.",
            "who_is_collecting": "Partnership Southwark (NHS South East London and Southwark Council)",
            "why_collecting": "To understand what matters to Southwark residents as the recovery plan is developed.",
            "retention_months": 12,
        },
    },
]


def _question(section: Section, order: int, **fields) -> Question:
    question = Question(section=section, order=order, placeholder_note=PLACEHOLDER_QUESTIONS, **fields)
    question.full_clean(exclude=["survey"])
    question.save()
    return question


def greenwich_questions(survey: Survey) -> None:
    section = survey.sections.create(title="Your views on the draft plan", order=1)
    _question(
        section, 1, identifier="plan_focus", kind=Question.Kind.AGREEMENT, required=True,
        text="The draft plan focuses on the right things for Greenwich's recovery from Covid-19",
        hint="Tell us how much you agree or disagree.",
    )  # fmt: skip
    _question(
        section, 2, identifier="changes_to_keep", kind=Question.Kind.LONG_TEXT, max_length=1000,
        text="Which positive changes made during Covid-19 should we keep or speed up?",
        hint="For example, phone or video appointments, or services working together.",
    )  # fmt: skip
    first_priority = _question(
        section, 3, identifier="first_priority", kind=Question.Kind.SINGLE_CHOICE, required=True,
        allow_other=True, text="Which of our aims should come first?",
    )  # fmt: skip
    first_priority.choices.bulk_create(
        first_priority.choices.model(question=first_priority, value=value, label=label, order=order)
        for order, (value, label) in enumerate(GREENWICH_AIMS, start=1)
    )
    involved = _question(
        section, 4, identifier="get_involved", kind=Question.Kind.YES_NO, required=True,
        text="Would you like to help develop the details of the plan over the coming months?",
    )  # fmt: skip
    _question(
        section, 5, identifier="get_involved_email", kind=Question.Kind.EMAIL,
        text="Your email address",
        email_purpose="to invite you to help develop the details of the plan",
        show_if_choice=involved.choices.get(value="yes"),
    )  # fmt: skip


def southwark_questions(survey: Survey) -> None:
    section = survey.sections.create(title="Your views", order=1)
    _question(
        section, 1, identifier="what_matters", kind=Question.Kind.LONG_TEXT, max_length=1500, required=True,
        text="What matters most to you about health and care in Southwark as we recover from COVID-19?",
    )  # fmt: skip
    _question(
        section, 2, identifier="inequalities_focus", kind=Question.Kind.AGREEMENT,
        text="The plan should focus on tackling health and care inequalities in Southwark",
    )  # fmt: skip
    groups = _question(
        section, 3, identifier="groups_to_reach", kind=Question.Kind.MULTIPLE_CHOICE, max_choices=3,
        allow_other=True, text="Which community groups should we reach out to first?",
        hint="Choose up to 3.",
    )  # fmt: skip
    labels = [
        "Faith groups", "Carers' groups", "Young people's groups", "Older people's groups",
        "Disabled people's groups", "Groups for people who speak languages other than English",
    ]  # fmt: skip
    groups.choices.bulk_create(
        groups.choices.model(question=groups, value=f"group_{order}", label=label, order=order)
        for order, label in enumerate(labels, start=1)
    )


QUESTION_BUILDERS = {
    "consultation:greenwich-recovery-and-reset": greenwich_questions,
    "consultation:southwark-recovery-plan": southwark_questions,
}


def uk_time(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def load_consultation(spec: dict) -> None:
    partnership = Partnership.objects.get(slug=spec["partnership"])
    # Dates as an editor would set them: opened at 9am yesterday, closing at 11:59pm in 8 weeks (UK time).
    today = timezone.localdate()
    consultation = Consultation(
        partnership=partnership,
        plan=Plan.objects.get(partnership=partnership, slug=spec["plan"]),
        publication_status=Consultation.Status.PUBLISHED,
        opens_at=uk_time(today - datetime.timedelta(days=1), 9, 0),
        closes_at=uk_time(today + datetime.timedelta(weeks=8), 23, 59),
        placeholder_note=PLACEHOLDER_DATES,
        **{key: spec[key] for key in ["title", "slug", "summary", "body", "audience", "how_responses_are_used",
                                      "contact_name"]},
    )  # fmt: skip
    consultation.full_clean()
    consultation.save()
    survey = Survey.objects.create(consultation=consultation, placeholder_note=PLACEHOLDER_QUESTIONS, **spec["survey"])
    QUESTION_BUILDERS[spec["key"]](survey)
    add_about_you_section(survey)


def load_consultations() -> list[str]:
    return [spec["key"] for spec in CONSULTATIONS if load_once(spec["key"], lambda spec=spec: load_consultation(spec))]
