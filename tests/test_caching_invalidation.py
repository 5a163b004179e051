"""The page cache is never stale: any committed public change refreshes every page."""

import re

import pytest
from django.core.management import call_command
from django.db import transaction

from milestones.models import Milestone
from portal.caching import bump_public_version, current_version
from recommendations.models import Recommendation, Status, Topic
from recommendations.services import record_status_update
from tests.factories import (
    MilestoneFactory,
    RecommendationFactory,
    UserFactory,
    restore_status_scale,
    status,
)


def shown_counts(response):
    html = response.content.decode()
    return tuple(
        int(re.search(rf'data-count="{name}">(\d+)<', html).group(1))
        for name in ("total", "started", "implemented")
    )


def an_in_progress_recommendation():
    return Recommendation.objects.with_progress().filter(current_phase="in-progress").first()


@pytest.fixture
def committed_okc(transactional_db):
    """The Oklahoma City data, committed for real (the status scale comes back if an earlier
    transactional test's flush emptied it)."""
    if not Status.objects.exists():
        restore_status_scale()
    call_command("loaddata_if_empty", "okc", verbosity=0)


def test_a_status_update_is_visible_on_the_very_next_request(client, committed_okc, page_cache):
    client.get("/")
    total, started, implemented = shown_counts(client.get("/"))  # from the cache

    rec = an_in_progress_recommendation()
    record_status_update(
        recommendation=rec,
        status=status("full-implementation"),
        effective_date=rec.last_update_date,
        note="Work moved forward.",
    )

    assert shown_counts(client.get("/")) == (total, started, implemented + 1)


def test_the_pages_are_refreshed_when_the_change_commits_not_before(committed_okc, page_cache):
    before = current_version()
    with transaction.atomic():
        RecommendationFactory(topic=Topic.objects.first())
        # Pages rendered now (before the commit) still carry the old version.
        assert current_version() == before
    assert current_version() != before


def test_a_rolled_back_change_keeps_the_cached_pages(committed_okc, page_cache):
    before = current_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        RecommendationFactory(topic=Topic.objects.first())
        raise RuntimeError("the save failed")
    assert current_version() == before


@pytest.mark.django_db
def test_unlinking_a_milestone_from_a_recommendation_refreshes_the_pages(
    okc, page_cache, django_capture_on_commit_callbacks
):
    milestone = Milestone.objects.filter(recommendations__isnull=False).first()
    with django_capture_on_commit_callbacks() as bumps:
        milestone.recommendations.clear()
    assert bump_public_version in bumps


@pytest.mark.django_db
def test_deleting_a_milestone_refreshes_the_timeline(
    client, page_cache, django_capture_on_commit_callbacks
):
    milestone = MilestoneFactory(title="Community meeting held")
    assert "Community meeting held" in client.get("/timeline/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        milestone.delete()
    assert "Community meeting held" not in client.get("/timeline/").content.decode()


@pytest.mark.django_db
def test_loading_a_fixture_refreshes_the_pages(page_cache, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        call_command("loaddata_if_empty", "okc", verbosity=0)
    assert bump_public_version in callbacks


@pytest.mark.django_db
def test_changes_outside_the_public_data_leave_the_pages_cached(
    page_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        UserFactory(username="new-staff-member")
    assert bump_public_version not in callbacks
