"""The spreadsheet import at size (docs/performance.md): `bench/import_progress.py`.

Recreates its own database (never the developer's), loads the Oklahoma City data and the
synthetic plan (bench/dataset.py) with its search documents, downloads
/export/recommendations.csv?plan=synthetic, gives each of its first --rows rows a new status
(Evaluation, today, a note), and times the import as the command runs it: the preview (read and
check the file), then saving every new status record at once through record_status_updates in
one transaction, commit included. Then imports the same file again, which must change nothing.
Prints seconds, SQL queries and CPU seconds for each step.
"""

import argparse
import csv
import io
import math
import os
import secrets
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/portal_bench_import"

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument(
    "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
)
parser.add_argument("--rows", type=int, default=5000, help="rows of the file (default 5000)")
parser.add_argument(
    "--updates", type=int, default=50000, help="status records already saved (default 50000)"
)
args = parser.parse_args()

if Path(urllib.parse.urlparse(args.database_url).path).resolve() == ROOT / "db.sqlite3":
    sys.exit("The bench recreates its database: give it one of its own, not db.sqlite3.")

os.environ.update(
    DJANGO_SETTINGS_MODULE="portal.settings",
    DEBUG="false",
    SECRET_KEY=secrets.token_urlsafe(50),
    ALLOWED_HOSTS="testserver",
    DATABASE_URL=args.database_url,
    DATABASE_POOL="false",
    PAGE_CACHE="false",
)
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import dataset  # noqa: E402
from recommendations.models import StatusUpdate  # noqa: E402
from staff.imports import apply, preview_file  # noqa: E402


def recreate_database():
    url = urllib.parse.urlparse(args.database_url)
    if url.scheme.startswith("postgres"):
        import psycopg

        name = url.path.lstrip("/")
        with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as pg:
            pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            pg.execute(f'CREATE DATABASE "{name}"')
    else:
        Path(url.path).unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    call_command("loaddata_if_empty", "okc", verbosity=0)


def edited_file():
    """The synthetic plan's export, its first rows each given a new status record."""
    response = Client().get("/export/recommendations.csv", {"plan": dataset.PLAN_SLUG}, secure=True)
    assert response.status_code == 200, response.status_code
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"), newline="")))
    header, rows = rows[0], rows[1 : args.rows + 1]
    for row in rows:
        for column, value in {
            "status": "Evaluation",
            "progress": "",
            "latest_update_date": timezone.localdate().isoformat(),
            "latest_update_date_precision": "day",
            "latest_update_note": "Evaluated; imported from a spreadsheet by the benchmark.",
        }.items():
            row[header.index(column)] = value
    out = io.StringIO(newline="")
    csv.writer(out).writerows([header, *rows])
    return ("\ufeff" + out.getvalue()).encode(), len(rows)


def timed(step):
    """(result, seconds, SQL queries, seconds in SQL, CPU seconds) of step(); the queries
    counted, not kept. On a shared machine the wall time includes waiting for a core; the CPU
    seconds are this process's own work, whatever the load."""
    count, in_sql = 0, 0.0

    def counter(execute, sql, params, many, context):
        nonlocal count, in_sql
        count += 1
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            in_sql += time.perf_counter() - started

    with connection.execute_wrapper(counter):
        started, cpu = time.perf_counter(), time.process_time()
        result = step()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return result, seconds, count, in_sql, cpu


def main():
    print(f"Bench database: {args.database_url}")
    # The synthetic plan publishes about 95% of its recommendations; make enough for --rows.
    recommendations = math.ceil(args.rows / 0.9)
    recreate_database()
    dataset.build(recommendations=recommendations, updates=args.updates, milestones=0)
    # As a real database has them: the import adds the new notes' words to them.
    call_command("rebuild_search_documents", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would soon after a bulk load
    manager = get_user_model().objects.create(username="bench-manager", is_staff=True)
    data, rows = edited_file()
    print(
        f"{rows} rows ({len(data) / 1e6:.1f} MB), {recommendations} recommendations in the "
        f"plan, {StatusUpdate.objects.count()} status records saved before"
    )

    started = os.getloadavg()[0]
    preview, *preview_figures = timed(lambda: preview_file(data, "bench.csv"))
    assert not preview.problems, preview.problems[:5]
    assert len(preview.new_records) == rows
    result, *apply_figures = timed(lambda: apply(preview, user=manager))
    assert result.records == rows
    again, *again_figures = timed(lambda: preview_file(data, "bench.csv"))
    assert not again.has_changes and not again.problems

    print(f"\n{'step':<40} {'seconds':>8} {'in SQL':>8} {'CPU':>8} {'queries':>8} {'per row':>8}")
    for step, (seconds, queries, in_sql, cpu) in [
        ("preview (read, check, plan)", preview_figures),
        ("apply (one transaction, commit)", apply_figures),
        ("the same file again (nothing to change)", again_figures),
    ]:
        print(
            f"{step:<40} {seconds:>8.1f} {in_sql:>8.1f} {cpu:>8.1f} {queries:>8} "
            f"{queries / rows:>8.3f}"
        )
    total, cpu = preview_figures[0] + apply_figures[0], preview_figures[3] + apply_figures[3]
    print(
        f"\nImport of {rows} rows: {total:.1f} s ({cpu:.1f} s of CPU), "
        f"{1000 * apply_figures[0] / rows:.1f} ms a "
        f"record saved; load average {started:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end ({os.cpu_count()} cores)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
