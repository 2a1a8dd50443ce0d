"""Benchmark: residents answering a survey while PostgreSQL stops and starts again.

    .venv/bin/python bench/resilience.py                 # 5 s up, 10 s down, then until recovered

It starts a PostgreSQL of its own (Debian's postgresql package: initdb and pg_ctl, on 127.0.0.1:5499,
in a temporary folder) and gunicorn with gunicorn.conf.py and production settings against it, with a
two-page survey. Virtual residents go through the survey again and again (bench/residents.py:
every page, "check your answers", send, the confirmation) while the database is stopped with
``pg_ctl stop -m fast`` and started again, and /readyz is asked every 0.2 s. It prints what residents
got while it was down (every answer should be the 503 "try again" page, quickly), how long the site
took to serve again once PostgreSQL was back (no app restart), and whether every confirmation has its
response and no response was stored twice or half (responses and answer rows counted in PostgreSQL
afterwards). The background worker (``run_worker``) runs throughout; afterwards a comms lead asks for
an export, which it must make.
"""

import argparse
import collections
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

PORT = 5499
os.environ["BENCH_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{PORT}/sel_resilience"
sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
import residents  # noqa: E402


def postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        raise SystemExit("Debian's PostgreSQL server is needed: apt-get install postgresql")
    return Path(found[-1]).parent


class Cluster:
    """A PostgreSQL server of the benchmark's own, to stop and start."""

    def __init__(self):
        self.bin = postgres_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="bench-postgres-"))
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        if self.as_postgres:
            shutil.chown(self.dir, "postgres")
        self._run("initdb", "-D", str(self.dir / "data"), "-A", "trust", "-U", "postgres", "--no-sync")

    def _run(self, program: str, *args: str) -> None:
        subprocess.run([*self.as_postgres, str(self.bin / program), *args], check=True, capture_output=True)

    def start(self) -> None:
        options = f"-p {PORT} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-l", str(self.dir / "log"), "-o", options, "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        stop = [*self.as_postgres, str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "stop"]
        subprocess.run(stop, capture_output=True, check=False)  # already stopped is fine
        shutil.rmtree(self.dir, ignore_errors=True)


@contextmanager
def cluster():
    server = Cluster()
    server.start()
    try:
        yield server
    finally:
        server.remove()


