"""Benchmark: the backup and restore drill, on a database with 100,000 responses.

    .venv/bin/python bench/backup_restore.py                  # 100,000 responses
    .venv/bin/python bench/backup_restore.py --responses 1000000

It fills the bench database (BENCH_DATABASE_URL, default sel_bench on 127.0.0.1:5432; its survey data
is replaced) with synthetic responses, backs it up with ``pg_dump --format=custom``, restores the dump
into a new, empty database with ``pg_restore --jobs=2``, and compares the two: the rows of every table,
and a checksum of every response and answer row. It prints the seconds each step took and the dump's
size, on the machine named. The procedure is in docs/deploy.md.
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402

RESTORED = "sel_bench_restored"
# Every row of these, in id order, as text: equal checksums mean the same rows, field for field.
CHECKSUMS = {
    "surveys_response": "SELECT md5(string_agg(r::text, '|' ORDER BY r.id)) FROM surveys_response r",
    "surveys_answer": "SELECT md5(string_agg(a::text, '|' ORDER BY a.id)) FROM surveys_answer a",
    "surveys_dashboardcount": "SELECT md5(string_agg(c::text, '|' ORDER BY c.id)) FROM surveys_dashboardcount c",
}


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} is needed: apt-get install postgresql-client")
    return found


def fingerprint(dsn: str) -> dict[str, object]:
    """Rows in every table of the public schema, and the checksums."""
    import psycopg

    found: dict[str, object] = {}
    with psycopg.connect(dsn) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).fetchall()
        ]
        for table in tables:
            found[f"rows in {table}"] = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
        for table, sql in CHECKSUMS.items():
            found[f"checksum of {table}"] = conn.execute(sql).fetchone()[0]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    args = parser.parse_args()

    harness.prepare_database()
    harness.setup_django()
    from django.db import connection

    from consultations.synthetic import create_benchmark_survey
    from partnerships.models import Partnership
    from surveys.synthetic import generate_responses, tidy_tables

    survey = create_benchmark_survey(Partnership.objects.get(slug="greenwich"))
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE surveys_response, surveys_answer, surveys_theme_answers, surveys_exportjob, "
            "surveys_exportrecord, surveys_dashboardcount, surveys_erasurerecord, surveys_withdrawalrequest"
        )
    generate_responses(survey, args.responses)
    tidy_tables()
    connection.close()
    print(f"Machine: {harness.machine()}")

    source = harness.DATABASE_URL
    restored = source.rsplit("/", 1)[0] + f"/{RESTORED}"
    admin = source.rsplit("/", 1)[0] + "/postgres"
    folder = Path(tempfile.mkdtemp(prefix="bench-backup-"))
    dump = folder / "sel.dump"
    try:
        started = time.perf_counter()
        subprocess.run([tool("pg_dump"), "--format=custom", "--file", str(dump), source], check=True)
        dump_seconds = time.perf_counter() - started

        import psycopg

        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{RESTORED}"')
            conn.execute(f'CREATE DATABASE "{RESTORED}"')
        started = time.perf_counter()
        subprocess.run(
            [tool("pg_restore"), "--jobs=2", "--no-owner", "--exit-on-error", "--dbname", restored, str(dump)],
            check=True,
        )
        restore_seconds = time.perf_counter() - started

        before, after = fingerprint(source), fingerprint(restored)
        differ = [key for key in before if before[key] != after.get(key)]
        tables = sum(1 for key in before if key.startswith("rows in"))
        print(f"{args.responses:,} responses, {before['rows in surveys_answer']:,} answer rows, {tables} tables")
        print(f"pg_dump (custom format):   {dump_seconds:6.1f} s, {dump.stat().st_size / 1024 / 1024:,.0f} MB")
        print(f"pg_restore (2 jobs):       {restore_seconds:6.1f} s into a new database")
        print(
            f"compared: rows of {tables} tables and checksums of {len(CHECKSUMS)}: "
            + ("all equal" if not differ else f"DIFFERENT: {', '.join(differ)}")
        )
        if differ:
            raise SystemExit(1)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{RESTORED}"')


if __name__ == "__main__":
    main()
