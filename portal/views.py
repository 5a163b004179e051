import logging

import psycopg
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache

from portal.middleware import database_answered

logger = logging.getLogger(__name__)

# Seconds /healthz waits for a pooled connection: a load balancer wants its answer quickly.
POOL_WAIT = 1


@never_cache
def healthz(request):
    """For load balancers and monitors: 200 when the database answers a query, 503 otherwise,
    within about a second either way."""
    try:
        _query_the_database()
    except (DatabaseError, psycopg.Error):  # psycopg's: the pool's own, outside Django's
        logger.warning("Health check: the database does not answer.", exc_info=True)
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    database_answered()
    return HttpResponse("ok\n", content_type="text/plain")


def _query_the_database():
    pool = getattr(connection, "pool", None)  # PostgreSQL with the connection pool
    if pool is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return
    # Straight from the pool, with a shorter wait than the pages'.
    pool.open()
    with pool.connection(timeout=POOL_WAIT) as pooled:
        pooled.execute("SELECT 1").fetchone()
