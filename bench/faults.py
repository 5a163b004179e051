"""Faults under load (docs/performance.md, "Faults"): `.venv/bin/python bench/faults.py`.

Runs the production server (gunicorn with portal/gunicorn.conf.py, DEBUG off, 2 workers x 4
threads, the connection pool, the page cache in Redis) on a PostgreSQL database of its own,
`portal_bench_faults` (recreated), reached through a TCP relay this script can cut, and a Redis
of its own on a private port; loads it steadily, and in turn:

1. freezes Redis (SIGSTOP) while a recommendation is unpublished, then lets it go on (SIGCONT):
   it comes back holding the old version, the issue's case;
2. stops Redis while a recommendation is unpublished, then starts an empty one;
3. pauses Redis's writes only (CLIENT PAUSE WRITE) while a recommendation is unpublished: reads
   still answer, with the old version (each server process checks writes once a second);
4. cuts the database connection: open connections closed, new ones refused;
5. cuts it with new connections left hanging, as a database host that does not answer.

This process plays the admin server that saves (its own Django, straight to PostgreSQL). For
each fault it prints the requests by outcome, the errors, the leaks (the unpublished
recommendation served after its unpublish committed; server database connections, memory and
open files after recovery against before) and the recovery time.
"""

import argparse
import collections
import contextlib
import http.client
import itertools
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/portal_bench_faults"
APPLICATION_NAME = "portal-bench-faults"  # the servers' connections, in pg_stat_activity
PROXY = {"X-Forwarded-Proto": "https"}
MAIN_PLAN = "okc-2022"

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument(
    "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
)
parser.add_argument("--seconds", type=float, default=8, help="each fault lasts this long (8)")
parser.add_argument("--connections", type=int, default=16, help="load connections (16)")
args = parser.parse_args()

database = urllib.parse.urlparse(args.database_url)
if not database.scheme.startswith("postgres"):
    sys.exit("The fault bench needs PostgreSQL (it cuts the connection to it).")

RESULTS.mkdir(parents=True, exist_ok=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


REDIS_PORT = free_port()
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "portal.settings",
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "127.0.0.1",
    "REDIS_URL": REDIS_URL,
    "STATIC_ROOT": str(RESULTS / "faults-static"),
    "RELEASE": "faults",
    "ACCESS_LOG": "",
    "PAGE_CACHE": "true",
    "DATABASE_URL": args.database_url,
}
os.environ.update(ENV, LOG_LEVEL="ERROR")  # this process's log: errors only
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.core.management import call_command  # noqa: E402

from portal.caching import renew_in_background  # noqa: E402
from recommendations.models import Recommendation  # noqa: E402

# This process saves as an admin server would: when its version write fails, it retries.
renew_in_background()


# --- What the script controls: Redis, the relay to PostgreSQL, the server ---


class Redis:
    def __init__(self):
        self.process = None
        self.start()

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 (redis-server on loopback)
            ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1"]  # noqa: S607
            + ["--save", "", "--appendonly", "no", "--dir", str(RESULTS)],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not self.command("PING"):
            if time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    def freeze(self):
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)

    def command(self, *words):
        import redis

        try:
            return redis.Redis(port=REDIS_PORT, socket_timeout=2).execute_command(*words)
        except redis.RedisError:
            return None


class Relay:
    """A TCP relay to PostgreSQL that can cut every connection, refuse new ones or leave them
    hanging (accepted, never answered), and come back on the same port."""

    def __init__(self, host, port):
        self.upstream = (host, port)
        self.port = free_port()
        self.lock = threading.Lock()
        self.sockets = []
        self.hanging = False
        self.listener = None
        self.listen()

    def listen(self):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(128)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed
            with self.lock:
                self.sockets.append(client)
                if self.hanging:
                    continue  # held open, never answered
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets.append(server)
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for s in (source, sink):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)

    def cut(self, hang):
        """Close every connection; refuse new ones, or (hang) accept them and never answer."""
        with self.lock:
            self.hanging = hang
            if not hang:  # shutdown() wakes the accept() blocked on it; close() alone does not
                with contextlib.suppress(OSError):
                    self.listener.shutdown(socket.SHUT_RDWR)
                self.listener.close()
            for s in self.sockets:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
            self.sockets = []

    def restore(self):
        with self.lock:
            hanging, self.hanging = self.hanging, False
            for s in self.sockets:  # the connections left hanging
                s.close()
            self.sockets = []
        if hanging:
            return  # still listening
        self.listen()


