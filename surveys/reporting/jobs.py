"""Exports as background jobs: asked for in a request, built by the worker, downloaded later.

A job is asked for (its access record written at once, saying "requested"), built by the worker on
the "exports" queue into the private exports storage with its progress saved between batches,
then kept for ``EXPORT_KEPT_HOURS``. A failed attempt is tried again (``ExportJob.MAX_ATTEMPTS`` in
all); one whose worker died is noticed by ``prune_exports`` and tried again too. Erasing responses
deletes every file of their survey, and a job that was running meanwhile starts again.
"""

import datetime
import logging
import secrets
import tempfile
from functools import partial

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F, Max
from django.http import QueryDict
from django.tasks import task
from django.utils import timezone

from common import security_log
from surveys.models import ErasureRecord, ExportJob, ExportRecord, Survey
from surveys.models.exports import remove_file
from surveys.reporting.access import may_export
from surveys.reporting.exporters import EXPORTERS, ExportRefused, ExportRequest, Progress
from surveys.reporting.filters import ResponseFilter
from surveys.services import record_access
from surveys.structure import read_structure

logger = logging.getLogger(__name__)

RETRY_AFTER = [datetime.timedelta(seconds=30), datetime.timedelta(minutes=5)]
FAILED = (
    "The export could not be made. The site's operators have been told. Try again later, or add a filter "
    "so that it has fewer responses."
)
NOT_ALLOWED = "You no longer have permission to export these responses, so the export was not made."


class NotAllowed(Exception):
    pass


def request_export(*, request, survey: Survey, exporter, export: ExportRequest) -> ExportJob:
    """Record that this person asked for this export, and queue it for the worker."""
    with transaction.atomic():
        record = record_access(
            request=request,
            survey=survey,
            kind=exporter.record_kind,
            filters=export.response_filter.as_record(),
            includes_equality_data=exporter.includes_equality_data(export),
        )
        job = ExportJob.objects.create(
            record=record, identifier=exporter.identifier, query=export.response_filter.as_query()
        )
        # Queued in the same transaction: the task is a row in the same database, so the worker
        # sees it only once the job is there too.
        build_export.enqueue(job.pk)
    return job


@task(queue_name="exports")
def build_export(job_id: int) -> None:
    run_export(job_id)


def run_export(job_id: int) -> None:
    job = _claim(job_id)
    if job is None:
        return  # finished, failed, deleted or being built by another worker
    try:
        while not _finish(job, *_build(job)):
            pass  # responses were erased while it was being built: it may hold some of them, so again
    except NotAllowed:
        _fail(job, NOT_ALLOWED)
    except ExportRefused as refused:
        _fail(job, str(refused))
    except Exception:
        logger.exception("Export job %s failed on attempt %s", job.pk, job.attempts)
        _try_again(job)


def _last_erasure(survey_id: int) -> int:
    """The newest erasure of the survey, read under the lock that erasure takes for its whole transaction:
    none is half-done, and any later one gets a larger id."""
    Survey.objects.select_for_update().filter(pk=survey_id).first()
    return ErasureRecord.objects.filter(survey_id=survey_id).aggregate(last=Max("pk"))["last"] or 0


def _finish(job: ExportJob, name: str, size: int, rows: int, last_erasure: int) -> bool:
    """Mark the job finished, unless responses of its survey were erased since it started."""
    with transaction.atomic():
        # Erasure either committed before this (and is seen here) or comes after (and deletes this file).
        if _last_erasure(job.record.survey_id) != last_erasure:
            transaction.on_commit(partial(remove_file, job.file.storage, name))
            return False
        now = timezone.now()
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FINISHED,
            file=name,
            size=size,
            rows_done=rows,
            problem="",
            finished_at=now,
            heartbeat_at=now,
            expires_at=now + datetime.timedelta(hours=settings.EXPORT_KEPT_HOURS),
        )
        ExportRecord.objects.filter(pk=job.record_id).update(rows=rows)
    return True


def _claim(job_id: int) -> ExportJob | None:
    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update(skip_locked=True)
            .filter(pk=job_id, status=ExportJob.Status.REQUESTED)
            .first()
        )
        if job is None:
            return None
        now = timezone.now()
        job.status = ExportJob.Status.RUNNING
        job.attempts += 1
        job.started_at = job.heartbeat_at = now
        job.rows_done = 0
        job.save(update_fields=["status", "attempts", "started_at", "heartbeat_at", "rows_done"])
    return ExportJob.objects.select_related("record__survey__consultation", "record__user").get(pk=job.pk)


