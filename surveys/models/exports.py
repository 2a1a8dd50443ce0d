"""Exports made in the background: the file, how far it has got, and what happened to it."""

import datetime
from contextlib import suppress
from functools import partial

from django.conf import settings
from django.core.files.storage import storages
from django.db import models, transaction
from django.utils import timezone

from common.text import pluralise
from surveys.models.records import ExportRecord


def export_storage():
    return storages["exports"]


class ExportJobQuerySet(models.QuerySet):
    def delete_files(self, *, problem: str = "") -> int:
        """Mark the ready files of these jobs deleted and delete them from storage once that is committed."""
        deleted = 0
        for job in self.filter(status=ExportJob.Status.FINISHED).exclude(file=""):
            ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.EXPIRED, file="", problem=problem)
            transaction.on_commit(partial(remove_file, job.file.storage, job.file.name))
            deleted += 1
        return deleted


def remove_file(storage, name: str) -> None:
    """Delete a file and the folder of its own that it was saved in (nothing else is in there)."""
    storage.delete(name)
    folder = name.rsplit("/", 1)[0]
    if folder != name and storage.exists(folder):
        with suppress(OSError):  # not empty after all: left for prune_exports
            storage.delete(folder)


class ExportJob(models.Model):
    """One export a member of staff asked for, built by the background worker into private storage.

    Its ``record`` (the access audit) is written when it is asked for and says what became of it.
    The file is kept for ``EXPORT_KEPT_HOURS`` and then deleted by ``prune_exports``.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting to start"
        RUNNING = "running", "Being made"
        FINISHED = "finished", "Ready to download"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Deleted"

    MAX_ATTEMPTS = 3

    record = models.OneToOneField(ExportRecord, on_delete=models.CASCADE, related_name="job")
    identifier = models.CharField(max_length=30, help_text="Which export, for example responses.csv.")
    query = models.TextField(blank=True, help_text="The dashboard filters, as in the address.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    attempts = models.PositiveSmallIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    problem = models.TextField(blank=True, help_text="Why it failed or was deleted, in plain words.")
    file = models.FileField(storage=export_storage, blank=True, max_length=200)
    size = models.BigIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="Last sign of life from the worker.")
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    downloads = models.PositiveIntegerField(default=0)
    last_downloaded_at = models.DateTimeField(null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        indexes = [models.Index(fields=["status", "expires_at"], name="export_job_status_expiry")]

    def __str__(self) -> str:
        return f"{self.identifier} of survey {self.record.survey_id}: {self.get_status_display()}"

    @property
    def survey(self):
        return self.record.survey

    @property
    def user(self):
        return self.record.user

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.FINISHED and (self.expires_at is None or self.expires_at > timezone.now())

    @property
    def is_under_way(self) -> bool:
        return self.status in {self.Status.REQUESTED, self.Status.RUNNING}

    @property
    def percent_done(self) -> int | None:
        if not self.rows_total:
            return None
        return min(100, self.rows_done * 100 // self.rows_total)

    @property
    def has_stalled(self) -> bool:
        """Running, but the worker has not reported progress for a while (it was stopped or crashed)."""
        if self.status != self.Status.RUNNING or self.heartbeat_at is None:
            return False
        return timezone.now() - self.heartbeat_at > datetime.timedelta(minutes=settings.EXPORT_STALLED_MINUTES)

    def what_happened(self) -> str:
        """For the access records: requested, finished, failed, downloaded, deleted."""
        downloaded = f"downloaded {pluralise(self.downloads, 'time')}" if self.downloads else "never downloaded"
        if self.status == self.Status.FAILED:
            return f"Failed after {pluralise(self.attempts, 'attempt')}: {self.problem}"
        if self.status == self.Status.EXPIRED:
            deleted = f"Deleted ({self.problem})" if self.problem else "Deleted"
            return f"{deleted}, {downloaded}"
        if self.status == self.Status.FINISHED:
            return f"Ready, {downloaded}" if self.downloads else "Ready, not yet downloaded"
        return self.get_status_display()