class Server:
    def __init__(self, relay_port):
        query = urllib.parse.urlencode({"application_name": APPLICATION_NAME})
        url = database._replace(netloc=f"{database.username or 'postgres'}@127.0.0.1:{relay_port}")
        self.port = free_port()
        self.log = (RESULTS / "faults-gunicorn.log").open("w")
        self.process = subprocess.Popen(  # noqa: S603 (the venv's gunicorn, on loopback)
            [str(Path(sys.executable).with_name("gunicorn")), "-c", "portal/gunicorn.conf.py"]
            + ["--bind", f"127.0.0.1:{self.port}"],
            cwd=ROOT,
            env={
                **ENV,
                "DATABASE_URL": url._replace(query=query).geturl(),
                "WEB_CONCURRENCY": "2",
                "GUNICORN_THREADS": "4",
            },
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while get(self.port, "/healthz")[0] != 200:
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start; see bench/results/faults-gunicorn.log")
            time.sleep(0.2)

    def workers(self):
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    pids.append(int(entry.name))
        return pids

    def footprint(self):
        """(resident MB, open files) of the worker processes together."""
        memory = files = 0
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                memory += int(
                    next(x for x in status.splitlines() if x.startswith("VmRSS")).split()[1]
                )
                files += len(os.listdir(f"/proc/{pid}/fd"))
            except (OSError, StopIteration):
                pass
        return memory / 1024, files

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def get(port, path, connection=None):
    """(status, X-Page-Cache, seconds); status None for no answer (refused, reset, timeout)."""
    started = time.monotonic()
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", **PROXY})
        response = connection.getresponse()
        response.read()
        return response.status, response.headers.get("X-Page-Cache"), time.monotonic() - started
    except (OSError, http.client.HTTPException):
        connection.close()
        return None, None, time.monotonic() - started
    finally:
        if own:
            connection.close()


# --- Load ---


@dataclass
class Record:
    at: float
    kind: str
    status: int | None
    cache: str | None
    seconds: float


class Load:
    """Steady load: each connection cycles through the kinds of request."""

    def __init__(self, port, watched):
        self.port, self.records, self.stop = port, [], threading.Event()
        words = itertools.count()
        self.paths = [
            ("cached", lambda: "/"),
            ("cached", lambda: "/recommendations/"),
            ("watched", lambda: watched),
            # A search of a word never asked before: rendered from the database every time.
            ("rendered", lambda: f"/recommendations/?q=w{next(words)}"),
            ("static", lambda: "/static/css/portal.css"),
            ("api", lambda: "/api/v1/summary"),
            ("healthz", lambda: "/healthz"),
        ]
        self.threads = [
            threading.Thread(target=self._run, args=(i,), daemon=True)
            for i in range(args.connections)
        ]
        for thread in self.threads:
            thread.start()

    def _run(self, offset):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        for kind, path in itertools.islice(itertools.cycle(self.paths), offset, None):
            if self.stop.is_set():
                break
            at = time.monotonic()
            status, cache, seconds = get(self.port, path(), connection)
            self.records.append(Record(at, kind, status, cache, seconds))
            if status is None:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                time.sleep(0.05)

    def between(self, start, end):
        return [r for r in self.records if start <= r.at < end]

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=40)


# --- Faults ---


def server_connections():
    with psycopg.connect(admin_url(), autocommit=True) as pg:
        return pg.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
            [APPLICATION_NAME],
        ).fetchone()[0]


def admin_url():
    return database._replace(path="/postgres").geturl()


def set_published(rec, published):
    rec.refresh_from_db()
    rec.is_published = published
    rec.save()  # commits (autocommit), then bumps the version: retried while it fails


def run_fault(name, server, load, rec, watched, fault, restore, unpublish):
    """One fault: a quiet second, the fault (and the unpublish, when asked), the recovery."""
    before_footprint, before_connections = server.footprint(), server_connections()
    quiet = time.monotonic()
    time.sleep(2)
    started = time.monotonic()
    fault()
    unpublished_at = None
    if unpublish:
        time.sleep(1)
        set_published(rec, False)
        unpublished_at = time.monotonic()
    time.sleep(max(0.0, started + args.seconds - time.monotonic()))
    restore()
    restored = time.monotonic()
    time.sleep(8)
    ended = time.monotonic()
    if unpublish:
        set_published(rec, True)
        deadline = time.monotonic() + 20
        while get(server.port, watched)[0] != 200 and time.monotonic() < deadline:
            time.sleep(0.2)
    after_footprint, after_connections = server.footprint(), server_connections()
    report(
        name,
        load,
        quiet,
        started,
        restored,
        ended,
        unpublished_at,
        (before_connections, after_connections),
        (before_footprint, after_footprint),
    )


