import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from surveys import services
from surveys.models import Answer, ExportRecord, Question, Response, Theme
from surveys.reporting.counts import recount
from surveys.reporting.dashboard import build_dashboard
from surveys.reporting.exporters import EXPORTERS
from surveys.reporting.filters import ResponseFilter
from surveys.structure import read_structure
from surveys.synthetic import generate_responses
from tests.factories import export_file, make_consultation, make_editor, make_question, make_survey, respond
from website.roles import COMMS_LEAD, EQUALITY_DATA_EXPORTER

pytestmark = pytest.mark.django_db
K = Question.Kind


@pytest.fixture
def survey(greenwich):
    survey = make_survey(make_consultation(greenwich, "Winter plan"))
    views = survey.sections.create(title="Your views", order=1)
    make_question(views, "agree", K.AGREEMENT)
    make_question(views, "topics", K.MULTIPLE_CHOICE, allow_other=True, choices=["Access", "Cost"])
    make_question(views, "visits", K.NUMBER, min_value=0, max_value=100)
    make_question(views, "comment", K.LONG_TEXT, max_length=500)
    about = survey.sections.create(title="About you", order=2, is_about_you=True)
    make_question(about, "age", K.SINGLE_CHOICE, choices=["18 to 24", "25 to 34"])
    return survey


@pytest.fixture
def responses(survey):
    """15 counted responses with known answers, and one held for review."""
    for number in range(11):
        respond(
            survey, agree="agree", age="18_to_24", topics=["access"], visits=number, comment=f"Waiting times {number}"
        )
    respond(survey, agree="agree", age="25_to_34", topics=["access", "cost"], visits=50)
    for _ in range(2):
        respond(survey, channel="paper", agree="disagree", topics=["other"], topics__other="Parking")
    respond(survey, agree="disagree")
    respond(survey, held_because="honeypot", agree="strongly_agree")


@pytest.fixture
def comms_lead(greenwich):
    user = make_editor("carol", greenwich)
    user.groups.add(Group.objects.get(name=COMMS_LEAD))
    return user


def dashboard_for(survey, query=""):
    from django.http import QueryDict

    structure = read_structure(survey)
    questions = {q.pk: q for _, qs in structure for q in qs}
    return build_dashboard(survey, ResponseFilter.from_query(survey, QueryDict(query), questions), structure)


def choice_counts(dashboard, identifier):
    for section in dashboard.sections:
        for summary in section.questions:
            if summary.question.identifier == identifier:
                return {row.choice.value: str(row.count) for row in summary.choices}, summary
    raise KeyError(identifier)


def test_headline_counts_exclude_held_responses_and_split_by_channel(survey, responses):
    dashboard = dashboard_for(survey)
    assert dashboard.total.shown == 15
    assert [(label, count.shown) for label, count in dashboard.by_channel] == [("Online", 13), ("Paper form", 2)]
    assert sum(count.shown for _, count in dashboard.per_day) == 15


def test_choice_counts_and_percentages_are_counted_in_sql(survey, responses):
    counts, summary = choice_counts(dashboard_for(survey), "agree")
    assert counts["agree"] == "12" and counts["disagree"] == "3" and counts["strongly_agree"] == "0"
    assert summary.answered.shown == 15
    assert summary.choices[1].count.percent == 80.0
    topics, topics_summary = choice_counts(dashboard_for(survey), "topics")
    assert (topics["access"], topics["cost"], topics["other"]) == ("12", "1", "2")
    assert topics_summary.answered.shown == 14
    assert str(topics_summary.other_count) == "2"
    assert topics_summary.other_answers == []  # texts only when the view asks for row-level answers
    with_texts = build_dashboard(survey, ResponseFilter(survey=survey), other_texts=True)
    _, topics_summary = choice_counts(with_texts, "topics")
    assert [answer.text for answer in topics_summary.other_answers] == ["Parking", "Parking"]


