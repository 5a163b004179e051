"""The Oklahoma City fixture reproduces the city's published snapshot."""

import csv
import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse

from milestones.models import Milestone
from plans.models import Party
from recommendations.models import Phase, Recommendation, Topic

pytestmark = pytest.mark.django_db

# The city's own page, kept in shared/ beside the repository.
SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_8063c42529a60bba.txt"
PLAN = "okc-2022"


def okc_recommendations():
    return Recommendation.objects.filter(plan__slug=PLAN)


def seed_recommendations():
    """{code: (text, check-marked)} read from the city's own page."""
    text = SEED.read_text()
    found = re.findall(r"Recommendation (\d+) icon\n\n(.+?)\nLearn More(circle-check-mark)?", text)
    return {code: (body, bool(mark)) for code, body, mark in found}


def seed_headline():
    match = re.search(
        r"(\d+) Projects Total \| (\d+) Projects Started \| (\d+) Projects", SEED.read_text()
    )
    return tuple(int(n) for n in match.groups())


def test_counts_match_the_city_headline(okc):
    progress = Recommendation.objects.published().progress()
    assert (progress.total, progress.started, progress.implemented) == seed_headline()


def test_texts_and_check_marks_match_the_city_page(okc):
    seed = seed_recommendations()
    recs = {r.code: r for r in okc_recommendations().with_progress()}
    assert set(recs) == set(seed)
    for code, (text, implemented) in seed.items():
        assert recs[code].text == text
        assert (recs[code].current_phase == Phase.IMPLEMENTED) == implemented, code


def test_the_plan_has_39_recommendations_coded_and_ordered_1_to_39(okc):
    rows = list(okc_recommendations().order_by("order").values_list("code", "order"))
    assert rows == [(str(n), n) for n in range(1, 40)]


def test_a_lead_named_both_ways_round_is_the_same_two_parties(okc):
    # "OKCPD and City" (9) and "City and OKCPD" (20) in the city's data.
    def leads(code):
        rec = okc_recommendations().prefetch_related("responsibilities__party").get(code=code)
        return {party.slug for party in rec.leads}

    assert leads("9") == leads("20") == {"okcpd", "city"}
    assert Party.objects.get(slug="okcpd").name == "Oklahoma City Police Department"
    assert Party.objects.get(slug="city").name == "City of Oklahoma City"


def test_the_home_page_still_shows_the_citys_headline(client, okc):
    html = client.get(reverse("pages:home")).content.decode()
    shown = tuple(
        int(re.search(rf'data-count="{name}">(\d+)<', html).group(1))
        for name in ("total", "started", "implemented")
    )
    assert shown == seed_headline() == (39, 34, 17)


def test_every_topic_has_recommendations_and_every_title_is_short(okc):
    assert Topic.objects.filter(recommendations__isnull=True).count() == 0
    assert all(len(r.title) <= 60 for r in Recommendation.objects.all())


def test_published_dates_come_from_the_city(okc):
    rec = okc_recommendations().with_progress().get(code="11")
    assert rec.start_date == datetime.date(2023, 4, 1)
    assert rec.implemented_date == datetime.date(2023, 11, 1)


def test_counts_as_of_2023_follow_from_the_records(okc):
    progress = Recommendation.objects.published().progress(as_of=datetime.date(2023, 1, 1))
    starts = [
        r.start_date
        for r in Recommendation.objects.with_progress()
        if r.start_date and r.start_date <= datetime.date(2023, 1, 1)
    ]
    assert progress.started == len(starts)
    assert progress.implemented == 0


def test_milestones_keep_their_precision(okc):
    dates = {m.title: m.display_date for m in Milestone.objects.published()}
    assert dates["Youth Safety Advisory Committee established"] == "September 2025"
    assert dates["Mental health information session held"] == "May 29, 2025"


def test_every_milestone_from_the_shared_list_is_loaded(okc):
    with (SEED.parents[1] / "okc" / "milestones.csv").open() as f:
        events = {row["event"] for row in csv.DictReader(f)}
    assert set(Milestone.objects.values_list("title", flat=True)) == events
