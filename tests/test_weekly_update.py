"""The weekly update screen: every recommendation of a plan on one page; a new status record for
any number of rows in one submit, each through the same service and version check as a single
edit. Two real client sessions stand for two people."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations.models import Recommendation, StatusUpdate
from recommendations.services import record_status_update
from tests.admin_forms import form_data
from tests.factories import (
    PartyFactory,
    PlanFactory,
    RecommendationFactory,
    StatusUpdateFactory,
    TopicFactory,
    UserFactory,
    status,
)

pytestmark = pytest.mark.django_db

URL = reverse("staff:weekly-update")


def open_screen(client, **query):
    response = client.get(URL, query)
    assert response.status_code == 200
    return response


def fill(data, rec, **values):
    """`data` with the row of `rec` filled in."""
    row = next(
        key.removesuffix("-recommendation")
        for key, value in data.items()
        if key.endswith("-recommendation") and value == str(rec.pk)
    )
    data.update({f"{row}-{name}": str(value) for name, value in values.items()})
    return row


def test_the_screen_lists_the_plans_recommendations_with_their_current_status(manager_client):
    rec = RecommendationFactory(code="5", title="Crisis team")
    StatusUpdateFactory(
        recommendation=rec, status=status("planning"), effective_date=datetime.date(2024, 3, 1)
    )
    other_plan = RecommendationFactory(topic=TopicFactory(plan=PlanFactory(slug="pilots")))
    page = open_screen(manager_client).content.decode()
    row = page[page.index(f'id="row-{rec.pk}"') :].split("</tr>")[0]
    assert "5. Crisis team" in row
    assert "Planning, 40%" in row
    assert "March 1, 2024" in row
    days = (timezone.localdate() - datetime.date(2024, 3, 1)).days
    assert f"{days} days ago" in row
    assert f'id="row-{other_plan.pk}"' not in page


def test_twenty_rows_are_saved_in_one_submit_each_with_its_author(manager_client, manager):
    recs = RecommendationFactory.create_batch(25)
    data = form_data(open_screen(manager_client))
    for rec in recs[:20]:
        fill(
            data,
            rec,
            status=status("planning").pk,
            effective_date="2024-06-03",
            note=f"Plan adopted for {rec.code}.",
        )
    response = manager_client.post(URL, data, follow=True)
    assert "20 new status records saved." in response.content.decode()
    saved = StatusUpdate.objects.all()
    assert saved.count() == 20
    assert {u.recommendation_id for u in saved} == {rec.pk for rec in recs[:20]}
    assert all(u.created_by == manager and u.progress == 40 for u in saved)
    assert Recommendation.objects.get(pk=recs[0].pk).history.first().history_user == manager


def test_a_row_changed_meanwhile_is_refused_alone_and_what_was_typed_is_kept(
    manager_client, sam_client, manager
):
    first, changed, third = RecommendationFactory.create_batch(3)
    data = form_data(open_screen(sam_client))
    # Maria records a status on the second recommendation after Sam opened the screen.
    maria_data = form_data(open_screen(manager_client))
    fill(maria_data, changed, status=status("evaluation").pk, note="Evaluation started.")
    assert manager_client.post(URL, maria_data).status_code == 302
    for rec in (first, changed, third):
        fill(data, rec, status=status("planning").pk, note=f"Sam's note on {rec.code}.")
    response = sam_client.post(URL, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 new status records saved." in page
    summary = page[page.index('id="error-summary"') :].split("</div>")[0]
    assert f'href="#row-{changed.pk}"' in summary
    assert "Maria Lopez saved this recommendation" in summary
    row = page[page.index(f'id="row-{changed.pk}"') :].split("</tr>")[0]
    assert f"Sam&#x27;s note on {changed.code}." in row
    assert "Evaluation, 100%" in row  # Maria's change, shown beside Sam's kept row
    notes = set(StatusUpdate.objects.values_list("recommendation_id", "note"))
    assert notes == {
        (first.pk, f"Sam's note on {first.code}."),
        (changed.pk, "Evaluation started."),
        (third.pk, f"Sam's note on {third.code}."),
    }
    # Having seen Maria's change, Sam saves his row again on purpose: it goes through.
    again = form_data(response)
    assert sam_client.post(URL, again).status_code == 302
    assert StatusUpdate.objects.filter(recommendation=changed).count() == 2


def test_a_row_with_bad_input_is_shown_with_its_errors_and_the_others_are_saved(
    manager_client,
):
    good, no_note, out_of_range, future = RecommendationFactory.create_batch(4)
    data = form_data(open_screen(manager_client))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    fill(data, good, status=status("planning").pk, note="Plan adopted.")
    fill(data, no_note, status=status("planning").pk, note="")
    fill(data, out_of_range, status=status("full-implementation").pk, progress=80, note="Done.")
    fill(data, future, status=status("planning").pk, effective_date=tomorrow, note="Soon.")
    response = manager_client.post(URL, data)
    page = response.content.decode()
    assert "1 new status record saved." in page
    assert "3 rows not saved" in page
    assert "every new status record needs a public note" in page
    assert "Full Implementation means a progress of 100%" in page
    assert "The effective date cannot be in the future." in page
    assert list(StatusUpdate.objects.values_list("recommendation_id", flat=True)) == [good.pk]


def test_a_note_without_a_status_is_refused_not_dropped(manager_client):
    rec = RecommendationFactory()
    data = form_data(open_screen(manager_client))
    fill(data, rec, note="Forgot the status.")
    page = manager_client.post(URL, data).content.decode()
    assert "Choose the status this note or progress is about." in page
    assert "Forgot the status." in page
    assert not StatusUpdate.objects.exists()


def test_an_untouched_screen_saves_nothing_and_says_so(manager_client):
    RecommendationFactory.create_batch(3)
    response = manager_client.post(URL, form_data(open_screen(manager_client)), follow=True)
    assert "Nothing to save" in response.content.decode()
    assert not StatusUpdate.objects.exists()


def test_filters_narrow_the_rows(manager_client):
    youth, other = TopicFactory(slug="youth"), TopicFactory(slug="other")
    police = PartyFactory(slug="police")
    led = RecommendationFactory(topic=youth, leads=[police])
    started = RecommendationFactory(topic=other)
    StatusUpdateFactory(recommendation=started, status=status("planning"))
    untouched = RecommendationFactory(topic=other)

    def shown(**query):
        page = open_screen(manager_client, **query).content.decode()
        return {rec for rec in (led, started, untouched) if f'id="row-{rec.pk}"' in page}

    assert shown() == {led, started, untouched}
    assert shown(topic="youth") == {led}
    assert shown(party="police") == {led}
    assert shown(phase="in-progress") == {started}
    assert shown(phase="not-started") == {led, untouched}


def test_the_needs_attention_filter_uses_the_admin_homes_rule(manager_client):
    fresh = RecommendationFactory()
    StatusUpdateFactory(recommendation=fresh, effective_date=timezone.localdate())
    stale = RecommendationFactory()
    StatusUpdateFactory(recommendation=stale, effective_date=datetime.date(2020, 1, 1))
    never = RecommendationFactory()
    page = open_screen(manager_client, attention="not_updated").content.decode()
    assert f'id="row-{fresh.pk}"' not in page
    assert f'id="row-{stale.pk}"' in page and f'id="row-{never.pk}"' in page
    page = open_screen(manager_client, attention="any").content.decode()
    assert f'id="row-{stale.pk}"' in page


def test_a_plan_is_chosen_by_its_slug(manager_client):
    main = RecommendationFactory()
    pilot = RecommendationFactory(topic=TopicFactory(plan=PlanFactory(slug="pilots")))
    assert f'id="row-{main.pk}"' in open_screen(manager_client).content.decode()
    page = open_screen(manager_client, plan="pilots").content.decode()
    assert f'id="row-{pilot.pk}"' in page
    assert f'id="row-{main.pk}"' not in page


def test_an_unknown_topic_says_so_and_lists_nothing(manager_client):
    rec = RecommendationFactory()
    page = open_screen(manager_client, topic="nope").content.decode()
    assert "Select a valid choice" in page
    assert f'id="row-{rec.pk}"' not in page


def test_the_screen_is_paged(manager_client):
    recs = RecommendationFactory.create_batch(55)
    first = open_screen(manager_client).content.decode()
    second = open_screen(manager_client, page=2).content.decode()
    assert "page 1 of 2" in first and 'rel="next"' in first
    on_first = {rec.pk for rec in recs if f'id="row-{rec.pk}"' in first}
    on_second = {rec.pk for rec in recs if f'id="row-{rec.pk}"' in second}
    assert len(on_first) == 50 and on_first.isdisjoint(on_second)
    assert on_first | on_second == {rec.pk for rec in recs}


def test_staff_without_the_right_to_add_status_records_are_refused(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(URL).status_code == 403


def test_the_public_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.parametrize("size", [39, 400])
def test_the_screen_costs_the_same_queries_at_any_size(
    manager_client, make_portfolio, size, django_assert_num_queries
):
    make_portfolio(size)
    # The session, the user and their rights (4); the plans; the page's count, its ids, the
    # statuses, the rows with their figures and their current records (5); the city for the
    # header; the filters' topics and parties (2); and the session saved again (3).
    with django_assert_num_queries(16):
        open_screen(manager_client)


def test_saving_a_row_uses_the_same_service_as_a_single_edit(manager_client):
    rec = RecommendationFactory()
    record_status_update(
        recommendation=rec,
        status=status("initiation"),
        effective_date=datetime.date(2024, 1, 2),
        note="Work began.",
    )
    data = form_data(open_screen(manager_client))
    fill(data, rec, status=status("planning").pk, note="Plan adopted.")
    manager_client.post(URL, data)
    reason = Recommendation.objects.get(pk=rec.pk).history.first().history_change_reason
    assert reason.startswith("Status record added: Planning")
