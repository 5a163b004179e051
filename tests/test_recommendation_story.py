"""A recommendation's story on its page: its status records and linked milestones on one
timeline, newest first, each date at its precision; and the band of the time it spent in each
status, with the durations as text."""

import datetime
import re

import pytest
from django.utils import timezone

from recommendations.models import RecordPrecision
from tests.factories import (
    MilestoneFactory,
    RecommendationFactory,
    StatusUpdateFactory,
    status,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def today(monkeypatch):
    """Today is TODAY for the page (the band's last status runs to today)."""
    real_localdate = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real_localdate(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return TODAY


def page(client, rec, language=""):
    return client.get(language + rec.get_absolute_url()).content.decode()


def record(rec, slug, day, precision=RecordPrecision.DAY, **fields):
    return StatusUpdateFactory(
        recommendation=rec,
        status=status(slug),
        effective_date=day,
        date_precision=precision,
        **fields,
    )


def milestone(rec, day, precision="day", **fields):
    linked = MilestoneFactory(date=day, date_precision=precision, **fields)
    linked.recommendations.add(rec)
    return linked


def band(html):
    """The band section: the SVG and its list of durations."""
    return html[html.index('<section aria-labelledby="band-heading">') :].split("</section>")[0]


def durations(html):
    """The band's list of durations, as text."""
    items = re.findall(r'<li class="band-key-[\w-]+">(.*?)</li>', band(html), re.DOTALL)
    return [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in items]


def test_records_and_milestones_are_interleaved_newest_first_with_dates_at_their_precision(
    client,
):
    rec = RecommendationFactory()
    kick_off = record(rec, "initiation", datetime.date(2023, 1, 15))
    board = milestone(rec, datetime.date(2023, 8, 1), "month", title="Board created")
    plan = record(rec, "planning", datetime.date(2024, 3, 1), RecordPrecision.MONTH)
    report = milestone(rec, datetime.date(2024, 1, 1), "year", title="Annual report")
    review = record(rec, "approaching-implementation", datetime.date(2025, 10, 31), "by")
    html = page(client, rec)
    anchors = re.findall(r'<li id="((?:update|milestone)-\d+)"', html)
    assert anchors == [
        f"update-{review.pk}",
        f"update-{plan.pk}",
        f"milestone-{report.pk}",
        f"milestone-{board.pk}",
        f"update-{kick_off.pk}",
    ]
    for date in (
        '<time datetime="2025-10">by October 2025</time>',
        '<time datetime="2024-03">March 2024</time>',
        '<time datetime="2024">2024</time>',
        '<time datetime="2023-08">August 2023</time>',
        '<time datetime="2023-01-15">Jan. 15, 2023</time>',
    ):
        assert date in html, date
    assert "Newest first" in html
    assert "Related milestones" not in html  # no second list: one timeline


def test_a_record_shows_its_status_badge_progress_note_and_correction(client):
    rec = RecommendationFactory()
    record(
        rec,
        "planning",
        datetime.date(2024, 3, 1),
        progress=55,
        note="Action plan adopted.",
        corrected_at=timezone.make_aware(datetime.datetime(2025, 2, 3, 10, 0)),
        correction_reason="The date was a month late.",
    )
    html = page(client, rec)
    assert '<time datetime="2024-03-01">March 1, 2024</time>: Planning</h3>' in html
    assert '<span class="status status-in-progress">In progress</span> 55% complete' in html
    assert "Action plan adopted." in html
    assert (
        'Corrected on <time datetime="2025-02-03">Feb. 3, 2025</time>: The date was a month late.'
        in html
    )


def test_a_milestone_shows_its_kind_title_description_and_source(client):
    rec = RecommendationFactory()
    board = milestone(
        rec,
        datetime.date(2023, 8, 1),
        title="Board created",
        description="The council created the board.",
        sources=[{"label": "Council minutes", "url": "https://example.org/minutes"}],
    )
    html = page(client, rec)
    entry = html[html.index(f'<li id="milestone-{board.pk}"') :].split("</li>")[0]
    assert '<span class="story-kind">Milestone</span>' in entry
    assert f'<a href="{board.get_absolute_url()}">Board created</a>' in entry
    assert "The council created the board." in entry
    assert '<a href="https://example.org/minutes" rel="external">Council minutes</a>' in entry
    assert "Upcoming" not in entry


def test_an_upcoming_milestone_comes_first_marked_upcoming(client, today):
    rec = RecommendationFactory()
    record(rec, "initiation", datetime.date(2026, 1, 15))
    ahead = milestone(rec, TODAY + datetime.timedelta(days=30), title="Review due")
    html = page(client, rec)
    first = html[html.index('<ol class="history story">') :].split("</li>")[0]
    assert f'<li id="milestone-{ahead.pk}"' in first
    assert "Upcoming" in first


def test_unpublished_milestones_stay_off_the_public_timeline(client):
    rec = RecommendationFactory()
    milestone(rec, datetime.date(2023, 8, 1), title="Draft event", is_published=False)
    assert "Draft event" not in page(client, rec)


def test_the_band_gives_the_months_spent_in_each_status_the_last_to_today(client, today):
    rec = RecommendationFactory()
    record(rec, "initiation", datetime.date(2023, 1, 15))
    record(rec, "planning", datetime.date(2024, 3, 15))
    record(rec, "full-implementation", datetime.date(2026, 3, 15))
    html = page(client, rec)
    assert durations(html) == [
        "Initiation: 14 months",
        "Planning: 24 months",
        "Full Implementation: 3 months",
    ]
    assert "approximate" not in band(html)


def test_the_bands_segments_are_proportional_and_fill_it(client, today):
    rec = RecommendationFactory()
    record(rec, "initiation", datetime.date(2023, 1, 15))
    record(rec, "planning", datetime.date(2024, 3, 15))
    html = band(page(client, rec))
    # 425 of the 1,247 days from Jan. 15, 2023 to June 15, 2026, then the rest.
    assert re.findall(r'<rect class="([\w-]+)" x="([\d.]+)%" y="0" width="([\d.]+)%"', html) == [
        ("band-in-progress", "0.0", "34.08"),
        ("band-in-progress", "34.08", "65.92"),
    ]
    assert 'role="img"' in html
    assert "style=" not in html
    assert "<title>1. Initiation: 14 months" in html


def test_records_in_a_row_at_one_status_make_one_segment(client, today):
    rec = RecommendationFactory()
    record(rec, "initiation", datetime.date(2023, 1, 15))
    record(rec, "planning", datetime.date(2023, 7, 15), progress=40)
    record(rec, "planning", datetime.date(2024, 1, 15), progress=60)
    record(rec, "full-implementation", datetime.date(2025, 7, 15))
    assert durations(page(client, rec)) == [
        "Initiation: 6 months",
        "Planning: 24 months",
        "Full Implementation: 11 months",
    ]


def test_a_date_known_only_to_the_month_makes_its_durations_approximate(client, today):
    rec = RecommendationFactory()
    record(rec, "initiation", datetime.date(2023, 1, 15))
    record(rec, "planning", datetime.date(2024, 3, 1), RecordPrecision.MONTH)
    record(rec, "full-implementation", datetime.date(2026, 3, 15))
    html = page(client, rec)
    assert durations(html) == [
        "Initiation: about 14 months",
        "Planning: about 24 months",
        "Full Implementation: 3 months",
    ]
    assert "the durations they give are approximate" in band(html)


def test_a_stay_that_began_by_a_date_lasted_at_least_that_long(client, today):
    rec = RecommendationFactory()
    record(rec, "planning", datetime.date(2025, 10, 31), RecordPrecision.BY)
    assert durations(page(client, rec)) == ["Planning: at least 7 months"]


def test_a_stay_that_ended_by_a_date_lasted_at_most_that_long(client, today):
    rec = RecommendationFactory()
    record(rec, "initiation", datetime.date(2025, 1, 31), RecordPrecision.DAY)
    record(rec, "planning", datetime.date(2025, 10, 31), RecordPrecision.BY)
    assert durations(page(client, rec))[0] == "Initiation: up to 9 months"


def test_a_short_stay_reads_less_than_a_month_and_one_month_is_singular(client, today):
    rec = RecommendationFactory()
    record(rec, "initiation", datetime.date(2026, 4, 10))
    record(rec, "planning", datetime.date(2026, 4, 20))
    record(rec, "full-implementation", datetime.date(2026, 5, 15))
    assert durations(page(client, rec)) == [
        "Initiation: less than a month",
        "Planning: 1 month",
        "Full Implementation: 1 month",
    ]


def test_without_records_there_is_no_band_but_the_milestones_are_shown(client):
    rec = RecommendationFactory()
    milestone(rec, datetime.date(2023, 8, 1), title="Board created")
    html = page(client, rec)
    assert "Time in each status" not in html
    assert "No status has been recorded yet." in html
    assert "Board created" in html


def test_the_story_reads_in_spanish(client, today):
    rec = RecommendationFactory()
    record(rec, "initiation", datetime.date(2023, 1, 15), note_es="Reunión inicial.")
    record(rec, "planning", datetime.date(2024, 3, 1), RecordPrecision.MONTH)
    milestone(rec, datetime.date(2023, 8, 1), "month", title_es="Junta creada")
    html = page(client, rec, "/es")
    assert durations(html) == [
        "Inicio: aproximadamente 14 meses",
        "Planificación: aproximadamente 27 meses",
    ]
    for text in (
        "Tiempo en cada estado",
        '<time datetime="2024-03">marzo de 2024</time>',
        '<time datetime="2023-01-15">15 de enero de 2023</time>',
        '<span class="story-kind">Hito</span>',
        "Junta creada",
        "Reunión inicial.",
        "Del más reciente al más antiguo",
    ):
        assert text in html, text


@pytest.mark.parametrize("entries", [2, 20])
def test_the_story_runs_a_fixed_number_of_queries(client, django_assert_num_queries, entries):
    rec = RecommendationFactory()
    for i in range(entries):
        record(rec, ("initiation", "planning")[i % 2], datetime.date(2020, 1, 1 + i))
        milestone(rec, datetime.date(2021, 1, 1 + i))
    # 1 the recommendation with its figures, plan and topic, 2 its current record with its
    # status, 3 its parties and roles, 4 its status records with each status (the timeline and
    # the band), 5 its milestones, 6 the previous one, 7 the next one, 8 the city.
    with django_assert_num_queries(8):
        html = page(client, rec)
    assert len(re.findall(r'<li id="(?:update|milestone)-\d+"', html)) == 2 * entries
    assert len(durations(html)) == entries
