"""Exports are background jobs: asked for, made with progress, retried, downloaded by those allowed, deleted."""

import csv
import dataclasses
import datetime
import io
import shutil

import pytest
from django.contrib.auth.models import Group
from django.core.files.storage import storages
from django.core.management import call_command
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from surveys import services
from surveys.models import ExportJob, ExportRecord, Question, Response
from surveys.reporting import exporters, jobs
from surveys.reporting.exporters import EXPORTERS
from tests.factories import export_file, make_consultation, make_editor, make_question, make_survey, respond
from website.roles import COMMS_LEAD, EQUALITY_DATA_EXPORTER

pytestmark = pytest.mark.django_db
K = Question.Kind


@pytest.fixture
def survey(greenwich):
    survey = make_survey(make_consultation(greenwich, "Winter plan"))
    views = survey.sections.create(title="Your views", order=1)
    make_question(views, "agree", K.AGREEMENT)
    make_question(views, "comment", K.LONG_TEXT, max_length=500)
    about = survey.sections.create(title="About you", order=2, is_about_you=True)
    make_question(about, "age", K.SINGLE_CHOICE, choices=["18 to 24", "25 to 34"])
    for number in range(7):
        respond(
            survey, agree="agree", comment=f"Comment {number}", age="18_to_24", channel="paper" if number else "online"
        )
    return survey


def comms_lead_of(name, partnership):
    user = make_editor(name, partnership)
    user.groups.add(Group.objects.get(name=COMMS_LEAD))
    return user


@pytest.fixture
def carol(greenwich):
    return comms_lead_of("carol", greenwich)


