"""Liveness and readiness checks, and what residents see when the database cannot be reached."""

import re

import pytest
from django.db import OperationalError, connection
from django.test import Client
from pytest_django.asserts import assertContains

from surveys import services
from surveys.models import Answer, Response, SurveyDraft
from tests.factories import make_consultation, make_question, make_survey
from website import health

pytestmark = pytest.mark.django_db


def database_down(execute, sql, params, many, context):
    raise OperationalError('connection failed: connection to server at "127.0.0.1", port 5432 failed')


@pytest.fixture
def resident():
    """A browser that gets the pages people get when something fails, not the test's exception."""
    return Client(raise_request_exception=False)


@pytest.fixture
def survey(greenwich):
    consultation = make_consultation(greenwich, "Winter plan")
    survey = make_survey(consultation)
    views = survey.sections.create(title="Your views", order=1)
    make_question(views, "agree", "agreement", required=True, text="The plan is right")
    make_question(views, "why", "long_text", text="Why?")
    return survey


def survey_url(survey, page: str) -> str:
    consultation = survey.consultation
    return f"/{consultation.partnership.slug}/consultations/{consultation.slug}/survey/{page}"


def test_liveness_needs_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0), connection.execute_wrapper(database_down):
        answer = client.get("/healthz")
    assert (answer.status_code, answer.content) == (200, b"ok\n")


def test_readiness_asks_the_database_and_the_migrations(client, monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)
    ready = client.get("/readyz")
    assert (ready.status_code, ready.content, ready["Cache-Control"]) == (200, b"ready\n", "no-store")

    with connection.execute_wrapper(database_down):
        down = client.get("/readyz")
    assert (down.status_code, down.content, down["Retry-After"]) == (503, b"not ready: database unavailable\n", "10")

    monkeypatch.setattr(health, "_migrations_applied", False)
    monkeypatch.setattr(health.MigrationExecutor, "migration_plan", lambda self, targets: [("surveys", "9999")])
    behind = client.get("/readyz")
    assert (behind.status_code, behind.content) == (503, b"not ready: migrations not applied\n")


def test_a_page_sent_while_the_database_is_down_comes_back_with_every_answer_typed(resident, survey):
    resident.get(survey_url(survey, "page-1/"))
    drafts = list(SurveyDraft.objects.values())
    typed = {"agree": "agree", "why": 'More "evening" clinics & <weekend> ones'}
    with connection.execute_wrapper(database_down):
        page = resident.post(survey_url(survey, "page-1/"), typed)
    assert page.status_code == 503
    assert page["Retry-After"] == "10" and page["Cache-Control"] == "no-store"
    assertContains(page, "Sorry, the service is not available at the moment", status_code=503)
    assertContains(page, "Nothing has been stored, and your answers are kept on this page", status_code=503)
    html = page.content.decode()
    assert f'action="{survey_url(survey, "page-1/")}"' in html
    assert '<input type="hidden" name="agree" value="agree">' in html
    assert 'value="More &quot;evening&quot; clinics &amp; &lt;weekend&gt; ones"' in html  # kept, and escaped
    assert list(SurveyDraft.objects.values()) == drafts  # nothing half-saved

    # Once the database is back, "Send again" posts the same fields and the survey goes on.
    resent = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html))
    resent["why"] = typed["why"]
    assert resent.keys() == {"agree", "why"}
    assert resident.post(survey_url(survey, "page-1/"), resent).status_code == 302


def test_a_failure_on_the_last_write_stores_nothing_and_sending_again_stores_one(resident, survey, monkeypatch):
    resident.get(survey_url(survey, "page-1/"))
    resident.post(survey_url(survey, "page-1/"), {"agree": "agree", "why": "Evening clinics"})
    check = resident.get(survey_url(survey, "check-your-answers/"))
    token = re.search(r'name="submission_token" value="([^"]+)"', check.content.decode()).group(1)

    def fails_last(*args, **kwargs):  # the last statement of the transaction that stores a response
        raise OperationalError("server closed the connection unexpectedly")

    with monkeypatch.context() as patched:
        patched.setattr(services.counts, "add_responses", fails_last)
        failed = resident.post(survey_url(survey, "check-your-answers/"), {"submission_token": token})
    assert failed.status_code == 503
    assertContains(failed, f'<input type="hidden" name="submission_token" value="{token}">', status_code=503)
    assert (Response.objects.count(), Answer.objects.count()) == (0, 0)

    sent = resident.post(survey_url(survey, "check-your-answers/"), {"submission_token": token})
    assert sent.status_code == 302 and "/sent/" in sent["Location"]
    again = resident.post(survey_url(survey, "check-your-answers/"), {"submission_token": token})
    assert again["Location"] == sent["Location"]
    assert (Response.objects.count(), Answer.objects.count()) == (1, 2)


def test_a_page_asked_for_while_the_database_is_down_says_to_try_again(resident, survey, caplog):
    with connection.execute_wrapper(database_down):
        page = resident.get(survey.consultation.get_absolute_url())
    assertContains(page, "Try again in a minute", status_code=503)
    # One warning line for the operators, no error (which would email the admins every time).
    assert [(record.levelname, record.getMessage()) for record in caplog.records if record.levelno >= 30] == [
        ("WARNING", f"Database unavailable: GET {survey.consultation.get_absolute_url()}: connection failed: "
                    'connection to server at "127.0.0.1", port 5432 failed'),
    ]  # fmt: skip
    assert 'method="post"' not in page.content.decode()


def test_other_errors_are_still_the_500_page(resident, greenwich, monkeypatch):
    from website import views

    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(views, "render", broken)
    page = resident.get("/greenwich/")
    assertContains(page, "Sorry, there is a problem with the service", status_code=500)
