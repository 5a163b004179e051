"""Bulk actions on the recommendations list: publish, unpublish, set the topic, add or remove a
responsible party. Each changes every selected row or none, raises its version and writes a
history row naming the action and the user; the topic is the superuser's to set."""

import pytest
from django.urls import reverse

from core.versioning import save_edit
from recommendations.models import Recommendation, Responsibility
from tests.admin_forms import form_data
from tests.factories import PartyFactory, PlanFactory, RecommendationFactory, TopicFactory

pytestmark = pytest.mark.django_db

LIST = reverse("admin:recommendations_recommendation_changelist")


def picked(action, recs):
    """The list's action form with `action` chosen and `recs` ticked."""
    return {"action": action, "_selected_action": [str(rec.pk) for rec in recs], "index": "0"}


def choose(client, action, recs):
    return client.post(LIST, picked(action, recs), follow=True)


def confirmed(client, action, recs, **values):
    """The action's confirmation page for `recs`, filled in with `values`, as a browser posts
    it: every selected recommendation and the version the page showed it at."""
    page = client.post(LIST, picked(action, recs))
    assert page.status_code == 200
    data = form_data(page, "bulk-change-form")
    del data["_save"]  # the confirmation's button has no name
    for name, value in values.items():
        data[name] = str(value)
    return dict(data.lists())


def text(response):
    return " ".join(response.content.decode().split())


def saved(rec):
    return Recommendation.objects.get(pk=rec.pk)


def latest_history(rec):
    row = saved(rec).history.first()
    return row.history_change_reason, row.history_user.username


def test_the_manager_publishes_and_unpublishes_the_selected_recommendations(manager_client):
    drafts = RecommendationFactory.create_batch(2, is_published=False)
    public = RecommendationFactory()

    response = choose(manager_client, "publish_selected", [*drafts, public])
    assert "2 recommendations published; 1 was already." in text(response)
    for rec in drafts:
        assert (saved(rec).is_published, saved(rec).version) == (True, 2)
        assert latest_history(rec) == ("Bulk action: published", "manager")
    assert saved(public).version == 1  # left alone, no history row

    response = choose(manager_client, "unpublish_selected", [drafts[0]])
    assert "1 recommendation unpublished." in text(response)
    assert not saved(drafts[0]).is_published
    assert latest_history(drafts[0]) == ("Bulk action: unpublished", "manager")


def test_the_superuser_sets_the_topic_of_the_selected_recommendations(superuser_client):
    recs = RecommendationFactory.create_batch(2)
    housing = TopicFactory(name="Housing", number=7)

    data = confirmed(superuser_client, "set_topic_of_selected", recs, topic=housing.pk)
    response = superuser_client.post(LIST, data, follow=True)

    assert "2 recommendations moved to “7. Housing”." in text(response)
    for rec in recs:
        assert (saved(rec).topic, saved(rec).version) == (housing, 2)
        assert latest_history(rec) == ("Bulk action: topic set to 7. Housing", "admin")


def test_the_topic_page_lists_the_recommendations_and_looks_like_the_admin(superuser_client):
    recs = RecommendationFactory.create_batch(2)
    html = text(superuser_client.post(LIST, picked("set_topic_of_selected", recs)))
    assert '<div id="site-name">' in html
    assert "The 2 selected recommendations" in html
    for rec in recs:
        assert str(rec) in html
    assert Recommendation.objects.filter(version=1).count() == 2  # nothing saved yet


def test_a_topic_of_another_plan_is_refused_naming_the_recommendations_and_nothing_is_saved(
    superuser_client,
):
    ours = RecommendationFactory()
    pilot = RecommendationFactory(
        code="P1", topic=TopicFactory(plan=PlanFactory(slug="pilots", short_name="Pilots"))
    )
    topic = TopicFactory(name="Housing", number=7)  # of the main plan, like `ours`

    data = confirmed(superuser_client, "set_topic_of_selected", [ours, pilot], topic=topic.pk)
    response = superuser_client.post(LIST, data)

    assert response.status_code == 200  # the page again, with the refusal at its top
    assert "these recommendations are in another plan: P1 (Pilots). Nothing was changed." in (
        text(response)
    )
    assert (saved(ours).topic, saved(ours).version) == (ours.topic, 1)
    assert (saved(pilot).topic, saved(pilot).version) == (pilot.topic, 1)


def test_the_manager_cannot_set_the_topic(manager_client):
    rec = RecommendationFactory()
    elsewhere = TopicFactory()
    listing = manager_client.get(LIST)
    assert "set_topic_of_selected" not in listing.content.decode()

    forged = {
        "action": "set_topic_of_selected",
        "_selected_action": [str(rec.pk)],
        "post": "yes",
        "topic": str(elsewhere.pk),
        f"loaded_version_{rec.pk}": "1",
    }
    manager_client.post(LIST, forged)
    assert (saved(rec).topic, saved(rec).version) == (rec.topic, 1)


def test_the_manager_adds_and_removes_a_responsible_party(manager_client):
    police = PartyFactory(slug="police", name="Police Department", short_name="OKCPD")
    recs = RecommendationFactory.create_batch(2)
    Responsibility.objects.create(recommendation=recs[1], party=police, role="support")

    data = confirmed(manager_client, "add_party_to_selected", recs, party=police.pk, role="support")
    response = manager_client.post(LIST, data, follow=True)

    assert "1 recommendation now has Police Department as support; 1 has it already." in text(
        response
    )
    added = Responsibility.objects.get(recommendation=recs[0], party=police)
    assert (added.role, added.history.get().history_user.username) == ("support", "manager")
    assert latest_history(recs[0]) == (
        "Bulk action: responsible parties: added OKCPD (Support)",
        "manager",
    )
    assert saved(recs[1]).version == 1

    data = confirmed(
        manager_client, "remove_party_from_selected", recs, party=police.pk, role="support"
    )
    response = manager_client.post(LIST, data, follow=True)

    assert "2 recommendations no longer have Police Department as support." in text(response)
    assert not police.responsibilities.exists()
    assert latest_history(recs[1]) == (
        "Bulk action: responsible parties: removed OKCPD (Support)",
        "manager",
    )


def test_a_recommendation_changed_after_the_page_was_opened_is_refused_and_nothing_saved(
    manager, manager_client
):
    first, second = RecommendationFactory.create_batch(2)
    police = PartyFactory(slug="police", name="Police Department")
    data = confirmed(manager_client, "add_party_to_selected", [first, second], party=police.pk)
    second.title = "A new title"
    save_edit(obj=second, expected_version=1, user=manager)

    response = manager_client.post(LIST, data)

    assert response.status_code == 200
    assert "Maria Lopez saved this recommendation" in text(response)
    assert not police.responsibilities.exists()
    assert saved(first).version == 1
