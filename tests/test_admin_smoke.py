"""The manager can open every admin page their job needs; none of them fails."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import MilestoneFactory, StatusUpdateFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_of_each(manager):
    update = StatusUpdateFactory(created_by=manager)
    milestone = MilestoneFactory()
    milestone.recommendations.add(update.recommendation)
    update.note = "Corrected note."
    update.save()
    milestone.delete()  # a deleted milestone still has history rows to list
    return MilestoneFactory()


def manager_models(manager):
    """Every registered model the manager may view, with its admin."""
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if manager.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
    ]


def test_the_manager_sees_exactly_the_job_on_the_admin_index(manager_client):
    response = manager_client.get(reverse("admin:index"))
    assert response.status_code == 200
    names = {
        model["object_name"] for app in response.context["app_list"] for model in app["models"]
    }
    assert names == {
        "Recommendation",
        "StatusUpdate",
        "Topic",
        "Milestone",
        "HistoricalStatusUpdate",
        "HistoricalMilestone",
    }


def test_every_changelist_and_change_form_opens_for_the_manager(
    manager, manager_client, one_of_each
):
    models = manager_models(manager)
    assert len(models) >= 6
    for model, model_admin in models:
        info = model._meta.app_label, model._meta.model_name
        changelist = manager_client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert changelist.status_code == 200, model
        obj = model_admin.get_queryset(changelist.wsgi_request).first()
        assert obj is not None, model
        change = manager_client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        assert change.status_code == 200, model
        if model_admin.has_add_permission(change.wsgi_request):
            add = manager_client.get(reverse("admin:{}_{}_add".format(*info)))
            assert add.status_code == 200, model


def test_every_history_page_opens_for_the_manager(manager_client, one_of_each):
    update = StatusUpdateFactory()
    for obj in (update, update.recommendation, update.recommendation.topic, one_of_each):
        info = obj._meta.app_label, obj._meta.model_name
        response = manager_client.get(reverse("admin:{}_{}_history".format(*info), args=[obj.pk]))
        assert response.status_code == 200, obj


def test_the_autocomplete_for_linking_recommendations_answers_the_manager(manager_client):
    update = StatusUpdateFactory(recommendation__title="Crisis line staffing")
    response = manager_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "crisis",
            "app_label": "milestones",
            "model_name": "milestone",
            "field_name": "recommendations",
        },
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(update.recommendation.pk)]


def test_a_user_who_is_not_staff_cannot_enter_the_admin(client):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_view_on_site_leads_from_the_admin_to_the_public_pages(manager_client):
    update = StatusUpdateFactory()
    milestone = MilestoneFactory()
    for obj in (update.recommendation, update.recommendation.topic, milestone):
        info = obj._meta.app_label, obj._meta.model_name
        page = manager_client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        link = page.context["original"]
        view_on_site = reverse(
            "admin:view_on_site",
            args=[page.context["content_type_id"], link.pk],
        )
        assert view_on_site in page.content.decode(), obj
        response = manager_client.get(view_on_site)
        assert response.status_code == 302
        assert response.url.endswith(obj.get_absolute_url())
        public = manager_client.get(obj.get_absolute_url().split("#")[0])
        assert public.status_code == 200, obj
