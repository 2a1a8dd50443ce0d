"""Benchmark: the response dashboard and the export jobs at 10,000 / 100,000 / 1,000,000 responses.

    .venv/bin/python bench/dashboard_exports.py                                  # every size
    .venv/bin/python bench/dashboard_exports.py --sizes 10000 100000 --export-sizes 100000

Everything goes the way a comms lead's browser goes: gunicorn (gunicorn.conf.py, production
settings) behind nginx (apt-get install nginx-light), which sends ready export files itself
(EXPORTS_SENT_BY=nginx). It uses its own database (BENCH_DATABASE_URL, created if missing; its
survey data is emptied first: never point it at real data), grows one synthetic 12-question survey
to each size and prints:

- the dashboard, unfiltered and with 3 filters: the median of 5 HTTP requests, and its queries;
- each export (CSV, Excel) through its job: the request that asks for it, every progress check
  while the background worker (``db_worker``, in a process of its own) makes it, the worker's build
  time and peak memory, and the download; beside a plain ``COPY`` of the survey's raw answer rows,
  the data every export has to read, measured in the same run.
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402

MB = 1024 * 1024


def dashboard_queries(survey_id: int, query: str, cookies: str) -> int:
    """How many SQL queries one dashboard request makes (in this process, with the same settings)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    for pair in cookies.split("; "):
        name, value = pair.split("=", 1)
        client.cookies[name] = value
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/admin/dashboards/{survey_id}/?{query}")
    assert response.status_code == 200, response.status_code
    return len(captured.captured_queries)


def time_dashboard(survey_id: int, query: str, cookies: str) -> float:
    """The median of 5 requests, once every gunicorn worker has made the page once (templates loaded)."""
    for _ in range(8):
        harness.get(f"/admin/dashboards/{survey_id}/?{query}", cookies=cookies)
    times = []
    for _ in range(5):
        answer = harness.get(f"/admin/dashboards/{survey_id}/?{query}", cookies=cookies)
        assert answer.status == 200, answer.status
        times.append(answer.seconds)
    return statistics.median(times)


def copy_raw_answers(survey_id: int) -> tuple[int, float]:
    """A plain COPY of the survey's answer rows, as CSV, read to the end: (rows, seconds)."""
    import psycopg

    statement = (
        "COPY (SELECT a.* FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id "
        "WHERE r.survey_id = %s AND r.status = 'accepted') TO STDOUT WITH (FORMAT csv)"
    )
    with psycopg.connect(harness.DATABASE_URL) as conn, conn.cursor() as cursor:
        started = time.perf_counter()
        with cursor.copy(statement, [survey_id]) as copy:
            for _ in copy:
                pass
        return cursor.rowcount, time.perf_counter() - started