@pytest.fixture
def queued(settings):
    """Tasks are stored, not run: the job waits, as it does until the worker picks it up."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend", "QUEUES": ["exports"]}}


def ask(client, survey, identifier="responses.csv", query="") -> ExportJob:
    asked = client.post(f"/admin/dashboards/{survey.pk}/{identifier}" + (f"?{query}" if query else ""))
    assert asked.status_code == 302
    job = ExportJob.objects.latest("pk")
    assert asked["Location"] == f"/admin/dashboards/{survey.pk}/exports/{job.pk}/"
    return job


def page(client, job):
    return client.get(f"/admin/dashboards/{job.record.survey_id}/exports/{job.pk}/")


def download(client, job):
    """The download, read and closed (the file's ``body`` on it)."""
    got = client.get(f"/admin/dashboards/{job.record.survey_id}/exports/{job.pk}/download")
    got.body = got.getvalue() if got.streaming else got.content
    if getattr(got, "file_to_stream", None):
        got.file_to_stream.close()  # (closing the response would also close the test's database connection)
    return got


@pytest.fixture(autouse=True)
def empty_exports_storage():
    """Each test starts with no export files, so it can look at exactly what it made."""
    storage = storages["exports"]
    for folder in storage.listdir("")[0] if storage.exists("") else []:
        shutil.rmtree(storage.path(folder))


def rows_of(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_a_get_shows_the_button_and_makes_nothing(client, carol, survey):
    client.force_login(carol)
    confirm = client.get(f"/admin/dashboards/{survey.pk}/responses.csv?channel=paper")
    assertContains(confirm, "Make the export")
    assertContains(confirm, "Responses where: Channel: Paper form.")
    assert not ExportJob.objects.exists() and not ExportRecord.objects.exists()


def test_an_asked_for_export_is_recorded_at_once_and_waits_for_the_worker(client, carol, survey, queued):
    client.force_login(carol)
    job = ask(client, survey, query="channel=paper")
    assert (job.status, job.query, job.record.kind, job.record.rows) == (
        "requested",
        "channel=paper",
        "responses_csv",
        None,
    )
    assert job.record.user == carol and job.what_happened() == "Waiting to start"
    waiting = page(client, job)
    assertContains(waiting, "Being made")
    assertContains(waiting, "Waiting to start.")
    assertContains(waiting, "Check again")
    assertContains(waiting, f'data-progress-url="/admin/dashboards/{survey.pk}/exports/{job.pk}/progress"')
    assert client.get(f"/admin/dashboards/{survey.pk}/exports/{job.pk}/progress").json() == {
        "status": "requested",
        "done": 0,
        "total": None,
        "percent": None,
    }
    # Not ready: the download link goes back to the page.
    assert download(client, job)["Location"] == f"/admin/dashboards/{survey.pk}/exports/{job.pk}/"


def test_the_worker_reports_progress_between_batches_and_covers_every_response_once(
    client, carol, survey, queued, monkeypatch
):
    monkeypatch.setattr(exporters, "BATCH_SIZE", 3)  # 7 responses: batches of 3, 3 and 1
    seen = []
    monkeypatch.setattr(jobs.JobProgress, "advance", lambda self, done: seen.append(done))
    client.force_login(carol)
    job = ask(client, survey)
    jobs.run_export(job.pk)
    job.refresh_from_db()
    assert seen == [3, 6, 7]
    assert (job.status, job.rows_total, job.rows_done, job.attempts) == ("finished", 7, 7, 1)
    rows = rows_of(download(client, job).body)
    references = [row[0] for row in rows[1:]]
    assert references == list(Response.objects.order_by("pk").values_list("reference", flat=True))


def test_progress_is_shown_on_the_page_while_it_is_made(client, carol, survey, queued):
    client.force_login(carol)
    job = ask(client, survey)
    ExportJob.objects.filter(pk=job.pk).update(status="running", rows_total=40_000, rows_done=10_000)
    running = page(client, job)
    assertContains(running, "10,000 of 40,000 responses (25%).")
    assertContains(running, 'value="25"')
    progress = client.get(f"/admin/dashboards/{survey.pk}/exports/{job.pk}/progress").json()
    assert progress == {"status": "running", "done": 10_000, "total": 40_000, "percent": 25}


def test_a_finished_export_is_stored_privately_recorded_and_downloaded_once_counted(client, carol, survey):
    client.force_login(carol)
    job = ask(client, survey)
    job.refresh_from_db()
    assert job.status == "finished" and job.file.name.startswith(f"{job.pk}-")
    assert storages["exports"].exists(job.file.name)
    assert job.file.name.endswith(".csv") and "/" in job.file.name  # a folder of its own, with a random name
    assert job.expires_at - job.finished_at == datetime.timedelta(hours=24)
    job.record.refresh_from_db()
    assert job.record.rows == 7 and job.what_happened() == "Ready, not yet downloaded"
    ready = page(client, job)
    assertContains(ready, "Ready to download")
    assertContains(ready, "7 responses")
    got = download(client, job)
    assert got["Content-Disposition"].startswith('attachment; filename="winter-plan-responses-')
    assert got["Content-Type"] == "text/csv; charset=utf-8"
    assert len(rows_of(got.body)) == 8
    job.refresh_from_db()
    assert job.downloads == 1 and job.what_happened() == "Ready, downloaded 1 time"
    # The dashboard lists it, for coming back to.
    assertContains(client.get(f"/admin/dashboards/{survey.pk}/"), f"/admin/dashboards/{survey.pk}/exports/{job.pk}/")


def failing_then(monkeypatch, identifier: str, failures: int):
    exporter = EXPORTERS[identifier]
    attempts = []

    def write(export, out, progress):
        attempts.append(1)
        if len(attempts) <= failures:
            raise OSError("disk full")
        return exporter.write(export, out, progress)

    monkeypatch.setitem(EXPORTERS, identifier, dataclasses.replace(exporter, write=write))
    return attempts


def test_a_failed_attempt_is_tried_again(client, carol, survey, monkeypatch):
    attempts = failing_then(monkeypatch, "responses.csv", failures=1)
    client.force_login(carol)
    job = ask(client, survey)
    job.refresh_from_db()
    assert len(attempts) == 2 and (job.status, job.attempts, job.problem) == ("finished", 2, "")


def test_an_export_that_keeps_failing_says_so_and_offers_to_try_again(client, carol, survey, monkeypatch):
    attempts = failing_then(monkeypatch, "responses.csv", failures=10)
    client.force_login(carol)
    job = ask(client, survey)
    job.refresh_from_db()
    assert len(attempts) == ExportJob.MAX_ATTEMPTS == job.attempts
    assert job.status == "failed" and job.problem == jobs.FAILED
    assert job.what_happened().startswith("Failed after 3 attempts: The export could not be made.")
    failed = page(client, job)
    assertContains(failed, "The export failed")
    assertContains(failed, "Try again later, or add a filter")
    assertContains(failed, "Make it again")
    assertNotContains(failed, "disk full")  # the error itself is for the operators' log
    assert download(client, job).status_code == 302
    assert not any(storages["exports"].listdir("")[0])


def test_a_job_whose_worker_died_is_noticed_and_made_again(client, carol, survey, queued, settings):
    client.force_login(carol)
    job = ask(client, survey)
    stalled = timezone.now() - datetime.timedelta(minutes=settings.EXPORT_STALLED_MINUTES + 1)
    ExportJob.objects.filter(pk=job.pk).update(status="running", attempts=1, heartbeat_at=stalled)
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default", "exports"]}
    }
    out = io.StringIO()
    call_command("prune_exports", stdout=out)
    assert "1 stalled export tried again" in out.getvalue()
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("finished", 2)


def test_expired_exports_are_deleted_and_say_so(client, carol, survey):
    client.force_login(carol)
    job = ask(client, survey)
    job.refresh_from_db()
    name = job.file.name
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    # Past its time, it is not served even before the scheduled command has run.
    assert download(client, job).status_code == 302
    out = io.StringIO()
    call_command("prune_exports", stdout=out)
    assert "Deleted 1 expired export" in out.getvalue()
    job.refresh_from_db()
    assert (job.status, job.file.name) == ("expired", "") and not storages["exports"].exists(name)
    assert storages["exports"].listdir("") == ([], [])
    gone = page(client, job)
    assertContains(gone, "This export has been deleted", status_code=410)
    assertContains(gone, "Exports are kept for 24 hours", status_code=410)
    assert job.what_happened() == "Deleted, never downloaded"
    call_command("prune_exports", stdout=io.StringIO())  # twice is safe


def test_stray_files_are_deleted(client, carol, survey):
    storage = storages["exports"]
    storage.save("999-abc/left-behind.csv", io.BytesIO(b"x"))
    client.force_login(carol)
    job = ask(client, survey)
    job.refresh_from_db()
    out = io.StringIO()
    call_command("prune_exports", stdout=out)
    assert "1 stray file deleted" in out.getvalue()
    assert not storage.exists("999-abc/left-behind.csv") and storage.exists(job.file.name)


def test_another_comms_lead_of_the_survey_may_download_it_and_is_recorded(client, carol, survey, greenwich):
    client.force_login(carol)
    job = ask(client, survey)
    client.force_login(comms_lead_of("dave", greenwich))
    assert download(client, job).status_code == 200
    record = ExportRecord.objects.latest("pk")
    assert record.user.username == "dave" and record.filters["export"] == job.pk and record.rows == 7
    assertContains(page(client, job), "Asked for by carol")


def test_others_may_not_download_it(client, carol, survey, lewisham, greenwich):
    client.force_login(carol)
    job = ask(client, survey)
    client.force_login(comms_lead_of("erin", lewisham))  # another partnership
    assert download(client, job).status_code == 404
    assert page(client, job).status_code == 404
    client.force_login(make_editor("frank", greenwich))  # an editor: no individual responses
    assert download(client, job).status_code == 403
    assert client.get(f"/admin/dashboards/{survey.pk}/exports/{job.pk}/progress").status_code == 403
    assert ExportJob.objects.get().downloads == 0


def test_an_export_with_equality_data_is_only_for_equality_data_exporters(client, carol, survey, greenwich):
    carol.groups.add(Group.objects.get(name=EQUALITY_DATA_EXPORTER))
    client.force_login(carol)
    job = ask(client, survey)
    assert job.record.includes_equality_data
    assert rows_of(download(client, job).body)[0][-1] == "age"
    client.force_login(comms_lead_of("dave", greenwich))
    assert download(client, job).status_code == 403


def test_a_person_who_lost_the_permission_before_it_was_made_gets_nothing(client, carol, survey, queued, greenwich):
    client.force_login(carol)
    job = ask(client, survey)
    greenwich.editors.remove(carol)
    jobs.run_export(job.pk)
    job.refresh_from_db()
    assert (job.status, job.problem, job.file.name) == ("failed", jobs.NOT_ALLOWED, "")


def test_erasing_responses_deletes_the_files_that_hold_them(client, carol, survey, django_capture_on_commit_callbacks):
    client.force_login(carol)
    job = ask(client, survey)
    job.refresh_from_db()
    name = job.file.name
    response = Response.objects.first()
    with django_capture_on_commit_callbacks(execute=True):
        services.erase_responses(survey=survey, responses=Response.objects.filter(pk=response.pk), how="staff")
    job.refresh_from_db()
    assert (job.status, job.problem) == ("expired", "Responses in it were erased")
    assert not storages["exports"].exists(name)
    assert job.what_happened() == "Deleted (Responses in it were erased), never downloaded"


def test_an_export_made_while_responses_are_erased_is_made_again_without_them(
    client, carol, survey, monkeypatch, django_capture_on_commit_callbacks
):
    exporter = EXPORTERS["responses.csv"]
    erased = Response.objects.order_by("pk").first()
    calls = []

    def write(export, out, progress):
        rows = exporter.write(export, out, progress)
        if not calls:  # erased just after the first attempt read it
            services.erase_responses(survey=survey, responses=Response.objects.filter(pk=erased.pk), how="staff")
        calls.append(rows)
        return rows

    monkeypatch.setitem(EXPORTERS, "responses.csv", dataclasses.replace(exporter, write=write))
    client.force_login(carol)
    with django_capture_on_commit_callbacks(execute=True):
        job = ask(client, survey)
    job.refresh_from_db()
    assert calls == [7, 6] and job.status == "finished"
    body = download(client, job).body.decode("utf-8-sig")
    assert erased.reference not in body
    assert storages["exports"].listdir("")[0] == [job.file.name.split("/")[0]]


def test_too_many_rows_for_excel_is_refused_with_a_pointer_to_the_csv(client, carol, survey, monkeypatch):
    monkeypatch.setattr(exporters, "XLSX_ROW_LIMIT", 5)
    client.force_login(carol)
    refused = client.post(f"/admin/dashboards/{survey.pk}/responses.xlsx", follow=True)
    assertContains(refused, "Excel holds at most 4 rows and this export has 7: download the CSV, or add a filter.")
    assert not ExportJob.objects.exists()


def test_excel_exports_are_made_too(client, carol, survey):
    import openpyxl

    client.force_login(carol)
    body = export_file(client, survey, "responses.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(body))["Responses"]
    assert sheet.max_row == 8 and sheet["D2"].value == "Agree"


def test_nginx_sends_the_file_when_told_to(client, carol, survey, settings):
    settings.EXPORTS_SENT_BY = "nginx"
    client.force_login(carol)
    job = ask(client, survey)
    job.refresh_from_db()
    got = download(client, job)
    assert got["X-Accel-Redirect"] == f"/_exports/{job.file.name}"
    assert got.content == b"" and got["Content-Disposition"].startswith("attachment;")
    assert ExportJob.objects.get().downloads == 1


def test_object_storage_sends_its_own_link_when_told_to(client, carol, survey, settings, monkeypatch):
    settings.EXPORTS_SENT_BY = "storage"
    client.force_login(carol)
    job = ask(client, survey)
    job.refresh_from_db()
    storage = job.file.storage
    monkeypatch.setattr(type(storage), "url", lambda self, name: f"https://bucket.example/{name}?signature=x")
    assert download(client, job)["Location"] == f"https://bucket.example/{job.file.name}?signature=x"


def test_the_access_records_say_what_happened_to_each_export(client, carol, survey, superuser, monkeypatch):
    client.force_login(carol)
    download(client, ask(client, survey))
    failing_then(monkeypatch, "summary.csv", failures=10)
    ask(client, survey, "summary.csv")
    client.force_login(superuser)
    listing = client.get("/admin/surveys/exportrecord/")
    assertContains(listing, "Ready, downloaded 1 time")
    assertContains(listing, "Failed after 3 attempts")
