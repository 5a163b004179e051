import re

import pytest
from django.urls import reverse

from recommendations.models import Recommendation
from recommendations.services import record_status_update
from tests.factories import status


def shown_counts(response):
    html = response.content.decode()
    return tuple(
        int(re.search(rf'data-count="{name}">(\d+)<', html).group(1))
        for name in ("total", "started", "implemented")
    )


@pytest.mark.django_db
def test_home_shows_the_counts_computed_from_the_records(client, okc):
    assert shown_counts(client.get(reverse("recommendations:home"))) == (39, 34, 17)


@pytest.mark.django_db
def test_a_full_implementation_record_moves_the_implemented_count(client, okc):
    rec = Recommendation.objects.with_progress().filter(current_phase="in-progress").first()
    record_status_update(
        recommendation=rec,
        status=status("full-implementation"),
        effective_date=rec.last_update_date,
    )
    assert shown_counts(client.get(reverse("recommendations:home"))) == (39, 34, 18)