def export_through_the_job(survey_id: int, identifier: str, cookies: str, csrf: str, exports_root: str) -> dict:
    """Ask for an export through nginx, run the worker until it is made, check progress meanwhile, download."""
    from surveys.models import ExportJob

    port = harness.NGINX_PORT
    asked = harness.ask_for_export(survey_id, identifier, cookies, csrf, port=port)
    assert asked.status == 302, (asked.status, asked.body[:500])
    job_path = urllib.parse.urlsplit(asked.headers["location"]).path
    job_id = int(job_path.rstrip("/").rsplit("/", 1)[1])

    worker = subprocess.Popen(
        [harness.PYTHON, str(Path(__file__).resolve().parent / "worker_peak.py")],
        cwd=harness.ROOT,
        env=harness.production_env(EXPORTS_ROOT=exports_root, EXPORTS_SENT_BY="nginx"),
        stdout=subprocess.PIPE,
        text=True,
    )
    checks: list[float] = []
    progress: list[int] = []
    while worker.poll() is None:
        page = harness.get(job_path, port=port, cookies=cookies)
        state = harness.get(job_path + "progress", port=port, cookies=cookies)
        checks += [page.seconds, state.seconds]
        progress.append(int(json.loads(state.body)["percent"] or 0))
        time.sleep(1)
    peak_mb = float(worker.stdout.read().split()[-1])
    job = ExportJob.objects.get(pk=job_id)
    assert job.status == ExportJob.Status.FINISHED, (job.status, job.problem)
    build_seconds = (job.finished_at - job.started_at).total_seconds()

    # The app only checks and answers with X-Accel-Redirect (timed at the app itself), nginx sends the file.
    app_answer = harness.get(job_path + "download", cookies=cookies)
    assert app_answer.status == 200 and "x-accel-redirect" in app_answer.headers
    download = harness.get(job_path + "download", port=port, cookies=cookies)
    assert download.status == 200 and len(download.body) == job.size, (download.status, len(download.body))
    return {
        "rows": job.rows_done,
        "size_mb": job.size / MB,
        "ask_seconds": asked.seconds,
        "build_seconds": build_seconds,
        "peak_mb": peak_mb,
        "slowest_check": max(checks) if checks else 0.0,
        "p95_check": statistics.quantiles(checks, n=20)[-1] if len(checks) > 1 else max(checks, default=0.0),
        "checks": len(checks),
        "progress_seen": sorted(set(progress)),
        "app_download_seconds": app_answer.seconds,
        "download_seconds": download.seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--export-sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--xlsx-sizes", type=int, nargs="*", default=None, help="default: the export sizes")
    args = parser.parse_args()
    xlsx_sizes = args.export_sizes if args.xlsx_sizes is None else args.xlsx_sizes

    harness.prepare_database()
    exports_root = tempfile.mkdtemp(prefix="bench-exports-")
    Path(exports_root).chmod(0o755)  # nginx's workers (another user) read the files
    harness.setup_django(EXPORTS_ROOT=exports_root, EXPORTS_SENT_BY="nginx")
    from django.db import connection

    from consultations.synthetic import create_benchmark_survey
    from partnerships.models import Partnership
    from surveys.synthetic import generate_responses, tidy_tables

    survey = create_benchmark_survey(Partnership.objects.get(slug="greenwich"))
    with connection.cursor() as cursor:  # the bench database's responses only; fast, unlike .delete()
        cursor.execute(
            "TRUNCATE surveys_response, surveys_answer, surveys_theme_answers, surveys_exportjob, "
            "surveys_exportrecord, surveys_dashboardcount, surveys_erasurerecord, surveys_withdrawalrequest"
        )
    agree = survey.questions.get(identifier="plan_focus")
    age = survey.questions.get(identifier="about_age")
    filtered = f"answer={agree.pk}:agree&answer={agree.pk}:strongly_agree&answer={age.pk}:choice_2&channel=online"
    cookies, csrf = harness.staff_cookies()

    print(f"Machine: {harness.machine()}", flush=True)
    with harness.gunicorn(EXPORTS_ROOT=exports_root, EXPORTS_SENT_BY="nginx"), harness.nginx(exports_root):
        have = 0
        for size in sorted(args.sizes):
            started = time.perf_counter()
            generate_responses(survey, size - have)
            tidy_tables()
            have = size
            print(f"\n== {size:,} responses (generated and counted in {time.perf_counter() - started:.0f} s)")
            plain = time_dashboard(survey.pk, "", cookies)
            narrowed = time_dashboard(survey.pk, filtered, cookies)
            queries = dashboard_queries(survey.pk, "", cookies), dashboard_queries(survey.pk, filtered, cookies)
            print(f"dashboard, no filter:  {plain * 1000:7.0f} ms   {queries[0]} queries")
            print(f"dashboard, 3 filters:  {narrowed * 1000:7.0f} ms   {queries[1]} queries")
            if size not in args.export_sizes:
                continue
            answer_rows, copy_seconds = copy_raw_answers(survey.pk)
            print(f"COPY of the raw answer rows: {answer_rows:,} rows in {copy_seconds:.1f} s (the baseline)")
            for identifier in ["responses.csv", "responses.xlsx"]:
                if identifier.endswith("xlsx") and size not in xlsx_sizes:
                    continue
                result = export_through_the_job(survey.pk, identifier, cookies, csrf, exports_root)
                versus = copy_seconds / result["build_seconds"]
                print(
                    f"{identifier:<15} {result['rows']:,} rows, {result['size_mb']:.0f} MB: built in "
                    f"{result['build_seconds']:.1f} s ({result['rows'] / result['build_seconds']:,.0f} rows/s, "
                    f"{versus:.2f}x the COPY), worker peak {result['peak_mb']:.0f} MB"
                )
                print(
                    f"{'':<15} asking {result['ask_seconds'] * 1000:.0f} ms; {result['checks']} progress checks: "
                    f"95% under {result['p95_check'] * 1000:.0f} ms, slowest {result['slowest_check'] * 1000:.0f} ms "
                    f"(saw {len(result['progress_seen'])} different percentages); download: "
                    f"app {result['app_download_seconds'] * 1000:.0f} ms, nginx sent the file in "
                    f"{result['download_seconds']:.1f} s"
                )


if __name__ == "__main__":
    main()
