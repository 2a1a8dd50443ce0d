import csv
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group

from surveys.models import ExportRecord, Question
from surveys.reporting.exporters import neutralise
from surveys.services import submit_response
from surveys.synthetic import generate_responses
from tests.factories import export_file, make_consultation, make_editor, make_question, make_survey
from website.roles import COMMS_LEAD, EQUALITY_DATA_EXPORTER

pytestmark = pytest.mark.django_db
K = Question.Kind
TRICKY = 'Café “quoted”, with "quotes", commas,\nnew lines and emoji 😊'


@pytest.fixture
def survey(greenwich):
    survey = make_survey(make_consultation(greenwich, "Winter plan"))
    views = survey.sections.create(title="Your views", order=1)
    make_question(views, "agree", K.AGREEMENT)
    make_question(views, "topics", K.MULTIPLE_CHOICE, allow_other=True, choices=["Access", "Cost"])
    make_question(views, "visits", K.NUMBER, min_value=-5, max_value=100)
    make_question(views, "comment", K.LONG_TEXT, max_length=500)
    about = survey.sections.create(title="About you", order=2, is_about_you=True)
    make_question(about, "age", K.SINGLE_CHOICE, choices=["18 to 24", "25 to 34"])
    return survey


@pytest.fixture
def responses(survey):
    first, _ = submit_response(
        survey=survey,
        answers={"agree": "agree", "topics": ["access", "other"], "topics__other": "=HYPERLINK(evil)",
                 "visits": -3, "comment": TRICKY, "age": "18_to_24"},
    )  # fmt: skip
    second, _ = submit_response(
        survey=survey, answers={"agree": "disagree", "comment": "@cmd|' /C calc'!A0"}, channel="paper"
    )
    return first, second


@pytest.fixture
def comms_lead(greenwich):
    user = make_editor("carol", greenwich)
    user.groups.add(Group.objects.get(name=COMMS_LEAD))
    return user


def read_csv(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_neutralise_prefixes_every_formula_start():
    for dangerous in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]:
        assert neutralise(dangerous) == "'" + dangerous
    assert neutralise("plain") == "plain" and neutralise(-1) == -1


def test_responses_csv_has_one_column_per_question_and_option(client, comms_lead, survey, responses):
    client.force_login(comms_lead)
    rows = read_csv(export_file(client, survey, "responses.csv"))
    header, first, second = rows
    assert header == ["reference", "submitted_at", "channel", "agree", "topics__access", "topics__cost",
                      "topics__other", "topics__other_text", "visits", "comment"]  # fmt: skip
    assert first[0] == responses[0].reference
    assert first[2:] == ["online", "Agree", "1", "0", "1", "'=HYPERLINK(evil)", "-3", TRICKY]
    assert second[2:] == ["paper", "Disagree", "", "", "", "", "", "'@cmd|' /C calc'!A0"]


def test_equality_answers_are_exported_only_with_the_separate_permission(client, comms_lead, survey, responses):
    client.force_login(comms_lead)
    assert "age" not in read_csv(export_file(client, survey, "responses.csv"))[0]
    comms_lead.groups.add(Group.objects.get(name=EQUALITY_DATA_EXPORTER))
    rows = read_csv(export_file(client, survey, "responses.csv"))
    assert rows[0][-1] == "age" and rows[1][-1] == "18 to 24"
    assert ExportRecord.objects.filter(includes_equality_data=True).count() == 1


def test_responses_export_respects_the_filters(client, comms_lead, survey, responses):
    client.force_login(comms_lead)
    rows = read_csv(export_file(client, survey, "responses.csv", "channel=paper"))
    assert [row[0] for row in rows[1:]] == [responses[1].reference]


def test_xlsx_export_matches_cell_by_cell_and_has_a_codebook(client, comms_lead, survey, responses):
    client.force_login(comms_lead)
    workbook = openpyxl.load_workbook(io.BytesIO(export_file(client, survey, "responses.xlsx")))
    sheet = workbook["Responses"]
    first = [cell.value for cell in sheet[2]]
    assert first[2:] == ["online", "Agree", 1, 0, 1, "'=HYPERLINK(evil)", -3, TRICKY]
    codebook = {row[0]: row for row in workbook["Codebook"].iter_rows(values_only=True) if row and row[0]}
    assert (
        codebook["agree"][3]
        == "Strongly agree; Agree; Neither agree nor disagree; Disagree; Strongly disagree; Don't know"
    )
    assert codebook["topics__cost"][1] == "Topics: Cost"


def test_csv_codebook_describes_every_column(client, comms_lead, survey, responses):
    client.force_login(comms_lead)
    rows = read_csv(export_file(client, survey, "codebook.csv", "channel=online"))
    assert rows[2] == ["Filters", "Channel: Online"]
    columns = [row[0] for row in rows[5:]]
    assert columns[:3] == ["reference", "submitted_at", "channel"] and "topics__other_text" in columns


def test_summary_export_has_a_header_counts_and_suppression(client, comms_lead, survey, responses):
    client.force_login(comms_lead)
    rows = read_csv(export_file(client, survey, "summary.csv"))
    assert rows[0] == ["Survey", "Winter plan"]
    assert rows[1][0] == "Exported at (UK time)"
    assert rows[2] == ["Filters", "None (all responses)"]
    assert ["Your views", "Agree", "Agree", "1", "50.0"] in rows
    assert ["About you", "Age", "18 to 24", "fewer than 10", ""] in rows
    workbook = openpyxl.load_workbook(io.BytesIO(export_file(client, survey, "summary.xlsx")))
    assert workbook["Summary"]["A1"].value == "Survey"


def test_every_export_is_recorded(client, comms_lead, survey, responses):
    client.force_login(comms_lead)
    read_csv(export_file(client, survey, "responses.csv", "channel=online"))
    record = ExportRecord.objects.get()
    assert (record.user, record.survey, record.kind, record.rows) == (comms_lead, survey, "responses_csv", 1)
    assert record.filters["channels"] == ["online"]


def test_unknown_export_format_is_not_found(client, comms_lead, survey):
    client.force_login(comms_lead)
    assert client.get(f"/admin/dashboards/{survey.pk}/responses.pdf").status_code == 404


def test_asking_making_and_downloading_an_export_take_the_same_queries_at_any_size(
    client, comms_lead, survey, django_assert_max_num_queries
):
    client.force_login(comms_lead)
    generate_responses(survey, 10)
    # Asking (session, user, device, permissions, survey, structure, record, job, task), making it
    # (claim, structure, permission, ids in a table, batches, progress, finish) and downloading.
    with django_assert_max_num_queries(80) as small:
        export_file(client, survey, "responses.csv")
    generate_responses(survey, 1000)
    with django_assert_max_num_queries(len(small.captured_queries)):
        rows = read_csv(export_file(client, survey, "responses.csv"))
    assert len(rows) == 1011


def test_export_records_are_listed_for_superusers_only(client, comms_lead, superuser, survey, responses):
    client.force_login(comms_lead)
    read_csv(export_file(client, survey, "responses.csv"))
    assert client.get("/admin/surveys/exportrecord/").status_code == 403
    client.force_login(superuser)
    listing = client.get("/admin/surveys/exportrecord/")
    assert "carol" in listing.content.decode() and "Responses (CSV)" in listing.content.decode()
