"""Retention that really deletes: responses go from every table once their period ends, and only then."""

import datetime
import io

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from pytest_django.asserts import assertContains

from consultations.models import Outcome
from surveys.models import Answer, ErasureRecord, ExportRecord, Question, Response, SurveyDraft, Theme
from tests.factories import make_consultation, make_outcome, make_question, make_survey, publish_outcome, respond

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
K = Question.Kind


def closed_survey(partnership, title: str, *, closed_days_ago: int, retention_months: int = 12):
    now = timezone.now()
    closes = now - closed_days_ago * DAY
    consultation = make_consultation(partnership, title, opens_at=closes - 30 * DAY, closes_at=closes)
    survey = make_survey(consultation, retention_months=retention_months)
    views = survey.sections.create(title="Your views", order=1)
    make_question(views, "agree", K.AGREEMENT)
    make_question(views, "comment", K.LONG_TEXT, max_length=500)
    make_question(views, "postcode", K.POSTCODE)
    make_question(views, "email", K.EMAIL, email_purpose="to tell you what we heard")
    about = survey.sections.create(title="About you", order=2, is_about_you=True)
    make_question(about, "age", K.SINGLE_CHOICE, choices=["Under 50", "50 or over"])
    return survey


def fill(survey, count: int = 12, who: str = "Mrs Example") -> list[Response]:
    responses = [
        respond(
            survey,
            agree="agree",
            comment=f"Evening appointments please, from {who} {number}",
            postcode="SE10 9GB",
            email=f"{who.split()[-1].lower()}{number}@example.org",
            age="under_50",
        )
        for number in range(count)
    ]
    comment = survey.questions.get(identifier="comment")
    Theme.objects.create(question=comment, name="Evenings").answers.set(Answer.objects.filter(question=comment))
    return responses


def prune(command: str) -> str:
    out = io.StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


