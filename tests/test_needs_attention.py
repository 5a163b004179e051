"""What needs the implementation manager's attention: each rule flags the right recommendations
and no others (RecommendationQuerySet.needing_attention), the admin home lists them with links,
the changelist filters by them, and the admin home's query count does not grow with the data."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations.models import Recommendation, RecordPrecision
from staff.admin.attention import LIMIT
from tests.factories import (
    PlanFactory,
    RecommendationFactory,
    StatusUpdateFactory,
    TopicFactory,
    UserFactory,
    status,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)
RECENTLY = TODAY - datetime.timedelta(days=10)
LONG_AGO = TODAY - datetime.timedelta(days=200)


def fine(code, *, on=RECENTLY, precision=RecordPrecision.DAY, **fields):
    """A recommendation needing no attention on TODAY: translated, in progress since RECENTLY
    (known to the day, so its start date is known), no target date."""
    rec = RecommendationFactory(
        code=code, title_es=f"Recomendación {code}", text_es="El texto.", **fields
    )
    StatusUpdateFactory(
        recommendation=rec,
        status=status("planning"),
        effective_date=on,
        date_precision=precision,
        note_es="Avanzó.",
    )
    return rec


def flagged(reason=None, **kwargs):
    """The codes `reason` (or any reason) flags on TODAY."""
    recs = Recommendation.objects.needing_attention(reason, today=TODAY, **kwargs)
    return sorted(rec.code for rec in recs)


def test_a_translated_recently_updated_recommendation_needs_nothing():
    fine("1")
    assert flagged() == []


def test_no_status_record_for_more_than_the_set_days_or_none_at_all_needs_an_update(settings):
    settings.NEEDS_ATTENTION_DAYS = 90
    fine("recent")
    fine("old", on=LONG_AGO)
    fine("edge", on=TODAY - datetime.timedelta(days=90))  # 90 days is not more than 90
    fine("just-over", on=TODAY - datetime.timedelta(days=91))
    RecommendationFactory(code="never", title_es="Nunca", text_es="Nada.")
    assert flagged("not_updated") == ["just-over", "never", "old"]
    settings.NEEDS_ATTENTION_DAYS = 5
    assert flagged("not_updated") == ["edge", "just-over", "never", "old", "recent"]
    assert flagged("not_updated", days=365) == ["never"]


def test_an_implemented_recommendation_needs_no_more_updates():
    done = fine("done", on=LONG_AGO)
    StatusUpdateFactory(
        recommendation=done,
        status=status("full-implementation"),
        effective_date=LONG_AGO,
        note_es="Hecho.",
    )
    fine("stuck", on=LONG_AGO)
    assert flagged("not_updated") == ["stuck"]


def test_past_its_estimated_completion_and_not_implemented_is_overdue():
    fine("late", estimated_completion=TODAY - datetime.timedelta(days=1))
    fine("due-today", estimated_completion=TODAY)
    fine("ahead", estimated_completion=TODAY + datetime.timedelta(days=30))
    done = fine("done-late", estimated_completion=datetime.date(2025, 1, 1))
    StatusUpdateFactory(
        recommendation=done,
        status=status("full-implementation"),
        effective_date=RECENTLY,
        note_es="Hecho.",
    )
    never = RecommendationFactory(code="never", estimated_completion=datetime.date(2025, 1, 1))
    assert flagged("overdue") == ["late", "never"]
    assert never.code in flagged("not_updated")


def test_started_with_a_start_known_only_as_by_a_date_has_an_unknown_start():
    fine("known")  # started on a day
    fine("by", precision=RecordPrecision.BY)
    fine("month", precision=RecordPrecision.MONTH)
    # Started "by" a date, then a later record known to the day: the start is still unknown.
    later = fine("later", on=LONG_AGO, precision=RecordPrecision.BY)
    StatusUpdateFactory(
        recommendation=later,
        status=status("approaching-implementation"),
        effective_date=RECENTLY,
        note_es="Casi.",
    )
    # Not started: there is no start date to know.
    on_hold = RecommendationFactory(code="on-hold", title_es="En espera", text_es="Nada.")
    StatusUpdateFactory(
        recommendation=on_hold,
        status=status("on-hold"),
        effective_date=RECENTLY,
        date_precision=RecordPrecision.BY,
        note_es="En espera.",
    )
    assert flagged("start_unknown") == ["by", "later"]


def test_a_missing_title_text_or_latest_note_translation_is_flagged():
    fine("translated")
    RecommendationFactory(code="no-title", text_es="El texto.")
    RecommendationFactory(code="no-text", title_es="Título")
    no_note = RecommendationFactory(code="no-note", title_es="Título", text_es="El texto.")
    StatusUpdateFactory(recommendation=no_note, effective_date=RECENTLY)
    # Only the current record's note counts: an older untranslated one does not.
    old_note = fine("old-note")
    StatusUpdateFactory(recommendation=old_note, effective_date=LONG_AGO)
    assert flagged("untranslated") == ["no-note", "no-text", "no-title"]


def test_every_configured_language_must_have_its_translation(settings):
    fine("spanish-only")
    settings.LANGUAGES = [("en", "English"), ("es", "Español"), ("vi", "Tiếng Việt")]
    assert flagged("untranslated") == ["spanish-only"]
    settings.LANGUAGES = [("en", "English")]
    RecommendationFactory(code="english-only")
    assert flagged("untranslated") == []


def test_drafts_count_but_not_recommendations_of_an_unpublished_plan():
    RecommendationFactory(code="draft", is_published=False)
    hidden_plan = TopicFactory(plan=PlanFactory(slug="draft-plan", is_published=False))
    RecommendationFactory(code="in-draft-plan", topic=hidden_plan)
    assert flagged() == ["draft"]


def test_each_flag_says_which_reasons_apply_to_each_row():
    RecommendationFactory(code="7", estimated_completion=datetime.date(2025, 1, 1))
    [rec] = Recommendation.objects.needing_attention(today=TODAY)
    assert rec.attention_not_updated and rec.attention_overdue and rec.attention_untranslated
    assert not rec.attention_start_unknown


def test_an_unknown_reason_is_refused():
    with pytest.raises(ValueError, match="nope"):
        Recommendation.objects.needing_attention("nope")


# The admin home and the changelist, as the manager sees them today.


@pytest.fixture
def three(db):
    """Today: one recommendation needing nothing, one overdue, one never updated (and so not
    translated either)."""
    lately = timezone.localdate() - datetime.timedelta(days=3)
    fine("fine", on=lately)
    overdue = fine("late", on=lately, estimated_completion=datetime.date(2025, 1, 1))
    never = RecommendationFactory(code="never", title="Never updated")
    return overdue, never


def home(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode().split('id="needs-attention"', 1)[1].split('id="reports', 1)[0]


def test_the_admin_home_lists_what_needs_attention_with_links(manager_client, three):
    overdue, never = three
    module = home(manager_client)
    assert "Needs attention: 2 recommendations" in module
    changelist = reverse("admin:recommendations_recommendation_changelist")
    assert f'<a href="{changelist}?attention=overdue">Past the estimated completion' in module
    for rec in three:
        assert reverse("admin:recommendations_recommendation_change", args=[rec.pk]) in module
    assert "fine." not in module
    assert f"{never}</a>" in module
    row = module.split(f"{never}</a>", 1)[1].split("</tr>", 1)[0]
    assert "no update for 90 days" in row and "translation missing" in row
    assert "overdue" not in row
    assert "more</a>" not in module  # all of them are listed


def test_the_admin_home_says_when_nothing_needs_attention(manager_client):
    fine("fine", on=timezone.localdate())
    assert "Nothing needs attention." in home(manager_client)


def test_staff_without_the_right_to_change_recommendations_do_not_see_it(client, three):
    client.force_login(UserFactory(is_staff=True))
    page = client.get(reverse("admin:index")).content.decode()
    assert 'id="needs-attention"' not in page


def test_the_changelist_filters_by_reason(manager_client, three):
    overdue, never = three
    url = reverse("admin:recommendations_recommendation_changelist")
    listed = manager_client.get(url, {"attention": "overdue"}).context["cl"].result_list
    assert list(listed) == [overdue]
    listed = manager_client.get(url, {"attention": "any"}).context["cl"].result_list
    assert sorted(rec.code for rec in listed) == ["late", "never"]
    listed = manager_client.get(url, {"attention": "not_updated"}).context["cl"].result_list
    assert list(listed) == [never]


# Query discipline.

SIZES = [39, 400]
# Every admin page: the session, the user, the user's own rights and the group's rights ...
SIGNED_IN = 4
# ... the city, for the header ...
HEADER = 1
# ... and at the end the session is saved again: savepoint, update, release.
SESSION_SAVED = 3
COUNTS = "the number needing attention, for each reason and in all"
ROWS = "the first fifty of them with their plan and reasons"
RECENT_ACTIONS = "the user's recent actions, in the admin's sidebar"


@pytest.mark.parametrize("size", SIZES)
def test_the_admin_home_costs_the_same_at_any_size(
    manager_client, make_portfolio, django_assert_num_queries, size
):
    make_portfolio(size)  # every recommendation untranslated, most not updated lately
    queries = [COUNTS, ROWS, RECENT_ACTIONS]
    with django_assert_num_queries(SIGNED_IN + HEADER + len(queries) + SESSION_SAVED):
        response = manager_client.get(reverse("admin:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Needs attention: {size} recommendations" in page
    assert page.count('/change/">') == min(size, LIMIT)  # the rows, each linked
    more_links = page.count(
        reverse("admin:recommendations_recommendation_changelist") + "?attention=any"
    )
    assert more_links == (1 if size > LIMIT else 0)  # "and N more"
    if size > LIMIT:
        assert f"and {size - LIMIT} more</a>" in page
