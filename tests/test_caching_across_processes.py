"""The production server's worker processes each keep their own page cache (no Redis here);
a status update written by another process still shows on the very next request."""

import re

import pytest

from tests import production_server

RECORD_AN_IMPLEMENTATION = """
from recommendations.models import Recommendation, Status
from recommendations.services import record_status_update
rec = Recommendation.objects.with_progress().filter(current_phase="in-progress").first()
record_status_update(
    recommendation=rec,
    status=Status.objects.get(slug="full-implementation"),
    effective_date=rec.last_update_date,
    note="Work moved forward.",
)
"""


@pytest.fixture(scope="module")
def server(request):
    return production_server.running(request.config)


def implemented_count(body):
    return int(re.search(rb'data-count="implemented">(\d+)<', body).group(1))


def test_a_status_update_from_another_process_shows_on_the_next_request(server):
    # Enough requests for both worker processes to have the page cached.
    seen = [server.get("/") for _ in range(8)]
    assert any(headers["X-Page-Cache"] == "hit" for _, headers, _ in seen)
    before = implemented_count(seen[-1][2])

    server.manage("shell", "-c", RECORD_AN_IMPLEMENTATION)

    for _ in range(8):
        _, _, body = server.get("/")
        assert implemented_count(body) == before + 1


def test_a_browser_revalidating_after_a_change_gets_the_new_page(server):
    _, headers, body = server.get("/")
    assert server.get("/", headers={"If-None-Match": headers["ETag"]})[0] == 304

    server.manage("shell", "-c", RECORD_AN_IMPLEMENTATION)

    status, _, new_body = server.get("/", headers={"If-None-Match": headers["ETag"]})
    assert status == 200
    assert implemented_count(new_body) == implemented_count(body) + 1
