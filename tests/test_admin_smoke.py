"""Every admin page opens: the manager's (their job) and the superuser's (the city, the plans,
the status scale too); none of them fails."""

import pytest
from django.contrib import admin
from django.urls import reverse

from plans.models import City
from tests.factories import (
    MilestoneFactory,
    PartyFactory,
    PlanFactory,
    RecommendationFactory,
    StatusUpdateFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

OUR_APPS = {"plans", "recommendations", "milestones"}


@pytest.fixture
def one_of_each(manager):
    """At least one object of every model with an admin, and history rows of deleted ones."""
    City.objects.create(name="Oklahoma City", partnership_name="OKC Public Safety Partnership")
    update = StatusUpdateFactory(created_by=manager)
    pilots = TopicFactory(plan=PlanFactory(slug="pilots", short_name="Pilots"))
    RecommendationFactory(topic=pilots, code="MH1", leads=[PartyFactory(slug="mental-health")])
    milestone = MilestoneFactory(plan=update.recommendation.plan)
    milestone.recommendations.add(update.recommendation)
    update.note = "Corrected note."
    update.save()
    milestone.delete()  # a deleted milestone still has history rows to list
    return MilestoneFactory()


def registered(user, app_labels=OUR_APPS):
    """Every registered model the user may view, with its admin."""
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in app_labels
        and user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
    ]


def open_every_page(client, models):
    for model, model_admin in models:
        info = model._meta.app_label, model._meta.model_name
        changelist = client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert changelist.status_code == 200, model
        obj = model_admin.get_queryset(changelist.wsgi_request).first()
        assert obj is not None, model
        change = client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        assert change.status_code == 200, model
        if model_admin.has_add_permission(change.wsgi_request):
            add = client.get(reverse("admin:{}_{}_add".format(*info)))
            assert add.status_code == 200, model


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
        "Party",
        "Plan",
        "HistoricalStatusUpdate",
        "HistoricalMilestone",
        "Feedback",
        "SignInEvent",
    }


def test_every_changelist_and_change_form_opens_for_the_manager(
    manager, manager_client, one_of_each
):
    models = registered(manager)
    assert {model.__name__ for model, _ in models} >= {"Party", "Plan", "Recommendation"}
    open_every_page(manager_client, models)


def test_every_changelist_and_change_form_opens_for_the_superuser(
    superuser, superuser_client, one_of_each
):
    models = registered(superuser)
    assert {model.__name__ for model, _ in models} >= {"City", "Plan", "Party", "Status"}
    open_every_page(superuser_client, models)


def test_every_history_page_opens_for_the_manager(manager_client, one_of_each):
    update = StatusUpdateFactory()
    rec = update.recommendation
    party = rec.responsibilities.get().party
    for obj in (update, rec, rec.topic, rec.plan, party, one_of_each):
        info = obj._meta.app_label, obj._meta.model_name
        response = manager_client.get(reverse("admin:{}_{}_history".format(*info), args=[obj.pk]))
        assert response.status_code == 200, obj


@pytest.mark.parametrize(
    ("model_name", "field_name", "term"),
    [("milestone", "recommendations", "crisis"), ("responsibility", "party", "police")],
)
def test_the_autocompletes_answer_the_manager(manager_client, model_name, field_name, term):
    update = StatusUpdateFactory(recommendation__title="Crisis line staffing")
    police = PartyFactory(name="Police Department")
    expected = update.recommendation if term == "crisis" else police
    response = manager_client.get(
        reverse("admin:autocomplete"),
        {
            "term": term,
            "app_label": "milestones" if model_name == "milestone" else "recommendations",
            "model_name": model_name,
            "field_name": field_name,
        },
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(expected.pk)]


def test_a_user_who_is_not_staff_cannot_enter_the_admin(client):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def header(client):
    page = client.get(reverse("admin:index")).content.decode()
    return page.split('<div id="site-name">', 1)[1].split("</div>", 1)[0]


def test_the_header_names_the_city_of_its_record_as_it_is_now(manager_client, settings):
    settings.PORTAL_CITY = "Our city"
    assert "Our city progress portal: staff" in header(manager_client)
    city = City.objects.create(name="Tulsa", partnership_name="Tulsa Partnership")
    assert "Tulsa progress portal: staff" in header(manager_client)
    city.name = "Oklahoma City"
    city.save()
    assert "Oklahoma City progress portal: staff" in header(manager_client)


def test_the_sign_in_page_names_the_city_too(client):
    City.objects.create(name="Tulsa", partnership_name="Tulsa Partnership")
    page = client.get(reverse("admin:login")).content.decode()
    assert "Tulsa progress portal: staff" in page


def test_view_on_site_leads_from_the_admin_to_the_public_pages(manager_client):
    update = StatusUpdateFactory()
    milestone = MilestoneFactory()
    rec = update.recommendation
    for obj in (rec, rec.topic, rec.plan, milestone):
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
