"""Every question kind has one entry in the registry, and the model's sets come from it."""

import pytest
from django import forms

from surveys.kinds import CHOICE_KINDS, KINDS, STANDARD_CHOICE_KINDS, Kind, Summary, kind_of
from surveys.models import Question


def test_every_kind_has_its_behaviour_in_the_registry():
    assert set(KINDS) == set(Kind.values)
    assert Question.Kind is Kind


def test_choice_kinds_are_the_registry_entries_that_store_choices():
    assert {
        Kind.SINGLE_CHOICE,
        Kind.MULTIPLE_CHOICE,
        Kind.AGREEMENT,
        Kind.RATING,
        Kind.YES_NO,
        Kind.BOROUGH,
    } == CHOICE_KINDS
    assert {Kind.AGREEMENT, Kind.RATING, Kind.YES_NO, Kind.BOROUGH} == STANDARD_CHOICE_KINDS
    assert all(KINDS[kind].summary == Summary.CHOICES for kind in CHOICE_KINDS)


def test_a_rating_offers_one_to_its_scale_and_borough_offers_every_borough_and_two_ways_out():
    rating = Question(kind=Kind.RATING, rating_scale=4)
    assert kind_of(rating).standard_choices(rating) == [("1", "1"), ("2", "2"), ("3", "3"), ("4", "4")]
    borough = Question(kind=Kind.BOROUGH)
    values = [value for value, _ in kind_of(borough).standard_choices(borough)]
    assert values[:6] == ["bexley", "bromley", "greenwich", "lambeth", "lewisham", "southwark"]
    assert values[6:] == ["another_borough", "prefer_not_to_say"]


def test_an_email_question_is_asked_with_a_consent_tick_and_is_never_required():
    question = Question(kind=Kind.EMAIL, identifier="email", text="Your email", email_purpose="to tell you the results")
    fields = kind_of(question).form_fields(question)
    assert list(fields) == ["email", "email__consent"]
    assert not fields["email"].required
    assert isinstance(fields["email__consent"], forms.BooleanField)


def test_numbers_and_dates_are_stored_in_their_own_columns():
    number, date = Question(kind=Kind.NUMBER), Question(kind=Kind.DATE)
    assert kind_of(number).answer_values(number, "12") == [{"number": 12}]
    assert kind_of(date).answer_values(date, "2026-03-01")[0]["date"].isoformat() == "2026-03-01"


@pytest.mark.parametrize(
    "purpose, agreed",
    [
        (
            "to invite you to help develop the details of the plan",
            "to invite me to help develop the details of the plan",
        ),
        ("to tell you what we heard", "to tell me what we heard"),
        ("to update you on your feedback", "to update me on my feedback"),
        ("to send the results to You", "to send the results to me"),
        ("to share youth services news", "to share youth services news"),  # whole words only
    ],
)
def test_the_consent_tick_box_says_the_purpose_in_the_residents_own_words(purpose, agreed):
    from surveys.kinds import in_my_words

    assert in_my_words(purpose) == agreed