def test_number_questions_have_count_mean_median_and_distribution(survey, responses):
    _, summary = choice_counts(dashboard_for(survey), "visits")
    stats = summary.numbers
    assert (stats.count.shown, stats.minimum, stats.maximum, stats.median) == (12, 0, 50, 5.5)
    assert stats.mean == pytest.approx((sum(range(11)) + 50) / 12)
    assert sum(count.shown for _, count in stats.buckets) == 12


def test_equality_answers_below_the_threshold_are_hidden_and_the_rest_rounded(survey, responses):
    counts, summary = choice_counts(dashboard_for(survey), "age")
    # 11 and 1: the 1 is hidden, and 11 (rounded to 10 or 15) cannot be subtracted from 12 to find it.
    assert counts["25_to_34"] == "fewer than 10"
    assert counts["18_to_24"] in {"10", "15"}
    assert str(summary.answered) in {"10", "15"}
    assert summary.choices[1].count.percent is None
    assert summary.protected and summary.choices[0].count.rounded


def test_filters_apply_to_every_figure(survey, responses):
    agree = survey.questions.get(identifier="agree")
    dashboard = dashboard_for(survey, f"answer={agree.pk}:disagree&channel=paper")
    assert dashboard.total.shown == 2
    counts, _ = choice_counts(dashboard, "topics")
    assert counts["other"] == "2" and counts["access"] == "0"


def test_answers_to_one_question_are_alternatives(survey, responses):
    agree = survey.questions.get(identifier="agree")
    dashboard = dashboard_for(survey, f"answer={agree.pk}:disagree&answer={agree.pk}:agree")
    assert dashboard.total.shown == 15


def test_filtering_on_an_equality_answer_suppresses_every_small_figure(survey, responses):
    age = survey.questions.get(identifier="age")
    dashboard = dashboard_for(survey, f"answer={age.pk}:25_to_34")
    assert str(dashboard.total) == "fewer than 10"
    counts, _ = choice_counts(dashboard, "agree")
    assert counts["agree"] == "fewer than 10"


def test_date_filter_uses_uk_dates(survey, responses):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Response.objects.filter(pk=Response.objects.order_by("pk").first().pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=1)
    )
    recount(survey)  # sent yesterday, behind the site's back: counted again
    assert dashboard_for(survey, f"to={yesterday.isoformat()}").total.shown == 1
    assert dashboard_for(survey, f"from={timezone.localdate().isoformat()}").total.shown == 14


def test_bad_filter_values_are_ignored_with_a_message(survey, responses):
    from django.http import QueryDict

    response_filter = ResponseFilter.from_query(survey, QueryDict("from=yesterday&answer=999:x&answer=abc"), {})
    assert len(response_filter.problems) == 3
    assert not response_filter.is_active


def test_theme_counts_follow_the_filters(survey, responses):
    comment = survey.questions.get(identifier="comment")
    theme = Theme.objects.create(question=comment, name="Waiting")
    theme.answers.set(Answer.objects.filter(question=comment)[:4])
    _, summary = choice_counts(dashboard_for(survey), "comment")
    assert [(t.name, str(n)) for t, n in summary.themes] == [("Waiting", "4")]


def test_comms_lead_sees_the_dashboard_with_tables_and_charts(client, comms_lead, survey, responses):
    client.force_login(comms_lead)
    response = client.get(f"/admin/dashboards/{survey.pk}/")
    assertContains(response, "Winter plan")
    assertContains(response, '<th scope="row">Agree</th><td class="num">12</td><td class="num">80.0%</td>', html=True)
    assertContains(response, "fewer than 10")
    assertContains(response, 'class="dash-bar__fill"')
    assertNotContains(response, "style=")


def test_filter_tags_are_removable_and_kept_in_the_url(client, comms_lead, survey, responses):
    agree = survey.questions.get(identifier="agree")
    client.force_login(comms_lead)
    response = client.get(f"/admin/dashboards/{survey.pk}/?answer={agree.pk}:agree&channel=online")
    assertContains(response, "“Agree”: Agree", html=False)
    assertContains(response, f'href="?answer={agree.pk}%3Aagree"')
    assertContains(response, f"summary.csv?channel=online&amp;answer={agree.pk}%3Aagree")


