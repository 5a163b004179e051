"""Who may do what in the admin: anonymous visitors, the implementation manager, a superuser."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse

from plans.models import City, Plan
from recommendations.models import Status
from tests.factories import (
    MilestoneFactory,
    StatusUpdateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(manager):
    update = StatusUpdateFactory(created_by=manager)
    return {
        "recommendation": update.recommendation,
        "statusupdate": update,
        "topic": update.recommendation.topic,
        "milestone": MilestoneFactory(),
        "party": update.recommendation.responsibilities.get().party,
        "plan": update.recommendation.plan,
        "city": City.objects.create(name="Oklahoma City", partnership_name="OKC Partnership"),
    }


def url(name, *args):
    return reverse(f"admin:{name}", args=args)


# The manager's job: add, change and view these; delete only status updates, milestones and a
# party's role on a recommendation; view the plans. The city and the plans are the superuser's.
JOB = {
    "recommendations": {
        "recommendation": ["add", "change", "view"],
        "topic": ["add", "change", "view"],
        "statusupdate": ["add", "change", "delete", "view"],
        "responsibility": ["add", "change", "delete", "view"],
    },
    "milestones": {"milestone": ["add", "change", "delete", "view"]},
    "plans": {"plan": ["view"], "party": ["add", "change", "view"]},
    "feedback": {"feedback": ["change", "view"]},
    # Their own sign-ins only (the admin filters the rows); the records keep no history.
    "accounts": {"signinevent": ["view"]},
}
UNTRACKED = {"accounts"}


def group_rights():
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name="Implementation manager").permissions.all()
    }


def test_the_group_holds_exactly_the_rights_of_the_job():
    job = {
        f"{app}.{action}_{model}"
        for app, models in JOB.items()
        for model, actions in models.items()
        for action in actions
    }
    history = {
        f"{app}.view_historical{model}"
        for app, models in JOB.items()
        if app not in UNTRACKED
        for model in models
    }
    assert group_rights() == job | history


def test_the_rights_on_plans_and_parties_come_and_go_with_their_migration():
    migration = importlib.import_module("staff.migrations.0002_manager_rights_on_plans_and_parties")
    before = group_rights()
    migration.remove_rights(apps, None)
    assert {right.split(".")[1] for right in before - group_rights()} == {
        "view_plan",
        "view_historicalplan",
        "add_party",
        "change_party",
        "view_party",
        "view_historicalparty",
        "add_responsibility",
        "change_responsibility",
        "delete_responsibility",
        "view_responsibility",
        "view_historicalresponsibility",
    }
    migration.add_rights(apps, None)
    assert group_rights() == before


def test_anonymous_visitors_are_sent_to_the_login_page(client, objects):
    for path in [
        url("index"),
        url("recommendations_recommendation_changelist"),
        url("recommendations_recommendation_change", objects["recommendation"].pk),
        url("milestones_milestone_add"),
        url("auth_user_changelist"),
    ]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(url("login")), path


APPS = {"milestone": "milestones", "party": "plans", "plan": "plans", "city": "plans"}


@pytest.mark.parametrize(
    "name", ["recommendation", "statusupdate", "topic", "milestone", "party"], ids=str
)
def test_the_manager_can_list_open_and_add(manager_client, objects, name):
    app = APPS.get(name, "recommendations")
    assert manager_client.get(url(f"{app}_{name}_changelist")).status_code == 200
    assert manager_client.get(url(f"{app}_{name}_add")).status_code == 200
    change = manager_client.get(url(f"{app}_{name}_change", objects[name].pk))
    assert change.status_code == 200
    assert change.context["has_change_permission"]


def test_the_manager_can_delete_status_updates_and_milestones(manager_client, objects):
    for app, name in [("recommendations", "statusupdate"), ("milestones", "milestone")]:
        response = manager_client.get(url(f"{app}_{name}_delete", objects[name].pk))
        assert response.status_code == 200, name


def test_the_manager_cannot_delete_recommendations_topics_or_parties(manager_client, objects):
    for name in ["recommendation", "topic", "party"]:
        app = APPS.get(name, "recommendations")
        response = manager_client.get(url(f"{app}_{name}_delete", objects[name].pk))
        assert response.status_code == 403, name


def test_the_manager_can_view_the_plans_but_not_change_them(manager_client, objects):
    plan = objects["plan"]
    assert manager_client.get(url("plans_plan_changelist")).status_code == 200
    page = manager_client.get(url("plans_plan_change", plan.pk))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert manager_client.post(url("plans_plan_change", plan.pk), {"name": "Mine"}).status_code == (
        403
    )
    assert Plan.objects.get(pk=plan.pk).name == plan.name
    for path in [url("plans_plan_add"), url("plans_plan_delete", plan.pk)]:
        assert manager_client.get(path).status_code == 403, path


def test_the_manager_cannot_see_or_change_the_city(manager_client, objects):
    city = objects["city"]
    for path in [
        url("plans_city_changelist"),
        url("plans_city_change", city.pk),
        url("plans_city_history", city.pk),
    ]:
        assert manager_client.get(path).status_code == 403, path
    manager_client.post(url("plans_city_change", city.pk), {"name": "Elsewhere"})
    assert City.objects.get().name == "Oklahoma City"


@pytest.mark.parametrize(
    "path",
    [
        "auth_user_changelist",
        "auth_user_add",
        "auth_group_changelist",
        "auth_group_add",
        "recommendations_status_changelist",
        "recommendations_status_add",
        "plans_city_add",
    ],
)
def test_the_manager_gets_403_on_users_groups_and_the_status_scale(manager_client, path):
    assert manager_client.get(url(path)).status_code == 403


def test_the_manager_cannot_open_or_change_a_user_or_a_status(manager, manager_client):
    status = Status.objects.get(slug="planning")
    for path in [
        url("auth_user_change", manager.pk),
        url("auth_user_password_change", manager.pk),
        url("recommendations_status_change", status.pk),
        url("recommendations_status_history", status.pk),
    ]:
        assert manager_client.get(path).status_code == 403, path
    response = manager_client.post(
        url("recommendations_status_change", status.pk), {"name": "Done"}
    )
    assert response.status_code == 403
    assert Status.objects.get(pk=status.pk).name == "Planning"


def test_the_manager_cannot_make_themselves_superuser(manager, manager_client):
    manager_client.post(
        url("auth_user_change", manager.pk), {"username": "manager", "is_superuser": "on"}
    )
    manager.refresh_from_db()
    assert not manager.is_superuser


def test_the_superuser_can_do_everything(superuser_client, objects):
    status = Status.objects.get(slug="planning")
    for path in [
        url("auth_user_changelist"),
        url("auth_user_add"),
        url("auth_group_changelist"),
        url("recommendations_status_changelist"),
        url("recommendations_status_change", status.pk),
        url("recommendations_recommendation_delete", objects["recommendation"].pk),
        url("recommendations_topic_delete", objects["topic"].pk),
        url("recommendations_statusupdate_delete", objects["statusupdate"].pk),
        url("milestones_milestone_delete", objects["milestone"].pk),
        url("recommendations_historicalstatusupdate_changelist"),
        url("plans_city_change", objects["city"].pk),
        url("plans_plan_add"),
        url("plans_plan_change", objects["plan"].pk),
        url("plans_party_delete", objects["party"].pk),
    ]:
        assert superuser_client.get(path).status_code == 200, path


def test_there_is_one_city_record_and_no_second(superuser_client, objects):
    assert superuser_client.get(url("plans_city_add")).status_code == 403


def test_staff_outside_the_group_see_nothing_to_edit(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url("index")).context["app_list"] == []
    assert client.get(url("recommendations_recommendation_changelist")).status_code == 403
