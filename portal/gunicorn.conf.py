"""Gunicorn settings for production: `gunicorn -c portal/gunicorn.conf.py portal.wsgi`.

Each setting can be changed through the environment (docs/deploy.md). Worker processes use
threads, so a slow client or a large export holds one thread, not a whole process.
"""

import multiprocessing
import os

wsgi_app = "portal.wsgi"
bind = os.environ.get("BIND", "127.0.0.1:8000").split(",")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Keep-alive for the reverse proxy's pooled connections.
keepalive = 5
timeout = 30
graceful_timeout = 30
# Load Django once, before forking: a broken configuration stops the start, not each worker.
preload_app = True
# The reverse proxy's address, whose X-Forwarded-* headers are trusted.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# The JSON request line (portal/request_log.py) is the access log: gunicorn's own would hold
# whole query strings (what a resident searched for). ACCESS_LOG=- turns it back on.
accesslog = os.environ.get("ACCESS_LOG") or None
errorlog = "-"
# Gunicorn's control socket sits at one path per user; several servers on a host would share it.
control_socket_disable = True
