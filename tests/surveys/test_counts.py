"""The stored dashboard counts always equal a recount from the answers, after every kind of change."""

import io

import pytest
from django.core.management import call_command

from surveys import services
from surveys.models import ErasureRecord, Question, Response
from surveys.reporting.counts import count_keys, stored_counts
from surveys.synthetic import generate_responses
from tests.factories import make_consultation, make_question, make_survey, respond

pytestmark = pytest.mark.django_db
K = Question.Kind


@pytest.fixture
def survey(greenwich):
    survey = make_survey(make_consultation(greenwich, "Winter plan"))
    views = survey.sections.create(title="Your views", order=1)
    make_question(views, "agree", K.AGREEMENT, required=True)
    make_question(views, "topics", K.MULTIPLE_CHOICE, allow_other=True, choices=["Access", "Cost"])
    make_question(views, "visits", K.NUMBER, min_value=0, max_value=20)
    about = survey.sections.create(title="About you", order=2, is_about_you=True)
    make_question(about, "age", K.SINGLE_CHOICE, choices=["Under 50", "50 or over"])
    return survey


def recounted(survey) -> dict:
    return count_keys("SELECT id FROM surveys_response WHERE survey_id = %s AND status = 'accepted'", [survey.pk])


def assert_in_step(survey) -> None:
    assert stored_counts(survey) == recounted(survey)


def test_counts_follow_every_kind_of_change(survey, superuser):
    assert_in_step(survey)
    respond(survey, agree="agree", topics=["access", "other"], topics__other="Parking", visits=3, age="under_50")
    respond(survey, agree="disagree", topics=["cost"], visits=7)
    assert stored_counts(survey)["total"].n == 2
    assert_in_step(survey)

    held = respond(survey, held_because="answered too fast", agree="agree", visits=1)
    assert stored_counts(survey)["total"].n == 2  # held: not counted
    assert_in_step(survey)
    services.review_responses(Response.objects.filter(pk=held.pk), accept=True, reviewer=superuser)
    assert stored_counts(survey)["total"].n == 3  # approved: now counted
    assert_in_step(survey)

    rejected = respond(survey, held_because="honeypot", agree="disagree")
    services.review_responses(Response.objects.filter(pk=rejected.pk), accept=False, reviewer=superuser)
    assert_in_step(survey)

    services.submit_response(survey=survey, answers={"agree": "agree", "visits": 9}, channel="paper")  # paper entry
    assert stored_counts(survey)["channel:paper"].n == 1
    assert_in_step(survey)

    services.withdraw_response(reference=Response.objects.filter(status="accepted").first().reference)
    assert ErasureRecord.objects.filter(how="withdrawn").exists()
    assert_in_step(survey)

    services.erase_responses(survey=survey, responses=Response.objects.all(), how="staff", reason="Test")
    assert stored_counts(survey) == {}
    assert_in_step(survey)


def test_generated_responses_are_counted_and_have_unique_references(survey):
    assert generate_responses(survey, 2_000) == 2_000
    assert Response.objects.values("reference").distinct().count() == 2_000
    assert_in_step(survey)


def test_recount_dashboards_repairs_drift_and_says_so(survey):
    respond(survey, agree="agree", visits=2)
    survey.counts.filter(key="total").update(n=999)
    out = io.StringIO()
    call_command("recount_dashboards", stdout=out)
    assert "Repaired the counts of survey" in out.getvalue()
    assert "1 had drifted" in out.getvalue()
    assert_in_step(survey)
    out = io.StringIO()
    call_command("recount_dashboards", stdout=out)
    assert "0 had drifted" in out.getvalue()


def test_the_unfiltered_dashboard_reads_the_stored_counts_in_a_fixed_number_of_queries(
    survey, django_assert_num_queries
):
    from surveys.reporting.dashboard import build_dashboard
    from surveys.reporting.filters import ResponseFilter
    from surveys.structure import read_structure

    generate_responses(survey, 50)
    structure = read_structure(survey)
    # a savepoint and its release; the stored counts summed by key, and the totals by channel and day
    # (the structure was read before)
    with django_assert_num_queries(4):
        small = build_dashboard(survey, ResponseFilter(survey=survey), structure)
    generate_responses(survey, 2_000)
    with django_assert_num_queries(4):
        large = build_dashboard(survey, ResponseFilter(survey=survey), structure)
    assert (small.total.shown, large.total.shown) == (50, 2_050)


