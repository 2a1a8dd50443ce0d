"""The background worker waits out a database restart instead of stopping."""

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django_tasks_db.management.commands import db_worker

from common.management.commands import run_worker


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "exports"]}}


def test_the_worker_starts_again_with_growing_pauses_while_the_database_is_away(monkeypatch, caplog):
    runs, pauses = [], []

    def run(self):
        runs.append(self)
        if len(runs) <= 3:
            raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(db_worker.Worker, "run", run)
    monkeypatch.setattr(run_worker.time, "sleep", pauses.append)
    call_command("run_worker", "--queue-name", "*", "--no-reload")
    assert len(runs) == 4 and pauses == [1, 2, 4]
    assert "the database is unavailable (connection to server at" in caplog.text


def test_any_other_error_still_stops_the_worker(monkeypatch):
    def run(self):
        raise ValueError("a bug in a task runner")

    monkeypatch.setattr(db_worker.Worker, "run", run)
    with pytest.raises(ValueError, match="a bug"):
        call_command("run_worker", "--no-reload")
