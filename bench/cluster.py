"""Benchmark and demonstration: two app servers behind nginx, sharing PostgreSQL and Redis.

    .venv/bin/python bench/cluster.py
    .venv/bin/python bench/cluster.py --residents 20 --seconds 20

It starts, on 127.0.0.1 only: Redis (Debian's redis-server, a throwaway instance on port 6391), two
gunicorn servers (gunicorn.conf.py, production settings, REDIS_URL set, TRUSTED_PROXY_COUNT=1) on
ports 8101 and 8102, nginx in front of both on 8100 (standing in for the load balancer), and the
background worker, all against the bench database (BENCH_DATABASE_URL). Then it shows:

1. a survey started on one server and finished on the other;
2. the survey rate limit and sign-in throttling counted across both servers;
3. residents answering through nginx, spread over both: none lost, none stored twice;
4. the same while one server is killed (SIGKILL, workers and all) mid-load: in-flight requests fail
   cleanly, safe requests go to the other server, a resident whose "send" failed presses it again,
   and every confirmed response is stored exactly once.
"""

import argparse
import collections
import contextlib
import itertools
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
import residents  # noqa: E402

SERVERS = (8101, 8102)
BALANCER = 8100
REDIS_PORT = 6391
RATE_LIMIT = 3


@contextlib.contextmanager
def redis() -> str:
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(binary).exists():
        raise SystemExit("Redis is needed for this benchmark: apt-get install redis-server")
    process = subprocess.Popen(
        [binary, "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        harness.wait_for_port(REDIS_PORT)
        yield f"redis://127.0.0.1:{REDIS_PORT}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


_addresses = itertools.count(1)


def new_address() -> str:
    """An address no other resident of this run has (10.x.y.z), as the load balancer would report it."""
    n = next(_addresses)
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255 or 1}"


def across_servers(survey_path: str) -> str:
    """Pages on one server, the rest on the other: the survey's reference, or what went wrong."""
    browser = residents.Browser(SERVERS[0], new_address())
    browser.request("GET", survey_path + "page-1/")
    status, *_ = browser.request("POST", survey_path + "page-1/", residents.PAGES[0])
    browser.port = SERVERS[1]
    status2, *_ = browser.request("POST", survey_path + "page-2/", residents.PAGES[1])
    _, _, text, _ = browser.request("GET", survey_path + "check-your-answers/")
    token = residents.TOKEN.search(text)
    if status != 302 or status2 != 302 or not token:
        return f"FAILED ({status}, {status2})"
    browser.port = SERVERS[0]
    status, headers, _, _ = browser.request(
        "POST", survey_path + "check-your-answers/", {"submission_token": token.group(1)}
    )
    return headers.get("location", f"FAILED ({status})").rstrip("/").rsplit("/", 1)[-1]


def rate_limit_across_servers(survey_path: str) -> list[str]:
    """One client address sends RATE_LIMIT + 1 responses, alternating servers: what became of each."""
    from surveys.models import Response

    address = new_address()
    references = []
    for number in range(RATE_LIMIT + 1):
        port = SERVERS[number % 2]
        references.append(residents.answer_survey(survey_path, lambda *a: None, port=port, address=address))
    return [Response.objects.get(reference=reference).status for reference in references if reference]


def sign_in_throttled_across_servers() -> list[int]:
    """Wrong passwords for one account from one address, alternating servers: the statuses."""
    from axes.models import AccessAttempt
    from django.contrib.auth.models import User

    User.objects.update_or_create(username="cluster-editor", defaults={"is_staff": True})
    AccessAttempt.objects.filter(username="cluster-editor").delete()  # an earlier run's pause
    address = new_address()
    statuses = []
    for number in range(7):
        browser = residents.Browser(SERVERS[number % 2], address)
        browser.request("GET", "/admin/login/")
        status, _, text, _ = browser.request(
            "POST", "/admin/login/", {"username": "cluster-editor", "password": f"wrong {number}"}
        )
        statuses.append("paused" if "Too many attempts" in text or status == 429 else status)
    return statuses


class Crowd:
    """Residents answering through the balancer, each from an address of their own."""

    def __init__(self, survey_path: str):
        self.survey_path = survey_path
        self.lock = threading.Lock()
        self.statuses: collections.Counter = collections.Counter()
        self.confirmed: list[str] = []

    def report(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            self.statuses[(kind, status)] += 1

    def resident(self, until: float) -> None:
        while time.perf_counter() < until:
            reference = residents.answer_survey(
                self.survey_path, self.report, send_tries=20, port=BALANCER, address=new_address()
            )
            if reference:
                with self.lock:
                    self.confirmed.append(reference)

    def run(self, count: int, seconds: float, midway=None) -> float:
        until = time.perf_counter() + seconds
        threads = [threading.Thread(target=self.resident, args=(until,)) for _ in range(count)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        if midway:
            time.sleep(seconds / 3)
            midway()
        for thread in threads:
            thread.join()
        return time.perf_counter() - started


def check_rows(survey, crowd: Crowd, before: set[str]) -> str:
    from surveys.models import Answer, Response

    stored = Response.objects.filter(survey=survey).exclude(reference__in=before)
    references = list(stored.values_list("reference", flat=True))
    confirmed = set(crowd.confirmed)
    answers = Answer.objects.filter(response__in=stored).count()
    duplicated = len(crowd.confirmed) - len(confirmed)
    return (
        f"confirmations {len(confirmed)}, responses stored {len(references)}: lost {len(confirmed - set(references))}, "
        f"without a confirmation {len(set(references) - confirmed)}, duplicated {duplicated}; answer rows {answers} "
        f"({'three each' if answers == 3 * len(references) else 'NOT three each'})"
    )


def describe(statuses: collections.Counter) -> str:
    errors = {key: n for key, n in statuses.items() if key[1] >= 500 or key[1] == 0}
    if not errors:
        return "no errors"
    return "; ".join(f"{kind} {status or 'no answer'}: {n}" for (kind, status), n in sorted(errors.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15)
    args = parser.parse_args()

    harness.prepare_database()
    harness.setup_django()
    from django.db import connection

    from surveys.models import Response

    survey, survey_path = residents.make_drill_survey(f"Cluster drill {int(time.time())}")
    print(f"Machine: {harness.machine()}")
    with redis() as redis_url, contextlib.ExitStack() as stack:
        shared = {"REDIS_URL": redis_url, "TRUSTED_PROXY_COUNT": "1", "SURVEY_RATE_LIMIT": str(RATE_LIMIT)}
        servers = [stack.enter_context(harness.gunicorn(port, **shared)) for port in SERVERS]
        stack.enter_context(harness.nginx(tempfile.mkdtemp(prefix="bench-exports-"), apps=SERVERS, port=BALANCER))
        worker = subprocess.Popen(
            [harness.PYTHON, "manage.py", "run_worker", "--queue-name", "*", "--no-reload"],
            cwd=harness.ROOT,
            env=harness.production_env(**shared),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        stack.callback(worker.wait, 30)
        stack.callback(worker.terminate)
        print(f"Two app servers (127.0.0.1:{SERVERS[0]}, :{SERVERS[1]}) behind nginx (:{BALANCER}), Redis, one worker")

        reference = across_servers(survey_path)
        stored = Response.objects.filter(reference=reference).exists()
        print(f"1. pages on one server, the rest on the other: confirmation {reference}, stored: {stored}")

        held = rate_limit_across_servers(survey_path)
        print(f"2. survey rate limit {RATE_LIMIT} per address, alternating servers: {held}")
        print(f"   wrong passwords for one account, alternating servers: {sign_in_throttled_across_servers()}")

        before = set(Response.objects.filter(survey=survey).values_list("reference", flat=True))
        crowd = Crowd(survey_path)
        elapsed = crowd.run(args.residents, args.seconds)
        print(
            f"3. {args.residents} residents through nginx for {args.seconds:.0f} s: "
            f"{len(crowd.confirmed) / elapsed:.1f} journeys/s; {describe(crowd.statuses)}"
        )
        print(f"   {check_rows(survey, crowd, before)}")

        connection.close()
        before = set(Response.objects.filter(survey=survey).values_list("reference", flat=True))
        crowd = Crowd(survey_path)
        killed_at = []

        def kill_one() -> None:
            killed_at.append(time.perf_counter())
            harness.kill_group(servers[0])

        elapsed = crowd.run(args.residents, args.seconds, midway=kill_one)
        print(
            f"4. the same, with the server on :{SERVERS[0]} killed a third of the way in: "
            f"{len(crowd.confirmed) / elapsed:.1f} journeys/s; {describe(crowd.statuses)}"
        )
        print(f"   {check_rows(survey, crowd, before)}")


if __name__ == "__main__":
    main()