def tables_mentioning(text: str) -> list[str]:
    """Every table with a row whose text holds ``text`` (the whole row, cast to text, is searched)."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT 1 FROM {quoted} t WHERE t::text LIKE %s LIMIT 1", [f"%{text}%"])  # noqa: S608
            if cursor.fetchone():
                found.append(table)
    return found


def test_responses_past_retention_are_gone_from_every_table_and_nothing_else_is(greenwich, superuser):
    expired = closed_survey(greenwich, "Old plan", closed_days_ago=400)
    kept = closed_survey(greenwich, "Recent plan", closed_days_ago=30)
    old, recent = fill(expired), fill(kept, 3, who="Mr Kept")
    reference = old[0].reference
    # Staff read it, an admin history names it, and it was produced for a subject access request.
    ExportRecord.objects.create(user=superuser, survey=expired, kind="response", filters={"reference": reference})
    ExportRecord.objects.create(user=superuser, survey=expired, kind="subject_access", filters={"reference": reference})
    LogEntry.objects.log_actions(superuser.pk, [old[0]], ADDITION, change_message="Entered from paper")
    assert {"surveys_response", "surveys_exportrecord", "django_admin_log"} <= set(tables_mentioning(reference))

    prune("prune_responses")

    assert tables_mentioning(reference) == []
    assert tables_mentioning("Mrs Example") == []
    assert tables_mentioning("example0@example.org") == []
    assert "surveys_answer" in tables_mentioning("Mr Kept")
    assert not Response.objects.filter(survey=expired).exists()
    assert not Answer.objects.filter(question__survey=expired).exists()
    # The other survey, still within its period, is untouched.
    assert Response.objects.filter(survey=kept).count() == 3
    assert {r.reference for r in Response.objects.filter(survey=kept)} == {r.reference for r in recent}
    record = ErasureRecord.objects.get()
    assert (record.survey, record.how, record.responses) == (expired, "retention", 12)
    assert "12 months" in record.reason
    # The survey, its questions and its themes stay: the structure is not personal data.
    assert expired.questions.count() == 5 and Theme.objects.filter(question__survey=expired).exists()


def test_running_it_twice_is_safe_and_erases_nothing_more(greenwich):
    survey = closed_survey(greenwich, "Old plan", closed_days_ago=400)
    fill(survey)
    prune("prune_responses")
    assert "No responses have reached the end of their retention period." in prune("prune_responses")
    assert ErasureRecord.objects.count() == 1


def test_retention_counts_whole_months_from_the_close(greenwich):
    survey = closed_survey(greenwich, "Plan", closed_days_ago=85, retention_months=3)
    fill(survey, 2)
    prune("prune_responses")
    assert Response.objects.count() == 2  # three months not yet up
    survey.consultation.closes_at -= 10 * DAY
    survey.consultation.save()
    prune("prune_responses")
    assert Response.objects.count() == 0


def test_published_results_keep_their_figures_once_the_responses_are_erased(client, greenwich):
    survey = closed_survey(greenwich, "Old plan", closed_days_ago=400)
    fill(survey, 14)
    outcome = make_outcome(survey.consultation)
    outcome.key_questions.set(survey.questions.filter(identifier="agree"))
    publish_outcome(outcome)
    before = client.get(survey.consultation.get_absolute_url())
    assertContains(before, "We counted <strong>14</strong> responses")

    prune("prune_responses")

    assert not Response.objects.exists()
    after = client.get(survey.consultation.get_absolute_url())
    assertContains(after, "We counted <strong>14</strong> responses")
    assertContains(after, "Agree")
    # Saving the outcome again (an editor fixes a typo) keeps the figures from before.
    outcome.refresh_from_db()
    outcome.what_we_heard = "<p>Fixed a typo.</p>"
    publish_outcome(outcome)
    assertContains(client.get(survey.consultation.get_absolute_url()), "We counted <strong>14</strong> responses")


def test_an_outcome_published_before_figures_were_frozen_is_frozen_before_its_responses_go(client, greenwich):
    survey = closed_survey(greenwich, "Old plan", closed_days_ago=400)
    fill(survey, 11)
    make_outcome(survey.consultation, publication_status=Outcome.Status.PUBLISHED)  # no frozen figures
    prune("prune_responses")
    assert Outcome.objects.get().frozen_figures["responses"]["shown"] == 11
    assertContains(client.get(survey.consultation.get_absolute_url()), "We counted <strong>11</strong> responses")


def test_unsent_drafts_go_when_the_consultation_closes_and_after_the_days_kept(client, greenwich, settings):
    settings.SURVEY_ANSWERS_KEPT_DAYS = 7
    open_survey = make_survey(make_consultation(greenwich, "Open plan"))
    make_question(open_survey.sections.create(title="Views", order=1), "agree", K.AGREEMENT)
    closed = closed_survey(greenwich, "Closed plan", closed_days_ago=1)
    fresh = SurveyDraft.objects.create(survey=open_survey, token_hash="a" * 64, state={})
    stale = SurveyDraft.objects.create(survey=open_survey, token_hash="b" * 64, state={})
    SurveyDraft.objects.filter(pk=stale.pk).update(updated_at=timezone.now() - 8 * DAY)
    SurveyDraft.objects.create(survey=closed, token_hash="c" * 64, state={})

    prune("prune_survey_drafts")

    assert list(SurveyDraft.objects.all()) == [fresh]


def test_django_admin_log_entries_for_other_responses_stay(greenwich, superuser):
    survey = closed_survey(greenwich, "Old plan", closed_days_ago=400)
    kept = closed_survey(greenwich, "Recent plan", closed_days_ago=3)
    fill(survey, 1)
    [other] = fill(kept, 1)
    LogEntry.objects.log_actions(superuser.pk, [other], ADDITION, change_message="Entered from paper")
    prune("prune_responses")
    assert LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Response)).count() == 1
