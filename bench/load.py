"""Benchmark: many residents answering a survey at once, through gunicorn.

    .venv/bin/python bench/load.py                          # 10, 50 and 200 residents, 20 s each
    .venv/bin/python bench/load.py --residents 50 --seconds 60

Virtual residents (bench/residents.py) go through a two-page survey again and again for a fixed time:
the start page, each page of questions and its answers, "check your answers", send, and the
confirmation. gunicorn runs with gunicorn.conf.py and production settings against the bench database
(BENCH_DATABASE_URL; its survey data is replaced). For each number of residents it prints completed
journeys per second, p50/p95/p99 of each kind of request, server errors, and, from the rows in
PostgreSQL afterwards, responses lost (confirmed but not stored), stored without a confirmation, and
stored twice. The baseline is /healthz (a view that does nothing) asked by the same client at the same
concurrency in the same run, so the client's own cost (Python threads on the same machine) is in both.
"""

import argparse
import collections
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
import residents  # noqa: E402


class Load:
    def __init__(self, survey_path: str, count: int, seconds: float):
        self.survey_path, self.count, self.seconds = survey_path, count, seconds
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = collections.defaultdict(list)
        self.statuses: collections.Counter = collections.Counter()
        self.confirmed: list[str] = []
        self.journeys = 0

    def report(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            self.times[kind].append(seconds)
            self.statuses[status] += 1

    def resident(self, until: float) -> None:
        while time.perf_counter() < until:
            reference = residents.answer_survey(self.survey_path, self.report)
            if reference:
                with self.lock:
                    self.confirmed.append(reference)

    def run(self) -> float:
        until = time.perf_counter() + self.seconds
        threads = [threading.Thread(target=self.resident, args=(until,)) for _ in range(self.count)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - started


def bare_view_rate(count: int, seconds: float) -> float:
    """Requests per second of /healthz with the same client and concurrency."""
    done = []
    until = time.perf_counter() + seconds

    def ask() -> None:
        browser = residents.Browser()
        n = 0
        while time.perf_counter() < until:
            browser.request("GET", "/healthz")
            n += 1
        done.append(n)

    threads = [threading.Thread(target=ask) for _ in range(count)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - started)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, nargs="+", default=[10, 50, 200])
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()

    harness.prepare_database()
    harness.setup_django()
    from django.db import connection

    from surveys.models import Answer, Response

    with connection.cursor() as cursor:  # the bench database's responses only
        cursor.execute(
            "TRUNCATE surveys_response, surveys_answer, surveys_theme_answers, surveys_exportjob, "
            "surveys_exportrecord, surveys_dashboardcount, surveys_erasurerecord, surveys_withdrawalrequest, "
            "surveys_surveydraft"
        )
    survey, survey_path = residents.make_drill_survey(f"Load drill {int(time.time())}")
    print(f"Machine: {harness.machine()}")
    with harness.gunicorn(SURVEY_RATE_LIMIT="1000000"):
        print(
            f"{args.seconds:.0f} s at each level; a journey is 8 requests "
            "(start, 2 pages x GET and POST, check, send, confirmation)"
        )
        for count in args.residents:
            bare = bare_view_rate(count, min(args.seconds, 5))
            before = set(Response.objects.filter(survey=survey).values_list("reference", flat=True))
            load = Load(survey_path, count, args.seconds)
            elapsed = load.run()
            stored = Response.objects.filter(survey=survey).exclude(reference__in=before)
            references = list(stored.values_list("reference", flat=True))
            answers = Answer.objects.filter(response__in=stored).count()
            confirmed = set(load.confirmed)
            requests = sum(load.statuses.values())
            errors = sum(n for status, n in load.statuses.items() if status >= 500 or status == 0)
            print(
                f"\n== {count} residents: {len(load.confirmed) / elapsed:.1f} journeys/s, "
                f"{requests / elapsed:.0f} requests/s ({requests / elapsed / bare:.2f}x the bare view's {bare:.0f}/s "
                f"with the same client); 5xx or no answer: {errors}"
            )
            print(
                f"   confirmations {len(confirmed)}, responses stored {len(references)}: "
                f"lost {len(confirmed - set(references))}, without a confirmation {len(set(references) - confirmed)}, "
                f"duplicated {len(references) - len(set(references)) + len(load.confirmed) - len(confirmed)}; "
                f"answer rows {answers} ({'three each' if answers == 3 * len(references) else 'NOT three each'})"
            )
            print(f"   {'request':<20}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
            for kind, times in load.times.items():
                print(
                    f"   {kind:<20}{len(times):>7}{statistics.median(times) * 1000:>9.0f}"
                    f"{percentile(times, 0.95):>9.0f}{percentile(times, 0.99):>9.0f}"
                )


if __name__ == "__main__":
    main()