class Drill:
    """Residents answering, and what each of their requests got, by phase."""

    def __init__(self, survey_path: str, residents: int):
        self.survey_path = survey_path
        self.residents = residents
        self.phase = "up"
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.answers: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        self.seconds: dict[str, list[float]] = collections.defaultdict(list)
        self.first_ok_after_start: float | None = None
        self.started_at: float | None = None
        self.confirmed: set[str] = set()

    def note(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            self.answers[self.phase][status] += 1
            self.seconds[self.phase].append(seconds)
            if self.phase == "back" and status in (200, 302) and self.first_ok_after_start is None:
                self.first_ok_after_start = time.perf_counter() - self.started_at

    def resident(self) -> None:
        while not self.stopping.is_set():
            reference = residents.answer_survey(self.survey_path, self.note, send_tries=200)
            if reference:
                with self.lock:
                    self.confirmed.add(reference)
            else:
                time.sleep(0.2)


@contextmanager
def background_worker():
    """The background worker (run_worker), as production runs it, against the benchmark's PostgreSQL."""
    log = open(harness.ROOT / "bench" / "worker.log", "a")  # noqa: SIM115 - closed below
    worker = subprocess.Popen(
        [harness.PYTHON, "manage.py", "run_worker", "--queue-name", "*", "--no-reload"],
        cwd=harness.ROOT,
        env=harness.production_env(),
        stdout=log,
        stderr=log,
    )
    try:
        yield worker
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.close()


def export_after_the_restart(survey_id: int, cookies: str, csrf: str) -> float | None:
    """Ask for a summary export as a comms lead; seconds until the worker has made it (None: not in 60 s)."""
    from django.db import connection

    from surveys.models import ExportJob

    connection.close()  # this process's connection died with the restart
    asked = harness.ask_for_export(survey_id, "summary.csv", cookies, csrf)
    assert asked.status == 302, asked.status
    job_id = int(asked.headers["location"].rstrip("/").rsplit("/", 1)[1])
    started = time.perf_counter()
    while time.perf_counter() - started < 60:
        if ExportJob.objects.get(pk=job_id).status == ExportJob.Status.FINISHED:
            return time.perf_counter() - started
        time.sleep(0.2)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=8)
    parser.add_argument("--up", type=float, default=5)
    parser.add_argument("--down", type=float, default=10)
    args = parser.parse_args()

    with cluster() as postgres:
        harness.prepare_database()
        harness.setup_django()
        survey, survey_path = residents.make_drill_survey("Resilience drill")
        cookies, csrf = harness.staff_cookies()
        print(f"Machine: {harness.machine()}")
        drill = Drill(survey_path, args.residents)
        readiness: list[tuple[float, int]] = []
        with harness.gunicorn(PUBLIC_PAGE_CACHE_SECONDS="0", SURVEY_RATE_LIMIT="100000"), background_worker() as worker:
            threads = [threading.Thread(target=drill.resident) for _ in range(args.residents)]
            for thread in threads:
                thread.start()
            time.sleep(args.up)

            drill.phase = "down"
            stopped_at = time.perf_counter()
            postgres.stop()
            while time.perf_counter() - stopped_at < args.down:
                status = harness.get("/readyz").status
                readiness.append((time.perf_counter() - stopped_at, status))
                time.sleep(0.2)

            drill.phase = "back"
            drill.started_at = time.perf_counter()
            postgres.start()
            ready_after = None
            while ready_after is None and time.perf_counter() - drill.started_at < 60:
                if harness.get("/readyz").status == 200:
                    ready_after = time.perf_counter() - drill.started_at
                time.sleep(0.1)
            time.sleep(3)
            drill.stopping.set()
            for thread in threads:
                thread.join()
            export_seconds = export_after_the_restart(survey.pk, cookies, csrf)
            worker_alive = worker.poll() is None

        from django.db import connection

        connection.close()
        from surveys.models import Answer, Response

        stored = set(
            Response.objects.filter(survey__consultation__slug="resilience-drill").values_list("reference", flat=True)
        )
        answers = Answer.objects.filter(response__survey__consultation__slug="resilience-drill").count()
        duplicates = Response.objects.filter(survey__consultation__slug="resilience-drill").count() - len(stored)

    first_503 = next((at for at, status in readiness if status == 503), None)
    print(f"{args.residents} residents answering a two-page survey; PostgreSQL stopped for {args.down:.0f} s")
    for phase, label in [("up", "before"), ("down", "while down"), ("back", "after the start")]:
        seconds = drill.seconds[phase]
        counts = ", ".join(f"{status or 'no answer'}: {n}" for status, n in sorted(drill.answers[phase].items()))
        slowest = max(seconds) * 1000 if seconds else 0
        p50 = statistics.median(seconds) * 1000 if seconds else 0
        print(f"  {label:<16} {len(seconds):5} requests ({counts}); p50 {p50:.0f} ms, slowest {slowest:.0f} ms")
    print(
        f"  /readyz said 503 {first_503:.1f} s after the stop" if first_503 is not None else "  /readyz never said 503"
    )
    print(f"  ready again {ready_after:.1f} s after PostgreSQL started" if ready_after else "  never ready again")
    if drill.first_ok_after_start is not None:
        print(f"  residents served again {drill.first_ok_after_start:.1f} s after PostgreSQL started (no app restart)")
    lost = drill.confirmed - stored
    unconfirmed = stored - drill.confirmed
    print(
        f"  confirmations {len(drill.confirmed)}, responses stored {len(stored)}: lost {len(lost)}, "
        f"stored without a confirmation {len(unconfirmed)}, duplicated {duplicates}, "
        f"answer rows {answers} (three per response: {'yes' if answers == 3 * len(stored) else 'NO'})"
    )
    print(
        f"  background worker {'still running' if worker_alive else 'STOPPED'} after the restart; an export asked "
        + (f"for afterwards was made in {export_seconds:.1f} s" if export_seconds else "for afterwards was NOT made")
    )
    server_errors = sum(
        n for counts in drill.answers.values() for status, n in counts.items() if status >= 500 and status != 503
    )
    print(f"  answers other than 503 among the errors: {server_errors}")


if __name__ == "__main__":
    main()
