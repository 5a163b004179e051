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


def test_the_follow_through_recommendations_are_under_communications_and_transparency(okc):
    # 38 (an implementation manager) and 39 (this portal) are not about homelessness; the city's
    # About page lists "Communications and transparency" beside its eight topics (docs/data.md).
    seed_topics = re.search(r"focused on these (\w+) topics", SEED.read_text()).group(1)
    topics = list(Topic.objects.filter(plan__slug=PLAN))
    communications = topics[-1]
    assert (seed_topics, communications.name) == ("eight", "Communications and transparency")
    assert set(communications.recommendations.values_list("code", flat=True)) == {"38", "39"}
    assert [topic.number for topic in topics] == list(range(1, len(topics) + 1))
    homeless = Topic.objects.get(slug="homeless-outreach")
    for rec in homeless.recommendations.all():
        assert "homeless" in rec.text, rec.code


def test_the_ninth_topic_has_its_page_and_counts_and_is_searched_by_its_name(client, okc):
    topic = Topic.objects.get(slug="communications-transparency")
    codes = set(topic.recommendations.values_list("code", flat=True))
    html = client.get(topic.get_absolute_url()).content.decode()
    assert all(f'data-code="{code}"' in html for code in codes)
    p = Recommendation.objects.published().filter(topic=topic).progress()
    seed = seed_recommendations()
    assert (p.total, p.implemented) == (len(codes), sum(seed[code][1] for code in codes))
    for page in ("pages:home", "pages:topic-list"):
        html = client.get(reverse(page)).content.decode()
        assert f'href="{topic.get_absolute_url()}"' in html, page
        assert f"{p.implemented} of {p.total} implemented, {p.implemented_percent}%" in html, page
    api = client.get(reverse("exports:api-topics")).json()["results"]
    assert topic.slug in [row["slug"] for row in api]
    # Neither text has the word: the search documents hold the topic's name, in each language.
    for url, word in (
        ("/recommendations/", "transparency"),
        ("/es/recommendations/", "transparencia"),
    ):
        found = set(
            re.findall(r'data-code="([^"]+)"', client.get(url, {"q": word}).content.decode())
        )
        assert codes <= found, url
