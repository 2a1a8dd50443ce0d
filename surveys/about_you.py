"""The standard "About you" (equality monitoring) section, with the ONS Census 2021 wording.

Identifiers and choice values are stable: exports, filters and the comparison with each
borough's Census profile use them as keys, so never rename them once responses exist.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from surveys.models import Choice, Question, Section, Survey

SECTION_TITLE = "About you"
SECTION_DESCRIPTION = (
    "We ask these questions to check that we hear from everyone in the community, not only some groups. "
    "Every question is optional: answer only the ones you are happy to. "
    "Your answers are only ever reported in groups of {threshold} people or more, so no one can be identified "
    "from them."
)
PREFER_NOT_TO_SAY = ("prefer_not_to_say", "Prefer not to say")
YES_NO = [("yes", "Yes"), ("no", "No")]


@dataclass(frozen=True)
class StandardQuestion:
    identifier: str
    text: str
    choices: tuple[tuple[str, str], ...] = ()  # (value, label); "Prefer not to say" is added to each
    hint: str = ""
    kind: str = Question.Kind.SINGLE_CHOICE
    show_if: tuple[str, str] | None = None  # (identifier, choice value) of an earlier question


QUESTIONS: tuple[StandardQuestion, ...] = (
    StandardQuestion(
        "about_age",
        "What is your age?",
        (
            ("under_16", "Under 16"),
            ("16_to_17", "16 to 17"),
            ("18_to_24", "18 to 24"),
            ("25_to_34", "25 to 34"),
            ("35_to_44", "35 to 44"),
            ("45_to_54", "45 to 54"),
            ("55_to_64", "55 to 64"),
            ("65_to_74", "65 to 74"),
            ("75_to_84", "75 to 84"),
            ("85_or_over", "85 or over"),
        ),
    ),
    StandardQuestion(
        "about_sex",
        "What is your sex?",
        (("female", "Female"), ("male", "Male")),
        hint="A question about gender identity follows.",
    ),
    StandardQuestion(
        "about_gender_identity",
        "Is the gender you identify with the same as your sex registered at birth?",
        tuple(YES_NO),
    ),
    StandardQuestion(
        "about_ethnicity",
        "What is your ethnic group?",
        (
            ("asian_indian", "Asian or Asian British: Indian"),
            ("asian_pakistani", "Asian or Asian British: Pakistani"),
            ("asian_bangladeshi", "Asian or Asian British: Bangladeshi"),
            ("asian_chinese", "Asian or Asian British: Chinese"),
            ("asian_other", "Any other Asian background"),
            ("black_caribbean", "Black, Black British, Caribbean or African: Caribbean"),
            ("black_african", "Black, Black British, Caribbean or African: African"),
            ("black_other", "Any other Black, Black British or Caribbean background"),
            ("mixed_white_black_caribbean", "Mixed or multiple ethnic groups: White and Black Caribbean"),
            ("mixed_white_black_african", "Mixed or multiple ethnic groups: White and Black African"),
            ("mixed_white_asian", "Mixed or multiple ethnic groups: White and Asian"),
            ("mixed_other", "Any other Mixed or multiple ethnic background"),
            ("white_british", "White: English, Welsh, Scottish, Northern Irish or British"),
            ("white_irish", "White: Irish"),
            ("white_gypsy_irish_traveller", "White: Gypsy or Irish Traveller"),
            ("white_roma", "White: Roma"),
            ("white_other", "Any other White background"),
            ("arab", "Arab"),
            ("other_ethnic_group", "Any other ethnic group"),
        ),
        hint="Choose the one that best describes your ethnic group or background.",
    ),
    StandardQuestion(
        "about_disability",
        "Do you have any physical or mental health conditions or illnesses lasting or expected to last "
        "12 months or more?",
        tuple(YES_NO),
    ),
    StandardQuestion(
        "about_disability_impact",
        "Do any of your conditions or illnesses reduce your ability to carry out day-to-day activities?",
        (("yes_a_lot", "Yes, a lot"), ("yes_a_little", "Yes, a little"), ("not_at_all", "Not at all")),
        show_if=("about_disability", "yes"),
    ),
    StandardQuestion(
        "about_carer",
        "Do you look after, or give any help or support to, anyone because they have long-term physical or "
        "mental health conditions or illnesses, or problems related to old age?",
        (
            ("no", "No"),
            ("yes_9_hours_or_less", "Yes, 9 hours a week or less"),
            ("yes_10_to_19_hours", "Yes, 10 to 19 hours a week"),
            ("yes_20_to_34_hours", "Yes, 20 to 34 hours a week"),
            ("yes_35_to_49_hours", "Yes, 35 to 49 hours a week"),
            ("yes_50_or_more_hours", "Yes, 50 or more hours a week"),
        ),
        hint="Do not count anything you do as part of your paid work.",
    ),
    StandardQuestion(
        "about_religion",
        "What is your religion?",
        (
            ("no_religion", "No religion"),
            ("christian", "Christian"),
            ("buddhist", "Buddhist"),
            ("hindu", "Hindu"),
            ("jewish", "Jewish"),
            ("muslim", "Muslim"),
            ("sikh", "Sikh"),
            ("other_religion", "Any other religion"),
        ),
    ),
    StandardQuestion(
        "about_sexual_orientation",
        "Which of the following best describes your sexual orientation?",
        (
            ("straight", "Straight or heterosexual"),
            ("gay_or_lesbian", "Gay or lesbian"),
            ("bisexual", "Bisexual"),
            ("other_sexual_orientation", "Any other sexual orientation"),
        ),
    ),
    # Borough questions get their standard choices, "Prefer not to say" included, from Question.save().
    StandardQuestion("about_borough", "Which borough do you live in?", kind=Question.Kind.BOROUGH),
)
IDENTIFIERS = tuple(question.identifier for question in QUESTIONS)


def _about_you_section(survey: Survey) -> Section | None:
    """The section holding the standard questions, or else the survey's first "About you" section."""
    holding = Question.objects.filter(survey=survey, identifier__in=IDENTIFIERS).select_related("section").first()
    if holding:
        return holding.section
    return survey.sections.filter(is_about_you=True).first()


