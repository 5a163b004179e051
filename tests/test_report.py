"""/report/: the printable progress report."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from plans.models import City, Plan
from recommendations.models import Recommendation
from tests.factories import (
    RecommendationFactory,
    StatusUpdateFactory,
    TopicFactory,
    status,
)

pytestmark = pytest.mark.django_db

D = datetime.date
URL = reverse("exports:report")


def report(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.content.decode()


def text(html):
    """The visible text, whitespace collapsed."""
    words = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    return re.sub(r" ([:.,])", r"\1", words)


def section(html, heading_id):
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def record(rec, slug, day, note=""):
    return StatusUpdateFactory(
        recommendation=rec, status=status(slug), effective_date=day, note=note
    )


def test_it_is_titled_with_the_partnerships_name_and_the_as_of_date(client, okc):
    html = report(client, as_of="2024-03-05")
    assert f"<h1>{City.current().partnership_name}: progress report</h1>" in html
    assert 'As of <time datetime="2024-03-05">March 5, 2024</time>' in html


def test_the_title_follows_the_city_record_in_each_language(client):
    City.objects.create(
        name="Tulsa",
        partnership_name="Tulsa Safety Partnership",
        translations={"es": {"partnership_name": "Alianza de Seguridad de Tulsa"}},
    )
    assert "<h1>Tulsa Safety Partnership: progress report</h1>" in report(client)
    spanish = client.get("/es" + URL).content.decode()
    assert "Alianza de Seguridad de Tulsa" in spanish[spanish.index("<h1>") :]


def test_the_counts_are_those_of_the_date(client, okc):
    html = report(client, as_of="2023-06-30")
    expected = Recommendation.objects.published().progress(D(2023, 6, 30))
    assert f'data-count="total">{expected.total}<' in html
    assert f'data-count="started">{expected.started}<' in html
    assert f'data-count="implemented">{expected.implemented}<' in html


def test_the_topic_table_has_each_topics_counts(client):
    youth = TopicFactory(number=5, name="Youth outreach")
    record(RecommendationFactory(topic=youth), "evaluation", D(2024, 1, 1))
    RecommendationFactory(topic=youth)
    rows = text(section(report(client), "topics-heading"))
    assert "5. Youth outreach 2 1 (50%) 1 (50%)" in rows


def test_each_recommendation_shows_its_status_and_latest_note_as_of_the_date(client):
    rec = RecommendationFactory(code="9", title="Body cameras")
    record(rec, "planning", D(2023, 1, 1), note="Vendor chosen.")
    record(rec, "full-implementation", D(2024, 1, 1), note="Every officer equipped.")
    before = text(section(report(client, as_of="2023-12-31"), "recommendations-heading"))
    assert "9. Body cameras Planning 40% Jan. 1, 2023: Vendor chosen." in before
    after = text(section(report(client, as_of="2024-01-01"), "recommendations-heading"))
    assert "9. Body cameras Full Implementation 100% Jan. 1, 2024: Every officer equipped." in after


def test_the_latest_note_is_in_the_pages_language(client):
    rec = RecommendationFactory(code="9", title="Body cameras")
    StatusUpdateFactory(
        recommendation=rec,
        note="Vendor chosen.",
        translations={"es": {"note": "Proveedor elegido."}},
    )
    html = client.get("/es" + URL).content.decode()
    assert "Proveedor elegido." in text(section(html, "recommendations-heading"))


def test_a_recommendation_without_records_says_so(client):
    RecommendationFactory(code="3", title="Not yet")
    assert "3. Not yet Not started 0% No status recorded." in text(report(client))


def test_changes_since_list_every_record_in_the_period_with_the_status_it_replaced(client):
    rec = RecommendationFactory(code="4", title="Crisis team")
    record(rec, "initiation", D(2023, 1, 1))
    record(rec, "planning", D(2024, 2, 1), note="Plan adopted.")  # on `since`: not listed
    record(rec, "full-implementation", D(2024, 3, 1), note="Team on duty.")
    record(rec, "planning", D(2024, 4, 1), note="Paused for staffing.")
    record(rec, "evaluation", D(2024, 5, 2), note="After as_of: not listed.")
    changes = text(
        section(report(client, since="2024-02-01", as_of="2024-05-01"), "changes-heading")
    )
    assert "Status changes after Feb. 1, 2024, up to May 1, 2024" in changes
    assert (
        "March 1, 2024 4. Crisis team Planning Full Implementation 100% Team on duty. "
        "April 1, 2024 4. Crisis team Full Implementation Planning 40% Paused for staffing."
    ) in changes
    assert "Plan adopted." not in changes
    assert "After as_of" not in changes


def test_changes_whose_date_is_not_known_to_the_day_are_marked_when_they_may_fall_outside(client):
    rec = RecommendationFactory(code="7", title="Review board")
    StatusUpdateFactory(
        recommendation=rec,
        status=status("initiation"),
        effective_date=D(2024, 2, 1),
        date_precision="month",
        note="Straddles since.",
    )
    StatusUpdateFactory(
        recommendation=rec,
        status=status("planning"),
        effective_date=D(2024, 3, 1),
        date_precision="month",
        note="Inside March.",
    )
    StatusUpdateFactory(
        recommendation=rec,
        status=status("full-implementation"),
        effective_date=D(2024, 4, 1),
        date_precision="by",
        note="By April.",
    )
    html = section(report(client, since="2024-01-31", as_of="2024-05-01"), "changes-heading")
    rows = {
        note: text(row)
        for row in html.split("<tr>")[2:]
        for note in ("Straddles since.", "Inside March.", "By April.")
        if note in row
    }
    assert rows["Inside March."].startswith("March 2024 7. Review board")
    assert "may fall outside" not in rows["Inside March."]
    assert rows["By April."].startswith("by April 2024 (may fall outside this period)")
    assert "(may fall outside this period)" not in rows["Straddles since."]  # all of February
    assert "The date of 1 of these changes is known only to the month or as “by” a date" in text(
        html
    )
    # With the as-of day inside February, the February record may be after it.
    html = section(report(client, since="2024-01-31", as_of="2024-02-15"), "changes-heading")
    assert "February 2024 (may fall outside this period)" in text(html)


def test_a_first_record_in_the_period_says_so(client):
    record(RecommendationFactory(code="2", title="New"), "initiation", D(2024, 3, 1))
    changes = text(
        section(report(client, since="2024-01-01", as_of="2024-06-01"), "changes-heading")
    )
    assert "March 1, 2024 2. New (first record) Initiation" in changes


def test_without_since_the_changes_cover_the_90_days_before_the_as_of_date(client):
    record(RecommendationFactory(), "planning", D(2024, 3, 2), note="Inside.")
    record(RecommendationFactory(), "planning", D(2024, 3, 1), note="Outside.")
    html = report(client, as_of="2024-05-31")  # 90 days before: 2024-03-02
    changes = text(section(html, "changes-heading"))
    assert "after March 2, 2024" in changes
    assert "Inside." not in changes  # on the day itself: already in the previous report
    assert 'name="since" value="2024-03-02"' in html


def test_a_period_without_changes_says_so(client):
    assert "No status was recorded in this period." in report(client)


def test_unpublished_recommendations_are_left_out_everywhere(client):
    hidden = RecommendationFactory(title="Hidden draft", is_published=False)
    record(hidden, "planning", timezone.localdate(), note="Secret note.")
    html = report(client)
    assert "Hidden draft" not in html
    assert "Secret note." not in html
    assert 'data-count="total">0<' in html


def test_filters_narrow_the_report_and_its_download_links(client, okc):
    html = report(client, as_of="2024-06-30", topic="youth-outreach")
    expected = (
        Recommendation.objects.published()
        .filter(topic__slug="youth-outreach")
        .progress(D(2024, 6, 30))
    )
    assert f'data-count="total">{expected.total}<' in html
    assert "Limited to:" in html
    assert (
        f'href="{reverse("exports:recommendations-xlsx")}?as_of=2024-06-30&amp;topic=youth-outreach"'
        in html
    )


def test_the_previous_status_of_a_change_is_named_in_the_pages_language(client):
    rec = RecommendationFactory(code="4", title="Crisis team")
    record(rec, "initiation", D(2023, 1, 1))
    record(rec, "planning", D(2024, 3, 1))
    html = client.get("/es" + URL, {"since": "2024-01-01", "as_of": "2024-06-01"})
    changes = text(section(html.content.decode(), "changes-heading"))
    initiation, planning = status("initiation"), status("planning")
    spanish = initiation.translated("name", "es").text, planning.translated("name", "es").text
    assert f"{spanish[0]} {spanish[1]} 40%" in changes


def test_with_one_plan_there_are_no_plan_headings(client, okc):
    html = report(client)
    topics = section(html, "topics-heading")
    assert "plan-row" not in topics
    assert Plan.objects.get().name not in section(html, "recommendations-heading")


def test_with_several_plans_the_report_is_grouped_by_plan_then_topic(client, okc):
    call_command("loaddata", "pilots", verbosity=0)
    html = report(client, since="2020-01-01")
    topics = text(section(html, "topics-heading"))
    recommendations = section(html, "recommendations-heading")
    published = Recommendation.objects.published()
    by_plan = published.progress_by_plan()
    positions = []
    for plan in Plan.objects.published():
        progress = by_plan[plan.pk]
        assert f"{plan.short_name} {progress.total} {progress.started} " in topics
        heading = f"<h3>{plan.name}</h3>"
        assert heading in recommendations
        positions.append(recommendations.index(heading))
        # Each of the plan's topics, under the plan's heading.
        for topic in plan.topics.all():
            found = recommendations.index(f"<h4>{topic.number}. {topic.name}</h4>")
            assert found > positions[-1]
    assert positions == sorted(positions)
    # Every published recommendation once, known by its plan and code.
    for rec in published.select_related("plan"):
        assert recommendations.count(f'id="recommendation-{rec.plan.slug}-{rec.code}"') == 1


def test_the_plan_filter_limits_the_report_to_that_plan(client, okc):
    call_command("loaddata", "pilots", verbosity=0)
    pilots = Plan.objects.get(slug="pilots")
    html = report(client, plan="pilots")
    expected = Recommendation.objects.published().in_plan(pilots).progress()
    assert f'data-count="total">{expected.total}<' in html
    assert f'<p class="report-plan">{pilots.name}</p>' in html
    shown = re.findall(r'id="recommendation-([^"]+)"', html)
    assert shown == [f"pilots-{rec.code}" for rec in pilots.recommendations.order_by("order")]
    assert f'href="{reverse("exports:summary-csv")}?as_of=' in html
    assert "plan=pilots" in html[html.index(f'href="{reverse("exports:summary-csv")}') :]


def test_an_unknown_plan_is_a_400_that_names_it(client, okc):
    response = client.get(URL, {"plan": "nowhere"})
    assert response.status_code == 400
    assert "<code>plan</code>" in response.content.decode()


class InlineCode(HTMLParser):
    """Collects what a Content-Security-Policy without 'unsafe-inline' would block."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        if tag == "style" or (tag == "script" and "src" not in names):
            self.found.append(tag)
        self.found += [name for name in names if name == "style" or name.startswith("on")]


def test_no_inline_script_or_style_so_a_strict_csp_holds(client, okc):
    parser = InlineCode()
    parser.feed(report(client, since="2020-01-01"))
    assert parser.found == []


def test_it_links_a_stylesheet_with_print_rules(client):
    html = report(client)
    href = re.search(r'<link rel="stylesheet" href="/static/(exports/[^"]+)">', html).group(1)
    with open(finders.find(href)) as stylesheet:
        css = stylesheet.read()
    assert "@media print" in css
    assert ".no-print" in css and 'class="report-options no-print"' in html


def test_the_home_page_links_the_report_and_every_footer_the_report_and_the_data(client):
    home = client.get(reverse("pages:home")).content.decode()
    main = home[home.index("<main") : home.index("</main>")]
    footer = home[home.index("<footer") :]
    assert f'href="{URL}"' in main
    for html in (footer, client.get(reverse("exports:data")).content.decode()):
        assert f'href="{URL}"' in html[html.index("<footer") :]
        assert f'href="{reverse("exports:data")}"' in html[html.index("<footer") :]
