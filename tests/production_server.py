"""The portal as production runs it, for tests: gunicorn with portal/gunicorn.conf.py and
DEBUG off, on a SQLite file of its own holding the Oklahoma City data, with collected static
files. One server per test session, started by the first test that asks for it."""

import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.core.management.utils import get_random_secret_key

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
# What a developer's shell or the browser tests' conftest put in the environment, which must
# not leak into the production server.
LOCAL_SETTINGS = {
    "DATABASE_URL",
    "REDIS_URL",
    "PAGE_CACHE",
    "STATIC_ROOT",
    "SECRET_KEY",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def production_env(workdir, **overrides):
    env = {k: v for k, v in os.environ.items() if k not in LOCAL_SETTINGS}
    env.update(
        DEBUG="false",
        SECRET_KEY=get_random_secret_key(),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{workdir}/db.sqlite3",
        STATIC_ROOT=str(Path(workdir) / "static"),
        RELEASE="test",
        ACCESS_LOG="",
        WEB_CONCURRENCY="2",
        GUNICORN_THREADS="2",
    )
    env.update(overrides)
    return env


def manage(env, *args):
    return subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


class ProductionServer:
    def __init__(self):
        self.workdir = Path(tempfile.mkdtemp(prefix="portal-production-"))
        self.env = production_env(self.workdir)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.host = f"127.0.0.1:{self.port}"

    def manage(self, *args):
        result = manage(self.env, *args)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def start(self):
        self.manage("migrate", "--no-input")
        self.manage("loaddata_if_empty", "okc")
        self.manage("collectstatic", "--no-input")
        self.log = (self.workdir / "gunicorn.log").open("w")
        self.process = subprocess.Popen(  # noqa: S603 (the venv's gunicorn)
            [GUNICORN, "-c", "portal/gunicorn.conf.py", "--bind", self.host],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if self.get("/healthz", https=False)[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError((self.workdir / "gunicorn.log").read_text())

    def get(self, path, headers=None, https=True):
        return self.request("GET", path, headers=headers, https=https)

    def request(self, method, path, headers=None, body=None, https=True):
        """(status, headers, body); `https` says the reverse proxy received it over TLS."""
        headers = {"Host": self.host, **(headers or {})}
        if https:
            headers["X-Forwarded-Proto"] = "https"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def stop(self):
        if getattr(self, "process", None):
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.log.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


_server = None


def running(config):
    """The session's production server; it stops when the test session ends."""
    global _server
    if _server is None:
        server = ProductionServer()
        config.add_cleanup(server.stop)
        server.start()
        _server = server
    return _server