def test_responses_cannot_be_deleted_in_admin_only_erased_so_the_counts_stay_true(survey, client, superuser):
    response = respond(survey, agree="agree", visits=2)
    client.force_login(superuser)
    page = client.get(f"/admin/surveys/response/{response.pk}/delete/")
    assert page.status_code == 403
    changelist = client.get("/admin/surveys/response/")
    assert b'value="delete_selected"' not in changelist.content
    assert Response.objects.filter(pk=response.pk).exists()
    assert_in_step(survey)


def dashboard_counts(survey, query: str) -> dict:
    """The counts a dashboard under ``query`` works from, and a plain recount of the same responses."""
    from django.db import transaction
    from django.http import QueryDict

    from surveys.reporting.dashboard import _counts_in_view
    from surveys.reporting.filters import ResponseFilter
    from surveys.structure import read_structure

    response_filter = ResponseFilter.from_query(survey, QueryDict(query), read_structure(survey).questions)
    with transaction.atomic():
        counts, _, _ = _counts_in_view(survey, response_filter)
    sql, params = response_filter.responses().order_by().values("id").query.sql_with_params()
    return counts, count_keys(sql, params)


def test_channel_and_date_filters_add_up_stored_counts_and_match_a_recount(survey, django_assert_max_num_queries):
    import datetime

    from django.utils import timezone

    survey.consultation.opens_at = timezone.now() - datetime.timedelta(days=40)
    survey.consultation.save()
    generate_responses(survey, 300)  # sent over the 40 days
    today = timezone.localdate()
    for query in ["channel=paper", "channel=online&channel=email", f"from={today - datetime.timedelta(days=20)}",
                  f"to={today - datetime.timedelta(days=10)}&channel=online"]:  # fmt: skip
        stored, recounted = dashboard_counts(survey, query)
        assert stored == recounted, query
        assert 0 < stored["total"].n < 300, query


def test_a_broad_answer_filter_counts_the_responses_left_out_and_gets_the_same_figures(survey):
    generate_responses(survey, 300)
    agree = survey.questions.get(identifier="agree")
    broad = "&".join(f"answer={agree.pk}:{value}" for value in ["agree", "strongly_agree", "neither", "disagree"])
    narrow = f"answer={agree.pk}:strongly_disagree"
    for query in [broad, narrow, broad + "&channel=online"]:
        counts, recounted = dashboard_counts(survey, query)
        assert counts == recounted, query


def test_counting_that_takes_too_long_is_stopped_and_says_so(survey):
    from surveys.reporting.counts import CountingTooSlow

    respond(survey, agree="agree", visits=1)
    slow = "SELECT r.id FROM surveys_response r CROSS JOIN pg_sleep(1.5)"
    with pytest.raises(CountingTooSlow):
        count_keys(slow, seconds=1)
    assert count_keys(slow, seconds=5)["total"].n == 1  # the transaction goes on, the time limit gone


def test_a_dashboard_too_broad_to_count_while_waiting_offers_the_summary_export(client, survey, greenwich, monkeypatch):
    from django.contrib.auth.models import Group

    from surveys.reporting import dashboard
    from surveys.reporting.counts import CountingTooSlow
    from tests.factories import make_editor
    from website.roles import COMMS_LEAD

    def too_slow(*args, **kwargs):
        raise CountingTooSlow

    respond(survey, agree="agree", visits=1)
    monkeypatch.setattr(dashboard, "count_keys", too_slow)
    carol = make_editor("carol", greenwich)
    carol.groups.add(Group.objects.get(name=COMMS_LEAD))
    client.force_login(carol)
    agree = survey.questions.get(identifier="agree")
    page = client.get(f"/admin/dashboards/{survey.pk}/?answer={agree.pk}:agree")
    assert page.status_code == 200
    content = page.content.decode()
    assert "Too many responses to count while you wait" in content
    assert f'action="/admin/dashboards/{survey.pk}/summary.csv?answer={agree.pk}%3Aagree"' in content
    # Channel and date filters never need counting on the fly.
    assert "Responses held for review" in client.get(f"/admin/dashboards/{survey.pk}/?channel=paper").content.decode()
