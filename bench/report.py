"""Times the progress report, HTML and PDF (docs/exports.md): `.venv/bin/python bench/report.py`.

Recreates its own PostgreSQL database (never the developer's), loads the Oklahoma City data and
renders /report/ and /report.pdf for its plan in this process (page cache off, no rate limit);
then adds the synthetic plan of bench/dataset.py (5,000 recommendations by default) and renders
both for that plan. For each it prints the server time (median of --repeat renders), the size,
the PDF's pages, and the peak memory: Python's allocations during one render (tracemalloc, in a
render of its own, as tracing slows it) and the process's resident high-water mark after it.
The load average is printed too: on a shared machine the times vary with it.
"""

import argparse
import io
import os
import resource
import secrets
import statistics
import sys
import tempfile
import time
import tracemalloc
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/portal_bench_report"

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument(
    "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
)
parser.add_argument("--recommendations", type=int, default=5000, help="the large size")
parser.add_argument("--updates", type=int, default=50000)
parser.add_argument("--milestones", type=int, default=1000)
parser.add_argument("--repeat", type=int, default=3, help="timed renders per address")
parser.add_argument("--skip-large-pdf", action="store_true", help="the large PDF takes minutes")
args = parser.parse_args()

if not args.database_url.startswith("postgres"):
    sys.exit("The report bench runs on PostgreSQL: give --database-url postgres://...")

os.environ.update(
    DJANGO_SETTINGS_MODULE="portal.settings",
    DEBUG="false",
    SECRET_KEY=secrets.token_urlsafe(50),
    ALLOWED_HOSTS="testserver",
    DATABASE_URL=args.database_url,
    RELEASE="bench",
    ACCESS_LOG="",
    PAGE_CACHE="false",
    EXPENSIVE_REQUESTS_PER_MINUTE="0",
    STATIC_ROOT=tempfile.mkdtemp(prefix="bench-report-static-"),
)
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from bench import dataset  # noqa: E402

MAIN_PLAN = "okc-2022"


def recreate_database():
    url = urllib.parse.urlparse(args.database_url)
    name = url.path.lstrip("/")
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as pg:
        pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        pg.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)
    call_command("loaddata_if_empty", "okc", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: hashed names


def megabytes(kilobytes):
    return f"{kilobytes / 1024:7.1f} MB"


def measure(client, path, repeat, *, trace=True):
    """(median ms, bytes, pages or None, traced peak kB or 0, resident high-water kB)."""
    durations = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path, secure=True)
        durations.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    peak = 0
    if trace:
        tracemalloc.start()
        client.get(path, secure=True)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    pages = None
    if response["Content-Type"] == "application/pdf":
        pages = len(PdfReader(io.BytesIO(response.content)).pages)
    resident = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    return statistics.median(durations), len(response.content), pages, peak / 1024, resident


def report(label, plan, *, pdf=True, repeat=args.repeat):
    client = Client()
    paths = [f"/report/?plan={plan}"] + ([f"/report.pdf?plan={plan}"] if pdf else [])
    for path in paths:
        ms, size, pages, traced, resident = measure(client, path, repeat)
        shown = f"{pages:5} pages" if pages else " " * 11
        print(
            f"{label:34} {path:34} {ms:9.0f} ms  {size / 1024:8.0f} kB {shown}"
            f"  peak traced {megabytes(traced)}  resident {megabytes(resident)}",
            flush=True,
        )


def main():
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores", flush=True)
    recreate_database()
    report("Oklahoma City (39 recommendations)", MAIN_PLAN)
    started = time.perf_counter()
    dataset.build(
        recommendations=args.recommendations, updates=args.updates, milestones=args.milestones
    )
    print(f"(synthetic plan built in {time.perf_counter() - started:.0f} s)", flush=True)
    label = f"Synthetic ({args.recommendations} recommendations)"
    report(label, dataset.PLAN_SLUG, pdf=False)
    if not args.skip_large_pdf:
        # One render, untraced: it takes minutes (the resident high-water mark still shows).
        client = Client()
        path = f"/report.pdf?plan={dataset.PLAN_SLUG}"
        ms, size, pages, _traced, resident = measure(client, path, 1, trace=False)
        print(
            f"{label:34} {path:34} {ms:9.0f} ms  {size / 1024:8.0f} kB {pages:5} pages"
            f"  peak traced      n/a  resident {megabytes(resident)}",
            flush=True,
        )
    print(f"load average {os.getloadavg()[0]:.2f}", flush=True)


if __name__ == "__main__":
    main()
