"""Production on PostgreSQL borrows its connections from Django's psycopg pool."""

import os

from tests.production_server import manage, production_env

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
SHOW_POOL = (
    "from django.db import connection; connection.ensure_connection(); "
    "print(type(connection.pool).__name__, connection.pool.max_size)"
)


def test_production_on_postgresql_uses_the_connection_pool(tmp_path):
    env = production_env(tmp_path, DATABASE_URL=POSTGRES_URL, DATABASE_POOL_MAX="6")
    result = manage(env, "shell", "-v", "0", "-c", SHOW_POOL)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["ConnectionPool", "6"]


def test_the_pool_can_be_switched_off(tmp_path):
    env = production_env(tmp_path, DATABASE_URL=POSTGRES_URL, DATABASE_POOL="false")
    result = manage(
        env, "shell", "-v", "0", "-c", "from django.db import connection; print(connection.pool)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "None"