def test_editor_without_the_permission_cannot_reach_response_data(client, alice, survey, responses):
    client.force_login(alice)
    for path in [
        "",
        "summary.csv",
        "responses.csv",
        "codebook.csv",
        f"answers/{survey.questions.get(identifier='comment').pk}/",
    ]:
        assert client.get(f"/admin/dashboards/{survey.pk}/{path}").status_code == 403


def test_comms_lead_of_another_partnership_gets_not_found(client, lewisham, survey, responses):
    outsider = make_editor("dave", lewisham)
    outsider.groups.add(Group.objects.get(name=COMMS_LEAD))
    client.force_login(outsider)
    for path in ["", "summary.csv", "summary.xlsx", "responses.csv", "responses.xlsx", "codebook.csv"]:
        assert client.get(f"/admin/dashboards/{survey.pk}/{path}").status_code == 404


def test_signed_out_visitors_are_sent_to_the_login_page(client, survey):
    response = client.get(f"/admin/dashboards/{survey.pk}/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_free_text_search_highlights_matches_and_escapes_answers(client, comms_lead, survey, responses):
    respond(survey, comment="<script>alert(1)</script> waiting for weeks")
    comment = survey.questions.get(identifier="comment")
    client.force_login(comms_lead)
    response = client.get(f"/admin/dashboards/{survey.pk}/answers/{comment.pk}/?q=waiting")
    assertContains(response, "12 answers matching")
    assertContains(response, "&lt;script&gt;")
    assertContains(response, "<mark>waiting</mark>", html=False)


@pytest.mark.parametrize(
    "words, found",
    [
        ("walk-in", ["The walk-in centre saved me a day off work"]),
        ('"phone line"', ["Keep the phone line open later"]),
        ("phone -line", ["Phone appointments suit me"]),
        ("dentist", []),
    ],
)
def test_free_text_search_finds_only_answers_that_match_phrases_hyphens_and_negation(
    client, comms_lead, survey, words, found
):
    for text in [
        "The walk-in centre saved me a day off work",
        "Walking in the park helps",
        "Keep the phone line open later",
        "A line of people waited by the phone box",
        "Phone appointments suit me",
    ]:
        respond(survey, comment=text)
    comment = survey.questions.get(identifier="comment")
    client.force_login(comms_lead)
    page = client.get(f"/admin/dashboards/{survey.pk}/answers/{comment.pk}/", {"q": words})
    shown = [answer.text for answer in page.context["page"].object_list]
    assert shown == found


def test_staff_tag_answers_with_several_themes(client, comms_lead, survey, responses):
    comment = survey.questions.get(identifier="comment")
    url = f"/admin/dashboards/{survey.pk}/answers/{comment.pk}/"
    client.force_login(comms_lead)
    client.post(url, {"add_theme": "1", "new_theme": "Waiting times"})
    client.post(url, {"add_theme": "1", "new_theme": "Access"})
    waiting, access = Theme.objects.get(name="Waiting times"), Theme.objects.get(name="Access")
    answer = Answer.objects.filter(question=comment).first()
    client.post(url, {"answer": [answer.pk], f"themes_{answer.pk}": [waiting.pk, access.pk]})
    assert set(answer.themes.values_list("name", flat=True)) == {"Waiting times", "Access"}
    client.post(url, {"answer": [answer.pk], f"themes_{answer.pk}": [access.pk]})
    assert list(answer.themes.values_list("name", flat=True)) == ["Access"]


def test_empty_theme_name_is_refused_with_a_message(client, comms_lead, survey):
    comment = survey.questions.get(identifier="comment")
    client.force_login(comms_lead)
    response = client.post(f"/admin/dashboards/{survey.pk}/answers/{comment.pk}/", {"add_theme": "1"}, follow=True)
    assertContains(response, "Enter a name for the new theme")
    assert not Theme.objects.exists()


def test_dashboard_queries_do_not_grow_with_responses(client, comms_lead, survey, django_assert_max_num_queries):
    client.force_login(comms_lead)
    generate_responses(survey, 10)
    # session, user, permissions (2), survey, structure (3), totals, per day, choices, answered, sections,
    # numbers, themes, "other" counts and texts, navigation
    with django_assert_max_num_queries(22) as small:
        client.get(f"/admin/dashboards/{survey.pk}/")
    generate_responses(survey, 1000)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(f"/admin/dashboards/{survey.pk}/")
    assertContains(response, "1,010")


def test_survey_list_links_comms_leads_to_the_dashboard_but_not_editors(client, comms_lead, alice, survey):
    client.force_login(comms_lead)
    assertContains(client.get("/admin/surveys/survey/"), f'href="/admin/dashboards/{survey.pk}/"')
    client.force_login(alice)
    assertNotContains(client.get("/admin/surveys/survey/"), "/admin/dashboards/")


def test_themes_of_another_question_or_answers_to_another_question_are_never_attached(survey, responses):
    comment, topics = survey.questions.get(identifier="comment"), survey.questions.get(identifier="topics")
    waiting, _ = services.add_theme(question=comment, name="Waiting times")
    stranger, _ = services.add_theme(question=topics, name="Not for comments")
    mine = Answer.objects.filter(question=comment).first()
    other = Answer.objects.filter(question=topics).first()
    services.set_answer_themes(
        question=comment, themes_by_answer={mine.pk: [waiting.pk, stranger.pk, waiting.pk], other.pk: [waiting.pk]}
    )
    assert list(mine.themes.all()) == [waiting]
    assert not other.themes.exists()


def test_a_theme_name_over_100_characters_is_refused_and_nothing_is_added(client, comms_lead, survey):
    comment = survey.questions.get(identifier="comment")
    client.force_login(comms_lead)
    url = f"/admin/dashboards/{survey.pk}/answers/{comment.pk}/"
    response = client.post(url, {"add_theme": "1", "new_theme": "x" * 101}, follow=True)
    assertContains(response, "A theme name must be 100 characters or fewer")
    assert not Theme.objects.exists()


def test_an_export_that_is_not_in_the_registry_is_not_found_and_not_recorded(client, comms_lead, survey):
    client.force_login(comms_lead)
    for name in ["summary.pdf", "responses.json", "everything.csv"]:
        assert client.get(f"/admin/dashboards/{survey.pk}/{name}").status_code == 404
    assert not ExportRecord.objects.exists()


def test_every_registered_export_is_recorded_with_its_own_kind(client, comms_lead, survey, responses):
    client.force_login(comms_lead)
    for identifier in EXPORTERS:
        assert export_file(client, survey, identifier), identifier
    assert list(ExportRecord.objects.order_by("pk").values_list("kind", flat=True)) == [
        exporter.record_kind for exporter in EXPORTERS.values()
    ]


# "About you" filters: figures yes, rows only for equality data exporters


def age_filter(survey, value="18_to_24") -> str:
    return f"answer={survey.questions.get(identifier='age').pk}:{value}"


@pytest.fixture
def equality_exporter(comms_lead):
    comms_lead.groups.add(Group.objects.get(name=EQUALITY_DATA_EXPORTER))
    return comms_lead


def test_reading_free_text_under_an_about_you_filter_is_refused_with_the_reason(client, comms_lead, survey, responses):
    comment = survey.questions.get(identifier="comment")
    client.force_login(comms_lead)
    page = client.get(f"/admin/dashboards/{survey.pk}/answers/{comment.pk}/?{age_filter(survey)}&channel=online")
    assert page.status_code == 403
    assertContains(page, "Individual answers are not available with an “About you” filter", status_code=403)
    assertContains(page, "Equality data exporter", status_code=403)
    assertContains(page, "“Age”: 18 to 24", status_code=403)
    assertNotContains(page, "Waiting times", status_code=403)
    # The way out keeps the other filters and drops only the About-you one.
    assertContains(page, f'href="/admin/dashboards/{survey.pk}/answers/{comment.pk}/?channel=online"', status_code=403)
    assert not ExportRecord.objects.exists()


def test_tagging_answers_under_an_about_you_filter_is_refused_too(client, comms_lead, survey, responses):
    comment = survey.questions.get(identifier="comment")
    client.force_login(comms_lead)
    url = f"/admin/dashboards/{survey.pk}/answers/{comment.pk}/?{age_filter(survey)}"
    assert client.post(url, {"add_theme": "1", "new_theme": "Sneaky"}).status_code == 403
    assert not Theme.objects.exists()


@pytest.mark.parametrize("export", ["responses.csv", "responses.xlsx", "codebook.csv"])
def test_row_level_exports_under_an_about_you_filter_are_refused(client, comms_lead, survey, responses, export):
    client.force_login(comms_lead)
    page = client.get(f"/admin/dashboards/{survey.pk}/{export}?{age_filter(survey)}")
    assert page.status_code == 403
    assertContains(page, "the responses export is only available to people in the", status_code=403)
    assert not ExportRecord.objects.exists()


def test_figures_and_the_summary_still_work_under_an_about_you_filter(client, comms_lead, survey, responses):
    client.force_login(comms_lead)
    page = client.get(f"/admin/dashboards/{survey.pk}/?{age_filter(survey)}")
    assertContains(page, "every figure describes that group")
    assertContains(page, "Individual answers and the responses export are not available with this filter")
    assertNotContains(page, "Read, search and tag the answers")
    assertNotContains(page, "Parking")  # the "Other" texts
    summary = export_file(client, survey, "summary.csv", age_filter(survey))
    assert "rounded to the nearest 5" in summary.decode("utf-8-sig")


def test_an_equality_data_exporter_may_read_rows_under_an_about_you_filter(
    client, equality_exporter, survey, responses
):
    comment = survey.questions.get(identifier="comment")
    client.force_login(equality_exporter)
    page = client.get(f"/admin/dashboards/{survey.pk}/answers/{comment.pk}/?{age_filter(survey)}")
    assertContains(page, "Waiting times 0")
    record = ExportRecord.objects.get()
    assert (record.kind, record.user, record.includes_equality_data) == ("free_text", equality_exporter, True)
    assert record.filters["question"] == "comment"
    export = export_file(client, survey, "responses.csv", age_filter(survey))
    assert "18 to 24" in export.decode("utf-8-sig")


def test_numbers_other_answers_and_themes_under_an_about_you_filter_are_protected(survey, responses):
    comment = survey.questions.get(identifier="comment")
    Theme.objects.create(question=comment, name="Waiting").answers.set(Answer.objects.filter(question=comment))
    dashboard = dashboard_for(survey, age_filter(survey, "25_to_34"))  # one response
    assert dashboard.protect_all
    _, visits = choice_counts(dashboard, "visits")
    assert visits.numbers.withheld and visits.numbers.minimum is None and visits.numbers.buckets == []
    assert str(visits.numbers.count) == "fewer than 10"
    _, topics = choice_counts(dashboard, "topics")
    assert str(topics.other_count) == "fewer than 10"
    _, comments = choice_counts(dashboard, "comment")
    assert [str(figure) for _, figure in comments.themes] == ["fewer than 10"]
    assert dashboard.per_day == []
    assert all(str(figure) == "fewer than 10" for _, figure in dashboard.by_channel)


def test_reading_other_answers_and_single_responses_is_recorded(client, comms_lead, survey, responses):
    client.force_login(comms_lead)
    assertContains(client.get(f"/admin/dashboards/{survey.pk}/"), "Parking")
    other = ExportRecord.objects.get(kind=ExportRecord.Kind.OTHER_ANSWERS)
    assert (other.user, other.survey, other.rows) == (comms_lead, survey, 2)
    response = Response.objects.filter(status=Response.Status.ACCEPTED).first()
    assert client.get(f"/admin/surveys/response/{response.pk}/change/").status_code == 200
    read = ExportRecord.objects.get(kind=ExportRecord.Kind.RESPONSE)
    assert read.filters == {"reference": response.reference}