def has_about_you_section(survey: Survey) -> bool:
    return Question.objects.filter(survey=survey, identifier__in=IDENTIFIERS).exists()


@transaction.atomic
def add_about_you_section(survey: Survey) -> Section:
    """Add the standard optional "About you" section at the end of the survey, or complete it.

    Safe to call again: questions whose identifier the survey already has are left alone, so
    nothing is duplicated and editors' wording changes are kept.
    """
    # Two people pressing the button at once add the section once.
    Survey.objects.select_for_update().filter(pk=survey.pk).first()
    section = _about_you_section(survey)
    if section is None:
        last = survey.sections.aggregate(last=Max("order"))["last"]
        section = Section.objects.create(
            survey=survey,
            title=SECTION_TITLE,
            description=SECTION_DESCRIPTION.format(threshold=settings.SMALL_NUMBER_THRESHOLD),
            is_about_you=True,
            order=0 if last is None else last + 1,
        )
    existing = {q.identifier: q for q in Question.objects.filter(survey=survey).prefetch_related("choices")}
    last_order = section.questions.aggregate(last=Max("order"))["last"] or 0
    for definition in QUESTIONS:
        if definition.identifier in existing:
            continue
        last_order += 1
        condition = None
        if definition.show_if:
            trigger = existing.get(definition.show_if[0])
            choices = trigger.choices.all() if trigger else []
            condition = next((c for c in choices if c.value == definition.show_if[1]), None)
        question = Question.objects.create(
            section=section,
            identifier=definition.identifier,
            text=definition.text,
            hint=definition.hint,
            kind=definition.kind,
            required=False,
            order=last_order,
            show_if_choice=condition,
        )
        if definition.choices:
            Choice.objects.bulk_create(
                Choice(question=question, value=value, label=label, order=order)
                for order, (value, label) in enumerate([*definition.choices, PREFER_NOT_TO_SAY], start=1)
            )
        existing[definition.identifier] = Question.objects.prefetch_related("choices").get(pk=question.pk)
    return section
