"""Prints each public page's weight (its HTML and the stylesheets it links, raw and gzipped)
and its SQL query count, with the Oklahoma City data in a throwaway SQLite database.

    .venv/bin/python bench/page_weight.py
"""

import gzip
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.staticfiles import finders  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

PAGES = [
    "/",
    "/recommendations/",
    "/plans/okc-2022/recommendations/2/",
    "/topics/",
    "/timeline/",
    "/about/",
]


def kb(data):
    return f"{len(data) / 1024:6.1f} kB ({len(gzip.compress(data)) / 1024:5.1f} kB gzipped)"


def main():
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("loaddata_if_empty", "okc", verbosity=0)
    client = Client()
    for path in PAGES:
        with CaptureQueriesContext(connection) as queries:
            html = client.get(path).content
        print(f"{path:24} HTML {kb(html)}  {len(queries):2} queries")
    home = client.get("/").content.decode()
    for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', home):
        css = Path(finders.find(href.removeprefix("/static/"))).read_bytes()
        print(f"{href:24} CSS  {kb(css)}")
    print("Images, fonts and scripts on /:", len(re.findall(r"<(?:img|script)\b", home)))


if __name__ == "__main__":
    main()