class JobProgress(Progress):
    """Saves how far the job has got, in its own statement, so the person's page sees it at once."""

    def __init__(self, job: ExportJob):
        self.job = job

    def start(self, total: int) -> None:
        ExportJob.objects.filter(pk=self.job.pk).update(rows_total=total, rows_done=0, heartbeat_at=timezone.now())

    def advance(self, done: int) -> None:
        ExportJob.objects.filter(pk=self.job.pk).update(rows_done=done, heartbeat_at=timezone.now())


def _build(job: ExportJob) -> tuple[str, int, int, int]:
    """Write the export to a temporary file, then into the exports storage: its name, size, rows, and
    the last erasure before it started."""
    with transaction.atomic():
        last_erasure = _last_erasure(job.record.survey_id)
    exporter = EXPORTERS[job.identifier]
    survey, user = job.record.survey, job.record.user
    structure = read_structure(survey)
    response_filter = ResponseFilter.from_query(survey, QueryDict(job.query), structure.questions)
    export = ExportRequest(survey, user, structure, response_filter)
    # Checked again: the person may have lost the permission (or left) since asking.
    if not may_export(user, survey, exporter, export):
        raise NotAllowed
    with tempfile.TemporaryFile() as out:
        rows = exporter.write(export, out, JobProgress(job))
        size = out.tell()
        out.seek(0)
        # A random part in the name: the file cannot be guessed, wherever the storage is.
        path = f"{job.pk}-{secrets.token_hex(8)}/{exporter.filename(survey)}"
        name = job.file.storage.save(path, File(out))
    return name, size, rows, last_erasure


def _try_again(job: ExportJob) -> None:
    if job.attempts >= ExportJob.MAX_ATTEMPTS:
        _fail(job, FAILED)
        return
    delay = RETRY_AFTER[min(job.attempts, len(RETRY_AFTER)) - 1]
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.REQUESTED, problem=f"Attempt {job.attempts} failed; trying again."
    )
    queued = build_export
    if queued.get_backend().supports_defer:
        queued = queued.using(run_after=timezone.now() + delay)
    queued.enqueue(job.pk)


def _fail(job: ExportJob, problem: str) -> None:
    logger.error("Export job %s failed for good: %s", job.pk, problem)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.FAILED, problem=problem, finished_at=timezone.now()
    )


def downloaded(job: ExportJob, request) -> None:
    """Count the download; someone other than the person who asked gets an access record of their own."""
    ExportJob.objects.filter(pk=job.pk).update(downloads=F("downloads") + 1, last_downloaded_at=timezone.now())
    security_log.event("export_downloaded", request, job=job.pk, survey=job.record.survey_id)
    if request.user.pk != job.record.user_id:
        record_access(
            request=request,
            survey=job.record.survey,
            kind=job.record.kind,
            filters={**job.record.filters, "export": job.pk},
            rows=job.record.rows,
            includes_equality_data=job.record.includes_equality_data,
        )


# Housekeeping (manage.py prune_exports)


def delete_expired() -> int:
    return ExportJob.objects.filter(expires_at__lte=timezone.now()).delete_files()


def retry_stalled() -> int:
    """Jobs whose worker stopped mid-way (no progress for EXPORT_STALLED_MINUTES) are tried again."""
    cutoff = timezone.now() - datetime.timedelta(minutes=settings.EXPORT_STALLED_MINUTES)
    stalled = ExportJob.objects.filter(status=ExportJob.Status.RUNNING, heartbeat_at__lt=cutoff)
    count = 0
    for job in stalled:
        logger.warning("Export job %s stalled on attempt %s", job.pk, job.attempts)
        _try_again(job)
        count += 1
    return count


def delete_strays() -> int:
    """Files in the exports storage that no ready job holds (a worker stopped between saving and recording)."""
    storage = ExportJob._meta.get_field("file").storage
    try:
        folders, _ = storage.listdir("")
    except FileNotFoundError:
        return 0
    kept = {name.split("/", 1)[0] for name in ExportJob.objects.exclude(file="").values_list("file", flat=True)}
    under_way = {
        str(pk) for pk in ExportJob.objects.filter(status=ExportJob.Status.RUNNING).values_list("pk", flat=True)
    }
    stray = 0
    for folder in folders:
        if folder in kept or folder.split("-", 1)[0] in under_way:
            continue
        _, files = storage.listdir(folder)
        for name in files:
            storage.delete(f"{folder}/{name}")
        remove_file(storage, folder)
        stray += 1
    return stray
