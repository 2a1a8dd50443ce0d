"""Benchmark: the response dashboard and the responses export at 10,000 / 100,000 / 1,000,000 responses.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sel_bench .venv/bin/python bench/dashboard_exports.py
    .venv/bin/python bench/dashboard_exports.py --sizes 10000 100000      # fewer sizes

It uses its own database (created if missing, emptied first: never point it at real data), grows one
synthetic 12-question survey to each size and prints, per size: the dashboard's server time with and
without a filter (median of 5 runs) and its query count; the CSV and XLSX responses exports' rows per
second and peak memory (each in a fresh process, so peak RSS is the export's own); and PostgreSQL
`COPY (the same query) TO STDOUT` of the same rows, as the baseline.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sel_bench")


def setup_django():
    import django

    django.setup()


def prepare_database() -> None:
    """Create the benchmark database if needed, then migrate and empty the survey tables."""
    import psycopg

    from config.database import database_settings

    config = database_settings(os.environ["DATABASE_URL"], ROOT / ".pgdata", 0)
    admin_dsn = (
        f"host={config['HOST'] or 'localhost'} port={config['PORT'] or 5432} user={config['USER']} dbname=postgres"
    )
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
            conn.execute(f'CREATE DATABASE "{config["NAME"]}"')
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_content", stdout=open(os.devnull, "w"))  # noqa: SIM115


def dashboard_figures(survey_id: int, query: str) -> tuple[float, int]:
    from django.contrib.auth.models import User
    from django.db import connection, reset_queries
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from surveys.reporting.views import dashboard

    user = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser("bench", password="x")
    factory = RequestFactory()
    times = []
    queries = 0
    for _ in range(5):
        request = factory.get(f"/admin/dashboards/{survey_id}/", data=dict(p.split("=") for p in query.split("&") if p))
        request.user = user
        request._messages = []  # not used by the dashboard
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = dashboard(request, survey_id)
            response.render() if hasattr(response, "render") else None
            times.append(time.perf_counter() - started)
        queries = len(captured.captured_queries)
    return statistics.median(times), queries


def export_in_child(survey_id: int, kind: str) -> tuple[int, float, float]:
    """Run one export in a fresh process; returns (rows, seconds, peak RSS in MB)."""
    result = subprocess.run(
        [sys.executable, __file__, "--child-export", str(survey_id), kind],
        capture_output=True, text=True, check=True, env=os.environ.copy(),
    )  # fmt: skip
    rows, seconds, peak = result.stdout.split()
    return int(rows), float(seconds), float(peak)


def child_export(survey_id: int, kind: str) -> None:
    setup_django()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.http import QueryDict

    from surveys.models import Survey
    from surveys.reporting import exporters
    from surveys.reporting.filters import ResponseFilter
    from surveys.structure import read_structure

    survey = Survey.objects.get(pk=survey_id)
    structure = read_structure(survey)
    response_filter = ResponseFilter.from_query(survey, QueryDict(""), {})
    user = User.objects.filter(is_superuser=True).first()
    export = exporters.ExportRequest(survey, user, structure, response_filter)
    rows = response_filter.responses().count()
    started = time.perf_counter()
    if kind == "csv":
        size = sum(len(block) for block in exporters.stream_copy_csv(exporters.responses_csv(export)))
        assert size > 0
    elif kind == "xlsx":
        exporters.xlsx_file(exporters.responses_xlsx(export).sheets).close()
    elif kind == "copy":
        sql, params = exporters.responses_query(response_filter, export.columns)
        connection.ensure_connection()
        with (
            connection.connection.cursor() as cursor,
            cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy,
        ):
            for _ in copy:
                pass
    seconds = time.perf_counter() - started
    print(rows, seconds, peak_rss_mb())


def peak_rss_mb() -> float:
    """This process's peak resident memory since it started (VmHWM; ru_maxrss would include the parent's)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--skip-xlsx-above", type=int, default=100_000, help="XLSX is slow: skip it above this size")
    parser.add_argument("--child-export", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_export:
        child_export(int(args.child_export[0]), args.child_export[1])
        return

    prepare_database()
    from django.db import connection

    from consultations.synthetic import create_benchmark_survey
    from partnerships.models import Partnership
    from surveys.synthetic import generate_responses

    survey = create_benchmark_survey(Partnership.objects.get(slug="greenwich"))
    with connection.cursor() as cursor:  # the benchmark database's responses only; fast, unlike .delete()
        cursor.execute("TRUNCATE surveys_response, surveys_answer, surveys_theme_answers, surveys_exportrecord")
    agree = survey.questions.get(identifier="plan_focus")
    age = survey.questions.get(identifier="about_age")
    filtered = f"answer={agree.pk}:agree&answer={agree.pk}:strongly_agree&answer={age.pk}:choice_2&channel=online"
    print(f"PostgreSQL {connection_version()}, Python {sys.version.split()[0]}, {os.cpu_count()} cores")
    have = 0
    for size in sorted(args.sizes):
        started = time.perf_counter()
        generate_responses(survey, size - have)
        have = size
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE surveys_response; ANALYZE surveys_answer;")
        print(f"\n== {size:,} responses (generated in {time.perf_counter() - started:.1f} s)")
        plain_time, plain_queries = dashboard_figures(survey.pk, "")
        filtered_time, filtered_queries = dashboard_figures(survey.pk, filtered)
        print(f"dashboard, no filter:   {plain_time * 1000:8.0f} ms  {plain_queries} queries")
        print(f"dashboard, 3 filters:   {filtered_time * 1000:8.0f} ms  {filtered_queries} queries")
        copy_rows, copy_seconds, copy_peak = export_in_child(survey.pk, "copy")
        print(f"COPY baseline:          {copy_rows / copy_seconds:8.0f} rows/s  peak {copy_peak:.0f} MB")
        rows, seconds, peak = export_in_child(survey.pk, "csv")
        print(f"responses CSV export:   {rows / seconds:8.0f} rows/s  peak {peak:.0f} MB  "
              f"({(rows / seconds) / (copy_rows / copy_seconds):.2f}x COPY)")  # fmt: skip
        if size <= args.skip_xlsx_above:
            rows, seconds, peak = export_in_child(survey.pk, "xlsx")
            print(f"responses XLSX export:  {rows / seconds:8.0f} rows/s  peak {peak:.0f} MB")


def connection_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


if __name__ == "__main__":
    main()
