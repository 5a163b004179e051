"""The weekly update screen at scale (docs/performance.md): `bench/weekly_update.py`.

Recreates its own database (PostgreSQL `portal_bench_weekly` unless --database-url says
otherwise), loads the Oklahoma City data and the synthetic plan (5,000 recommendations by
default), then, signed in as the implementation manager, times the screen's first and last
pages and a submit that saves a whole page (50 new status records): server time and SQL
queries, the median of several runs.
"""

import argparse
import os
import secrets
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument(
    "--database-url",
    default=os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_weekly"
    ),
)
parser.add_argument("--recommendations", type=int, default=5000)
parser.add_argument("--updates", type=int, default=20000)
parser.add_argument("--runs", type=int, default=5)
args = parser.parse_args()
if Path(urllib.parse.urlparse(args.database_url).path).resolve() == ROOT / "db.sqlite3":
    sys.exit("The bench recreates its database: give it one of its own, not db.sqlite3.")

os.environ.update(
    DJANGO_SETTINGS_MODULE="portal.settings",
    DEBUG="false",
    SECRET_KEY=secrets.token_urlsafe(50),
    ALLOWED_HOSTS="testserver",
    DATABASE_URL=args.database_url,
    SECURE_SSL_REDIRECT="false",
    PAGE_CACHE="false",
    STATIC_ROOT=str(ROOT / "bench" / "results" / "static"),
)
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench import dataset  # noqa: E402
from recommendations.models import Recommendation, Status, StatusUpdate  # noqa: E402
from staff.weekly import PAGE_SIZE  # noqa: E402
from tests.admin_forms import form_data  # noqa: E402


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


def timed(request):
    """(median milliseconds, queries of the last run) of `request()` over args.runs runs."""
    times = []
    for _ in range(args.runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = request()
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code in (200, 302), response.status_code
    return statistics.median(times), len(queries), response


def main():
    print(f"Bench database: {args.database_url}")
    recreate_database()
    # DEBUG is off: pages name their static files from the manifest collectstatic writes.
    call_command("collectstatic", interactive=False, verbosity=0)
    dataset.build(recommendations=args.recommendations, updates=args.updates, milestones=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    os.environ["MANAGER_PASSWORD"] = secrets.token_urlsafe(16)
    call_command("create_manager", "bench-manager", email="bench@example.org", interactive=False)
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-manager"))
    url = reverse("staff:weekly-update")
    size = Recommendation.objects.filter(plan__slug=dataset.PLAN_SLUG).count()
    last = -(-size // PAGE_SIZE)
    print(f"Synthetic plan: {size} recommendations, {PAGE_SIZE} a page ({last} pages)")
    for label, query in (("first page", {}), ("last page", {"page": last})):
        ms, queries, _ = timed(lambda q=query: client.get(url, {"plan": dataset.PLAN_SLUG, **q}))
        print(f"  GET {label:<11} {ms:8.1f} ms  {queries:3d} queries")

    planning = Status.objects.get(slug="planning")
    before = StatusUpdate.objects.count()
    times, counts = [], []
    for run in range(args.runs):
        page = client.get(url, {"plan": dataset.PLAN_SLUG, "page": run + 1})
        data = form_data(page)
        for index in range(PAGE_SIZE):
            data[f"rows-{index}-status"] = str(planning.pk)
            data[f"rows-{index}-note"] = f"Bench run {run}."
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.post(f"{url}?plan={dataset.PLAN_SLUG}&page={run + 1}", data)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 302, response.content[:2000]
        counts.append(len(queries))
    saved = StatusUpdate.objects.count() - before
    print(
        f"  POST {PAGE_SIZE} rows   {statistics.median(times):8.1f} ms  "
        f"{statistics.median(counts):.0f} queries ({saved} records saved in {args.runs} runs)"
    )


main()
