"""The one visibility rule: ``.public()`` in SQL and ``.is_public`` on an object always agree."""

import datetime
import itertools

import pytest
from django.utils import timezone

from consultations.models import Consultation, Outcome
from news.models import NewsItem
from partnerships.models import Partnership, Plan, PlanDocument
from surveys.models import Survey
from tests.factories import (
    make_consultation,
    make_document,
    make_item,
    make_outcome,
    make_partnership,
    make_plan,
    make_survey,
)

DRAFT, PUBLISHED = Partnership.Status.DRAFT, Partnership.Status.PUBLISHED
# Each way something can stand: published now, a draft, or published from tomorrow.
STATES = [
    {"publication_status": PUBLISHED},
    {"publication_status": DRAFT},
    {"publication_status": PUBLISHED, "publish_at": timezone.now() + datetime.timedelta(days=1)},
]


def agree(model, queryset=None) -> set[int]:
    """The public ids by SQL, after checking each object's own verdict gives the same set."""
    by_sql = set(model.objects.public().values_list("pk", flat=True))
    by_object = {obj.pk for obj in (queryset if queryset is not None else model.objects.all()) if obj.is_public}
    assert by_sql == by_object
    return by_sql


@pytest.mark.django_db
def test_plans_documents_consultations_surveys_and_outcomes_are_public_only_when_everything_above_is():
    public = {}
    for number, (partnership_state, child_state) in enumerate(itertools.product(STATES, STATES)):
        partnership = make_partnership(slug=f"p{number}", **partnership_state)
        plan = make_plan(partnership, f"Plan {number}", **child_state)
        make_document(plan)
        consultation = make_consultation(
            partnership,
            f"Consultation {number}",
            opens_at=timezone.now() - datetime.timedelta(days=40),
            closes_at=timezone.now() - datetime.timedelta(days=1),
            **child_state,
        )
        make_survey(consultation)
        make_outcome(consultation, publication_status=PUBLISHED)
        public[number] = partnership_state == STATES[0] and child_state == STATES[0]

    expected_plans = {plan.pk for plan in Plan.objects.all() if public[int(plan.title.split()[-1])]}
    assert agree(Plan) == expected_plans
    assert len(expected_plans) == 1
    assert agree(PlanDocument) == set(PlanDocument.objects.filter(plan__in=expected_plans).values_list("pk", flat=True))
    public_consultations = agree(Consultation)
    assert len(public_consultations) == 1
    assert agree(Survey) == set(
        Survey.objects.filter(consultation__in=public_consultations).values_list("pk", flat=True)
    )
    assert agree(Outcome) == set(
        Outcome.objects.filter(consultation__in=public_consultations).values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_an_outcome_in_draft_is_not_public_even_on_a_public_consultation(greenwich):
    consultation = make_consultation(greenwich, closes_at=timezone.now() - datetime.timedelta(days=1))
    make_outcome(consultation, publication_status=DRAFT)
    assert agree(Outcome) == set()


@pytest.mark.django_db
def test_shared_news_is_public_while_any_of_its_partnerships_is(greenwich, lewisham):
    draft = make_partnership("Draft partnership", slug="draft", publication_status=DRAFT)
    both = make_item(greenwich, lewisham, title="Both public")
    one = make_item(greenwich, draft, title="One public")
    none = make_item(draft, title="Only a draft partnership")
    make_item(title="No partnership at all")
    unpublished = make_item(greenwich, title="Not yet", publication_status=DRAFT)

    public = agree(NewsItem, NewsItem.objects.prefetch_related("partnerships"))
    assert public == {both.pk, one.pk}
    assert none.pk not in public and unpublished.pk not in public
    # Shared with two public partnerships, the item is still listed once.
    assert NewsItem.objects.public().count() == 2
