import datetime

import pytest

from milestones.models import Milestone, Precision
from tests.factories import MilestoneFactory

D = datetime.date(2025, 9, 1)


@pytest.mark.parametrize(
    ("precision", "shown"),
    [
        (Precision.DAY, "Sept. 1, 2025"),
        (Precision.MONTH, "September 2025"),
        (Precision.YEAR, "2025"),
    ],
)
def test_a_date_prints_at_its_precision(precision, shown):
    assert Milestone(date=D, date_precision=precision, title="x").display_date == shown


@pytest.mark.django_db
def test_only_published_milestones_are_public():
    shown = MilestoneFactory()
    MilestoneFactory(is_published=False)
    assert list(Milestone.objects.published()) == [shown]
