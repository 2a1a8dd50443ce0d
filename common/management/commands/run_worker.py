"""The background worker that rides out a database restart.

django-tasks-db's ``db_worker`` stops with an error when PostgreSQL goes away. This is the same
worker (the same options), started again after a pause that grows from 1 to 30 seconds for as long as
the database cannot be reached, so it picks up the queue again by itself once PostgreSQL is back.
Any other error still stops it, for the service manager to restart and the operators to see.
"""

import logging
import signal
import time

from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger(__name__)
FIRST_PAUSE, LONGEST_PAUSE = 1, 30
# A worker that ran this long since the last failure starts its pauses from the first again.
STEADY_SECONDS = 60


class Command(db_worker.Command):
    help = "Run the background worker (db_worker's options), waiting out database restarts."

    def handle(self, **options) -> None:
        pause = FIRST_PAUSE
        while True:
            started = time.monotonic()
            try:
                return super().handle(**options)
            except (OperationalError, InterfaceError) as error:
                if time.monotonic() - started > STEADY_SECONDS:
                    pause = FIRST_PAUSE
                # While it waits, nothing is under way: stopping the service stops it at once.
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.default_int_handler)
                logger.warning(
                    "Background worker: the database is unavailable (%s); starting again in %d s",
                    str(error).splitlines()[0],
                    pause,
                )
                connections.close_all()
                time.sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE)