def report(name, load, quiet, started, restored, ended, unpublished_at, connections, footprint):
    during, after = load.between(started, restored), load.between(restored, ended)
    baseline = [r.seconds for r in load.between(quiet, started) if r.kind == "static"]

    def outcomes(records):
        counts = collections.Counter(
            f"{r.kind} {r.status or 'no answer'}" for r in records if r.kind != "watched"
        )
        return ", ".join(f"{key}: {n}" for key, n in sorted(counts.items()))

    errors = [r for r in during + after if r.status is None or r.status == 500]
    # Answers begun after the unpublish committed and finished before the republish.
    leaks = [
        r
        for r in load.between(unpublished_at or ended, ended)
        if unpublished_at and r.kind == "watched" and r.status == 200
        and r.at + r.seconds < ended
    ]  # fmt: skip
    static = [r.seconds for r in during if r.kind == "static" and r.status == 200]
    health = [r.seconds for r in during if r.kind == "healthz"]
    rendered = [r.seconds for r in during if r.kind in ("rendered", "api") and r.status]

    def first(records, test):
        found = next((r for r in records if test(r)), None)
        return f"{found.at + found.seconds - restored:.1f} s" if found else "not within 8 s"

    print(f"\n== {name} ({args.seconds:.0f} s)")
    print(f"  during: {outcomes(during)}")
    print(f"  after:  {outcomes(after)}")
    print(f"  errors (500 or no answer): {len(errors)}")
    if unpublished_at:
        when = ", ".join(
            f"+{r.at - unpublished_at:.2f} s ({r.cache or 'uncached'})" for r in leaks[:5]
        )
        print(
            f"  leaks: the unpublished recommendation served {len(leaks)} times after it was"
            + (f": {when}" if leaks else "")
        )
    if static:
        print(
            f"  static file during the fault: max {max(static) * 1000:.0f} ms "
            f"(in the 2 s before: max {max(baseline, default=0) * 1000:.0f} ms)"
        )
    if health:
        print(f"  /healthz during the fault: max {max(health):.1f} s")
    if rendered:
        print(f"  rendered pages and API during the fault: max {max(rendered):.1f} s")
    print(
        "  recovery: a page from the database "
        + first(after, lambda r: r.kind == "rendered" and r.status == 200)
        + ", a page from the cache "
        + first(after, lambda r: r.kind == "cached" and r.cache == "hit")
        + ", /healthz "
        + first(after, lambda r: r.kind == "healthz" and r.status == 200)
    )
    (memory_before, files_before), (memory_after, files_after) = footprint
    print(
        f"  server database connections: {connections[0]} before, {connections[1]} after "
        "(the pools hold 2 to 8 each, 2 workers); "
        f"workers: {memory_before:.0f} -> {memory_after:.0f} MB, "
        f"{files_before} -> {files_after} open files"
    )


def recreate_database():
    name = database.path.lstrip("/")
    with psycopg.connect(admin_url(), autocommit=True) as pg:
        pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        pg.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)
    call_command("loaddata_if_empty", "okc", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def main():
    started = time.monotonic()
    print(f"Bench database: {args.database_url}; Redis on port {REDIS_PORT}")
    redis_server = Redis()
    recreate_database()
    relay = Relay(database.hostname or "127.0.0.1", database.port or 5432)
    server = Server(relay.port)
    rec = Recommendation.objects.published().select_related("plan").order_by("pk").first()
    watched = rec.get_absolute_url()
    load = Load(server.port, watched)
    try:
        time.sleep(3)  # warm: every worker has the pages
        pause_ms = str(int(args.seconds * 1000))
        faults = [
            ("1. Redis frozen (SIGSTOP), unpublish, thawed", redis_server.freeze,
             redis_server.thaw, True),
            ("2. Redis stopped, unpublish, started empty", redis_server.stop,
             redis_server.start, True),
            ("3. Redis writes paused (reads still answer), unpublish, unpaused",
             lambda: redis_server.command("CLIENT", "PAUSE", pause_ms, "WRITE"),
             lambda: redis_server.command("CLIENT", "UNPAUSE"), True),
            ("4. Database connection cut, new ones refused",
             lambda: relay.cut(hang=False), relay.restore, False),
            ("5. Database connection cut, new ones hanging",
             lambda: relay.cut(hang=True), relay.restore, False),
        ]  # fmt: skip
        for name, fault, restore, unpublish in faults:
            run_fault(name, server, load, rec, watched, fault, restore, unpublish)
    finally:
        load.finish()
        server.stop()
        redis_server.stop()
    print(f"\nBench time: {time.monotonic() - started:.0f} s")
    shutil.rmtree(RESULTS / "faults-static", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
