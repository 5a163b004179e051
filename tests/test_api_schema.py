"""The API keeps to its OpenAPI document, and no generated request makes it fail.

Schemathesis reads /api/v1/openapi.json from the real WSGI application, generates requests for
every operation (valid ones, then invalid ones) and checks each response: status code,
content type and body documented, and never a 5xx.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import MilestoneFactory

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Bounded so that the whole file runs in well under a minute.
EXAMPLES = {GenerationMode.POSITIVE: 30, GenerationMode.NEGATIVE: 15}


@pytest.fixture
def app():
    """The WSGI application. As Django's test client does, requests must not close the
    database connection, or the test's transaction (and its data) would go with it."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def schema(okc, app):
    """The document as the application serves it, over OKC data and the pilots (a second plan,
    parties in support), with a partial-date milestone."""
    call_command("loaddata", "pilots", verbosity=0)
    MilestoneFactory(date_precision="year", sources=[])
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def operations(schema, mode):
    """Every operation; for invalid requests, those that take a parameter to get wrong.
    (Schemathesis leaves out the document's own address.)"""
    found = [result.ok() for result in schema.get_all_operations()]
    if mode is GenerationMode.NEGATIVE:
        return [op for op in found if op.query or op.path_parameters]
    return found


def test_the_document_is_openapi_3_1_and_covers_every_endpoint(schema):
    assert schema.raw_schema["openapi"] == "3.1.0"
    assert set(schema.raw_schema["paths"]) == {
        "/api/v1/",
        "/api/v1/plans",
        "/api/v1/plans/{plan}/recommendations/{code}",
        "/api/v1/recommendations",
        "/api/v1/recommendations/{code}",
        "/api/v1/topics",
        "/api/v1/statuses",
        "/api/v1/milestones",
        "/api/v1/summary",
        "/api/v1/openapi.json",
    }


@pytest.mark.parametrize("mode", EXAMPLES, ids=lambda mode: mode.value)
def test_every_response_validates_against_the_document(schema, mode):
    for operation in operations(schema, mode):

        @settings(
            max_examples=EXAMPLES[mode],
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def check(case):
            case.call_and_validate(checks=CHECKS)

        check()
