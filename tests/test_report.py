"""/report/: the printable progress report."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from plans.models import City, Plan
from recommendations.models import Recommendation
from recommendations.services import correct_status_update
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


def topics_part(html):
    """The topic sections: every recommendation, topic by topic."""
    return html[html.index('id="recommendations"') : html.index('id="changes-heading"')]


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
    # Without changes in the period, each note is printed in its row.
    before = text(topics_part(report(client, as_of="2023-12-31", since="2023-12-31")))
    assert "9. Body cameras Planning 40% Jan. 1, 2023: Vendor chosen." in before
    after = text(topics_part(report(client, as_of="2024-01-01", since="2024-01-01")))
    assert "9. Body cameras Full Implementation 100% Jan. 1, 2024: Every officer equipped." in after


def test_the_latest_note_is_in_the_pages_language(client):
    rec = RecommendationFactory(code="9", title="Body cameras")
    StatusUpdateFactory(
        recommendation=rec,
        note="Vendor chosen.",
        translations={"es": {"note": "Proveedor elegido."}},
    )
    html = client.get("/es" + URL).content.decode()
    assert "Proveedor elegido." in text(topics_part(html))


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
    html = report(client, since="2024-02-01", as_of="2024-05-01")
    changes = text(section(html, "changes-heading"))
    assert "Status changes after Feb. 1, 2024, up to May 1, 2024" in changes
    # The latest note is also the recommendation's latest update: printed once, as a note.
    assert (
        "March 1, 2024 4. Crisis team Planning Full Implementation 100% Team on duty. "
        "April 1, 2024 4. Crisis team Full Implementation Planning 40% note 1"
    ) in changes
    assert "Paused for staffing." in text(section(html, "notes-heading"))
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
    record(rec, "planning", D(2024, 4, 20), note="Latest.")  # the latest update: a note
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
    assert Plan.objects.get().name not in topics_part(html)


def test_with_several_plans_the_report_is_grouped_by_plan_then_topic(client, okc):
    call_command("loaddata", "pilots", verbosity=0)
    html = report(client, since="2020-01-01")
    topics = text(section(html, "topics-heading"))
    recommendations = topics_part(html)
    published = Recommendation.objects.published()
    by_plan = published.progress_by_plan()
    positions = []
    for plan in Plan.objects.published():
        progress = by_plan[plan.pk]
        assert f"{plan.short_name} {progress.total} {progress.started} " in topics
        heading = f'<h2 class="plan-heading">{plan.name}</h2>'
        assert heading in recommendations
        positions.append(recommendations.index(heading))
        # Each of the plan's topics that has recommendations, a section under its heading.
        for topic in plan.topics.filter(recommendations__is_published=True).distinct():
            found = recommendations.index(
                f'<h3 id="topic-{plan.slug}-{topic.number}">{topic.number}. {topic.name}</h3>'
            )
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


# Corrections: a record corrected in the period is listed as a correction, whatever its date.


def corrected(update, reason, **changes):
    """`update` corrected now, as the manager corrects it (the public history dates it)."""
    for name, value in changes.items():
        setattr(update, name, value)
    update.correction_reason = reason
    return correct_status_update(
        update=update, expected_version=update.version, expected_recommendation_version=None
    )


def test_a_correction_made_after_since_to_an_older_record_appears_in_the_next_report(client):
    rec = RecommendationFactory(code="6", title="Co-responder pilot")
    old = record(rec, "initiation", D(2023, 1, 10), note="Pilot began.")
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    # The previous report, as of yesterday: nothing was corrected yet.
    previous = report(client, since=(today - datetime.timedelta(days=30)).isoformat())
    assert "No record was corrected in this period." in previous
    corrected(
        old, "The pilot had already reached planning.", status=status("planning"), progress=40
    )
    html = report(client, since=yesterday.isoformat(), as_of=today.isoformat())
    rows = text(section(html, "corrections-heading"))
    assert (
        f"{date_format(today)} 6. Co-responder pilot Jan. 10, 2023 Planning (40%) "
        "The pilot had already reached planning. note 1"
    ) in rows
    assert "Pilot began." in text(section(html, "notes-heading"))  # its latest update too
    # Not a status change of the period: its own date is long before it.
    assert "Co-responder pilot" not in section(html, "changes-heading")
    assert "1 correction to a record" in text(html[: html.index('id="recommendations"')])
    # Corrected within the period only: the report of the period before does not list it.
    earlier = report(client, since="2023-01-01", as_of=yesterday.isoformat())
    assert "Co-responder pilot" not in section(earlier, "corrections-heading")


def test_a_change_of_the_period_that_was_corrected_in_it_is_flagged_and_listed_once_each_way(
    client,
):
    rec = RecommendationFactory(code="8", title="Dispatch triage")
    today = timezone.localdate()
    update = record(rec, "initiation", today - datetime.timedelta(days=3), note="Triage began.")
    corrected(update, "Typed the wrong status.", status=status("planning"), progress=40)
    html = report(client, since=(today - datetime.timedelta(days=10)).isoformat())
    changes = text(section(html, "changes-heading"))
    assert f"(corrected on {date_format(today)}; see the corrections)" in changes
    assert "Dispatch triage" in text(section(html, "corrections-heading"))


# Notes: each note once.


def test_a_note_given_for_several_records_is_printed_once_and_referred_to_by_number(client):
    shared = "Work has begun; the city has not published its stage."
    for code in ("1", "2", "3"):
        record(RecommendationFactory(code=code), "initiation", D(2023, 5, 1), note=shared)
    record(RecommendationFactory(code="4"), "planning", D(2023, 6, 1), note="Budget approved.")
    html = report(client, since="2023-01-01", as_of="2023-12-31")
    assert html.count(shared) == 1
    notes = section(html, "notes-heading")
    assert f'<li id="note-1">{shared}</li>' in notes
    # Each of the three rows (and each change of the period) points to it.
    rows = re.findall(r'<tr id="recommendation-[^"]+-([0-9]+)">(.*?)</tr>', html, re.S)
    referring = {code for code, row in rows if 'href="#note-1">note 1</a>' in row}
    assert referring == {"1", "2", "3"}
    assert text(section(html, "changes-heading")).count("note 1") == 3
    # A note of one record, in its row and among the changes: printed once as well.
    assert html.count("Budget approved.") == 1


def test_a_note_printed_once_stays_in_its_row(client):
    record(RecommendationFactory(code="5", title="Lighting"), "planning", D(2023, 6, 1), "Lit.")
    html = report(client, since="2024-01-01", as_of="2024-02-01")  # no change in the period
    assert "5. Lighting Planning 40% June 1, 2023: Lit." in text(topics_part(html))
    assert 'id="notes-heading"' not in html


def test_notes_are_numbered_as_the_page_shows_them_in_its_language(client):
    for code in ("1", "2"):
        StatusUpdateFactory(
            recommendation=RecommendationFactory(code=code),
            note=f"English note {code}.",
            translations={"es": {"note": "Nota común."}},
        )
    english = report(client)
    assert 'id="notes-heading"' not in english  # two different English notes
    spanish = client.get("/es" + URL).content.decode()
    assert spanish.count("Nota común.") == 1
    assert 'href="#note-1"' in spanish


# Plain words and sections.


def test_how_the_figures_are_computed_speaks_plain_words(client, okc):
    method = text(section(report(client), "method-heading"))
    assert "corrected" in method
    for field_name in ("recorded_at", "corrected_at", "effective", "as-of", "phase"):
        assert field_name not in method


def test_the_summary_comes_first_then_a_section_per_topic(client, okc):
    html = report(client, since="2022-01-01")
    summary = html[: html.index('id="recommendations"')]
    for part in ('data-count="total"', 'id="chart-title"', 'id="topics-table"', "changes-in-brief"):
        assert part in summary
    topics = Recommendation.objects.published().values_list("topic__number", flat=True)
    for number in set(topics):
        assert topics_part(html).count(f'id="topic-okc-2022-{number}"') == 1
    assert "Listed in full after the topics." in summary


def test_the_report_and_the_pages_that_link_it_link_its_pdf(client, okc):
    html = report(client, as_of="2024-06-30", topic="youth-outreach")
    pdf = reverse("exports:report-pdf")
    assert f'href="{pdf}?as_of=2024-06-30&amp;topic=youth-outreach&amp;since=2024-04-01"' in html
    home = client.get(reverse("pages:home")).content.decode()
    assert f'href="{pdf}"' in home
    plan = Plan.objects.get()
    assert f'href="{pdf}?plan={plan.slug}"' in client.get(plan.get_absolute_url()).content.decode()


def test_the_spanish_report_is_in_spanish(client, okc):
    response = client.get("/es" + URL, {"since": "2022-01-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert 'href="/es/report.pdf?' in html


# The page margins' stylesheet.


def test_the_page_margins_carry_the_as_of_date_and_the_page_number_in_the_pages_language(
    client,
):
    css = client.get(reverse("exports:report-page-css", args=["2024-03-05"]))
    assert css["Content-Type"].startswith("text/css")
    body = css.content.decode()
    assert 'content: "Progress report as of March 5, 2024";' in body
    assert 'content: "Page " counter(page) " of " counter(pages);' in body
    spanish = client.get("/es" + reverse("exports:report-page-css", args=["2024-03-05"]))
    assert "2024" in spanish.content.decode()
    assert spanish.content.decode() != body


def test_the_page_margins_stylesheet_of_a_day_that_is_not_a_date_is_not_found(client):
    assert client.get(reverse("exports:report-page-css", args=["2024-13-45"])).status_code == 404
