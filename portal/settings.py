"""Settings for the progress portal.

One module, driven by environment variables. The defaults are for development on one machine
(SQLite file, DEBUG on); production sets DEBUG=False and must then provide a real SECRET_KEY.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.text import capfirst
from psycopg_pool import ConnectionPool

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Ours, bottom first: each app imports only from the apps above it in this list.
    "core",
    "plans",
    "recommendations",
    "milestones",
    "search",
    "feedback",
    "subscriptions",
    "exports",
    "pages",
    "accounts",
    "staff",
    # Connects the signals that keep the public page cache fresh (portal/caching.py).
    "portal",
]

MIDDLEWARE = [
    # First: every request gets its id and its one JSON log line (portal/request_log.py).
    "portal.request_log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # A NUL character in the query or a cookie: 400 before anything reads it.
    "portal.middleware.RequestHygieneMiddleware",
    # Before sessions and auth: a cached page costs no session or user lookup.
    "portal.caching.PublicPageCacheMiddleware",
    # What reaches a view: 503 at once while the database is down, a limit on expensive
    # exports, JSON errors for the API.
    "portal.middleware.RenderGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language comes from the URL alone: /es/... Spanish, anything else English.
    "portal.locale.PathLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Staff: the second factor (accounts/), after the password, before any admin page.
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the acting user on every history row written during a request.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Turns a refused sign-in (too many failures) into the lockout page; keep it last.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses sign-in attempts while a username is locked out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pages.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Production keeps each server thread's connection open, checked before reuse; the
        # development server starts a thread per request, so there it is closed each time.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0" if DEBUG else "60")),
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_POOL", not DEBUG
):
    # Production on PostgreSQL uses Django's psycopg connection pool (one per server process)
    # instead of persistent connections; the pool checks a connection before lending it.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN", "2")),
        "max_size": int(os.environ.get("DATABASE_POOL_MAX", "8")),
        "check": ConnectionPool.check_connection,
        # Seconds a request waits for a connection (psycopg_pool's 30 held every thread while
        # the database was down); then it gets the 503 page (portal/middleware.py).
        "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "2")),
        # A failing run of reconnection attempts stops after 5 s (psycopg_pool backs off up to
        # 5 minutes) and the next request starts a new one: back within seconds of the database.
        "reconnect_timeout": 5,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that does not answer fails a new connection after this many seconds
    # (libpq waits as long as the network does; 2 is its least).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "2"))
    )

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writing transactions take the write lock at BEGIN, so two admin saves run one after the
    # other and the second sees the first (the version check); PostgreSQL locks the row.
    # WAL lets pages read while a save writes; a save waits up to SQLITE_BUSY_TIMEOUT seconds
    # for the one before it rather than failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        timeout=float(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
        init_command="PRAGMA journal_mode=WAL",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Staff sign-in: after 5 failed attempts for a username from one address, that pair is
# refused for 15 minutes (django-axes; the attempts are kept in the database). Sessions end
# after an hour without a request.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# A right password alone no longer clears the count: accounts/ clears it when the sign-in is
# complete (after the second step, where one is asked for), so wrong codes add up too.
AXES_RESET_ON_SUCCESS = False
# Masked in the stored attempts and axes' log lines, as the password is: a code typed wrong may
# differ from the right one by one character.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "token"]
AXES_LOCKOUT_CALLABLE = "staff.views.locked_out"
# Failed attempts are rows in the database, so each test (rolled back or flushed) starts clean.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_MINUTES", "60")) * 60
SESSION_SAVE_EVERY_REQUEST = True

# --- Staff accounts (accounts/, docs/deploy.md "Staff accounts") ---
# Who must confirm each sign-in with a code from an authenticator app (TOTP) or a backup code:
# "all" staff, only "superusers", or "off" (development only: never with DEBUG off).
STAFF_SECOND_FACTOR = os.environ.get("STAFF_SECOND_FACTOR", "off" if DEBUG else "all")
if STAFF_SECOND_FACTOR not in {"all", "superusers", "off"}:
    raise ImproperlyConfigured('STAFF_SECOND_FACTOR: "all", "superusers" or "off".')
if STAFF_SECOND_FACTOR == "off" and not DEBUG:
    raise ImproperlyConfigured("STAFF_SECOND_FACTOR cannot be off when DEBUG is off.")
# The name authenticator apps show next to the account.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Progress portal")
# An enrolment not confirmed with a code within this many minutes starts again.
SECOND_FACTOR_ENROLMENT_MINUTES = 10
# /.well-known/security.txt (RFC 9116): where to report a vulnerability (else the city's
# contact email), and how many days ahead its Expires: date lies.
SECURITY_CONTACT = os.environ.get("SECURITY_CONTACT", "")
SECURITY_TXT_EXPIRES_DAYS = int(os.environ.get("SECURITY_TXT_EXPIRES_DAYS", "365"))
# One JSON line per request on standard output (portal/request_log.py).
REQUEST_LOG = env_bool("REQUEST_LOG", True)

# History is viewable in the admin by those with the "view historical ..." right; no one can
# revert or edit it there.
SIMPLE_HISTORY_ENFORCE_HISTORY_MODEL_PERMISSIONS = True
SIMPLE_HISTORY_REVERT_DISABLED = True

# The site's languages, the first the default (its pages unprefixed, its texts the source that
# the others translate); each other language's pages are at /<code>/. Content translations are
# data (core/translations.py), so switching a language on needs no migration; its interface
# words come from locale/<code>/ where there is a catalogue. The admin is in the first language.
PORTAL_LANGUAGES = env_list("PORTAL_LANGUAGES", ["en", "es"])
_unknown = [
    code
    for code in PORTAL_LANGUAGES
    if code not in LANG_INFO or "name_local" not in LANG_INFO[code]
]
if _unknown or len(set(PORTAL_LANGUAGES)) != len(PORTAL_LANGUAGES):
    raise ImproperlyConfigured(
        f"PORTAL_LANGUAGES: give each language once, as a code Django knows: {', '.join(_unknown)}"
    )
LANGUAGE_CODE = PORTAL_LANGUAGES[0]
LANGUAGES = [(code, capfirst(LANG_INFO[code]["name_local"])) for code in PORTAL_LANGUAGES]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Chicago"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# The city's name until the superuser (or a fixture) saves its City record (plans.models.City),
# which holds its names, contact, logo and footer and the start of every download's file name.
PORTAL_CITY = os.environ.get("PORTAL_CITY", "Our city")

# The spreadsheet import (staff/imports.py): the largest file accepted, and where an uploaded
# file waits between its preview and the manager's confirmation (every server process must see
# the same directory; files older than a day are removed).
IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("IMPORT_MAX_UPLOAD_MB", "5")) * 1024 * 1024
IMPORT_UPLOAD_DIR = Path(
    os.environ.get("IMPORT_UPLOAD_DIR", Path(tempfile.gettempdir()) / "portal-imports")
)

# --- What needs attention, and the weekly reminder email (docs/deploy.md) ---

# A recommendation not implemented with no status record dated in this many days needs
# attention (RecommendationQuerySet.needing_attention).
NEEDS_ATTENTION_DAYS = int(os.environ.get("NEEDS_ATTENTION_DAYS", "90"))
# The portal's address, for the links in emails (no request to build them from).
PORTAL_BASE_URL = os.environ.get(
    "PORTAL_BASE_URL", "http://127.0.0.1:8000" if DEBUG else ""
).rstrip("/")
# Email goes to the SMTP server EMAIL_HOST names (STARTTLS on 587 by default). Without one,
# development prints it to the console and production hands it to a mail server on this
# machine (localhost:25; the deploy check refuses the console there). Django 6.1's MAILERS
# replaces the EMAIL_* settings it deprecates; the variables keep their usual names.
_email_host = os.environ.get("EMAIL_HOST") or ("" if DEBUG else "localhost")
_email_tls = env_bool("EMAIL_USE_TLS", bool(os.environ.get("EMAIL_HOST")))
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": int(os.environ.get("EMAIL_PORT", "587" if _email_tls else "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": _email_tls,
                "timeout": 30,
            },
        }
        if _email_host
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")

# --- Production serving (docs/deploy.md) ---

# Names the deployed code in page cache keys and ETags, so a page rendered by one release is
# never served by another (bin/prod sets it to the git commit).
RELEASE = os.environ.get("RELEASE", "dev")

# Pages go in "default"; the public data version in "public-version", which every process and
# server must share: Redis when REDIS_URL is set, otherwise pages stay in each process's
# memory and the version in a database table (created by migrate).
REDIS_URL = os.environ.get("REDIS_URL", "")
# Each process keeps its pages (or, with Redis, its copies of them) within this many bytes;
# a page larger than an eighth of it is not cached.
PAGE_CACHE_MAX_BYTES = int(os.environ.get("PAGE_CACHE_MAX_MB", "64")) * 1024 * 1024
if REDIS_URL:
    _redis_timeout = float(os.environ.get("REDIS_TIMEOUT", "0.5"))
    _REDIS_CACHE = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "portal"),
        # A Redis that stops answering costs a request this long, not forever.
        "OPTIONS": {"socket_timeout": _redis_timeout, "socket_connect_timeout": _redis_timeout},
    }
    CACHES = {"default": dict(_REDIS_CACHE), "public-version": dict(_REDIS_CACHE)}
else:
    CACHES = {
        "default": {
            "BACKEND": "portal.caching.BoundedMemoryCache",
            "OPTIONS": {"MAX_ENTRIES": 5000, "MAX_BYTES": PAGE_CACHE_MAX_BYTES},
        },
        "public-version": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
        },
    }
# Anonymous public pages served from the cache (portal/caching.py); off in development, where
# a template edit must show at once.
PAGE_CACHE = env_bool("PAGE_CACHE", not DEBUG)
# Apps whose models the public pages show: any change in them refreshes the page cache. (Not
# feedback: nothing residents write is shown.) Plans holds the city, which every page prints.
PUBLIC_DATA_APPS = ["plans", "recommendations", "milestones"]

# Residents' feedback (feedback/): at most this many messages an hour from one client address.
FEEDBACK_RATE_LIMIT = int(os.environ.get("FEEDBACK_RATE_LIMIT", "5"))
# How many reverse proxies in front of the app append the client's address to X-Forwarded-For
# (docs/deploy.md: one, nginx); 0 uses the connection's address (core/http.py).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0" if DEBUG else "1"))

# --- Faults (docs/deploy.md, "Faults"; portal/middleware.py) ---

# Sign-in failures count per username and client address, the address taken behind
# TRUSTED_PROXY_COUNT proxies (not the proxy's own, which would lock everyone out at once).
AXES_CLIENT_IP_CALLABLE = "core.http.client_address"
# After a lost database connection, pages answer 503 with this Retry-After (seconds) at once,
# without waiting for the database, until one request finds it answering again.
DATABASE_RETRY_AFTER = int(os.environ.get("DATABASE_RETRY_AFTER", "5"))
# XLSX files and figures as of a past day are rendered anew for each request: at most this many
# a minute from one client address (0: no limit, as in development); more get a 429 page.
EXPENSIVE_REQUESTS_PER_MINUTE = int(
    os.environ.get("EXPENSIVE_REQUESTS_PER_MINUTE", "0" if DEBUG else "20")
)

# HTTPS only when DEBUG is off; development keeps working on plain http://127.0.0.1.
# The reverse proxy terminates TLS and must set (overwrite) X-Forwarded-Proto.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain http
if env_bool("TRUST_X_FORWARDED_PROTO", not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Django's defaults, stated here because the security review reads them here.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Only our own files: no inline scripts or styles anywhere (no nonces either, so cached pages
# stay byte-identical), no plugins, no framing.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Errors and warnings to stderr, and one line per request to stdout (portal/request_log.py),
# where gunicorn and systemd collect them: each a line of JSON with the request's id.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "portal.request_log.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json"},
        "requests": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django": {
            "handlers": ["console"],
            "level": os.environ.get("LOG_LEVEL", "WARNING"),
            "propagate": False,
        },
        "portal.requests": {"handlers": ["requests"], "level": "INFO", "propagate": False},
    },
}
