"""A recommendation's page fits the manager's weekly work: the status records first, the
official wording (text, code, plan, topic) read-only for them and the superuser's to change;
a refused page (403) looks like the rest of the admin."""

import pytest
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse

from recommendations.models import Recommendation
from staff.views import permission_denied
from tests.admin_forms import form_data
from tests.factories import (
    PlanFactory,
    StatusUpdateFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

OFFICIAL_TEXT = "The City should publish every use-of-force report within 30 days."


@pytest.fixture
def rec():
    return StatusUpdateFactory(
        recommendation__code="12", recommendation__text=OFFICIAL_TEXT
    ).recommendation


def change_url(rec):
    return reverse("admin:recommendations_recommendation_change", args=[rec.pk])


def site_name(page):
    """The admin header's site name (the city's), from a page or a response."""
    html = page if isinstance(page, str) else page.content.decode()
    start = html.index('<div id="site-name">')
    return html[start : html.index("</div>", start)]


def forged(client, rec, **values):
    """The manager's page as a browser posts it, plus fields the page does not have."""
    data = form_data(client.get(change_url(rec)))
    data.update({name: str(value) for name, value in values.items()})
    return data


def test_the_manager_cannot_change_a_recommendations_official_text_or_code(manager_client, rec):
    elsewhere = TopicFactory(plan=PlanFactory(slug="pilots"))
    data = forged(
        manager_client,
        rec,
        code="99",
        order="99",
        text="The City may think about reports.",
        plan=elsewhere.plan_id,
        topic=elsewhere.pk,
        title="Use-of-force reports",
    )
    assert manager_client.post(change_url(rec), data).status_code == 302

    saved = Recommendation.objects.get(pk=rec.pk)
    official = (saved.code, saved.order, saved.text, saved.plan_id, saved.topic_id)
    assert official == (rec.code, rec.order, OFFICIAL_TEXT, rec.plan_id, rec.topic_id)
    assert saved.title == "Use-of-force reports"  # the rest of the page was saved
    assert saved.history.first().history_user.username == "manager"


def test_the_manager_sees_the_official_wording_as_text_without_fields(manager_client, rec):
    html = manager_client.get(change_url(rec)).content.decode()
    for name in ["code", "order", "text", "plan", "topic"]:
        assert f'name="{name}"' not in html, name
    assert f'<div class="readonly">{OFFICIAL_TEXT}</div>' in html
    assert "changed only by an administrator" in html
    # Ours to write: the short title, the background and the translation of the text.
    for name in ["title", "details", "text_es", "is_published"]:
        assert f'name="{name}"' in html, name


def test_the_superuser_can_change_the_official_text_and_code(superuser, superuser_client, rec):
    data = forged(superuser_client, rec, code="12a", text="The City shall publish them.")
    assert superuser_client.post(change_url(rec), data).status_code == 302

    saved = Recommendation.objects.get(pk=rec.pk)
    assert (saved.code, saved.text) == ("12a", "The City shall publish them.")
    assert saved.history.first().history_user == superuser
    assert (
        "changed only by an administrator"
        not in superuser_client.get(change_url(rec)).content.decode()
    )


def test_a_manager_given_the_permission_may_change_the_official_wording(
    manager, manager_client, rec
):
    manager.user_permissions.add(Permission.objects.get(codename="change_official_wording"))
    data = forged(manager_client, rec, code="12b")
    assert manager_client.post(change_url(rec), data).status_code == 302
    assert Recommendation.objects.get(pk=rec.pk).code == "12b"


def test_the_status_records_come_before_the_official_text(manager_client, rec):
    html = manager_client.get(change_url(rec)).content.decode()
    progress = html.index("Progress, from the status updates below")
    records = html.index('id="status_updates-group"')
    parties = html.index('id="responsibilities-group"')
    ours = html.index('name="title"')
    official = html.index(OFFICIAL_TEXT)
    assert progress < records < parties < ours < official


def test_the_add_page_keeps_the_official_fields_first_and_editable(superuser_client, rec):
    url = reverse("admin:recommendations_recommendation_add")
    page = superuser_client.get(url)
    html = page.content.decode()
    assert (
        html.index('name="code"')
        < html.index('name="title"')
        < html.index('id="status_updates-group"')
    )
    data = form_data(page)
    data.update(
        plan=str(rec.plan_id),
        code="40",
        order="40",
        title="Quarterly report",
        topic=str(rec.topic_id),
        text="The City should report every quarter.",
    )
    assert superuser_client.post(url, data).status_code == 302
    assert Recommendation.objects.get(code="40").text == "The City should report every quarter."


def test_an_error_is_summarised_at_the_top_above_the_status_records(manager_client, rec):
    data = forged(manager_client, rec, title="")
    html = manager_client.post(change_url(rec), data).content.decode()
    summary = html.index('id="error-summary"')
    assert summary < html.index('id="status_updates-group"')
    assert '<a href="#id_title">Title</a>: This field is required.' in html


def test_the_manager_gets_a_403_page_in_the_admins_layout(manager_client):
    response = manager_client.get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 403
    html = response.content.decode()
    assert site_name(html) == site_name(manager_client.get(reverse("admin:index")))
    assert "You cannot open this page" in html
    assert f'href="{reverse("admin:index")}"' in html
    assert "admin/css/base.css" in html


def test_a_forbidden_post_gets_the_same_page(manager_client, rec):
    status = rec.status_updates.get().status
    url = reverse("admin:recommendations_status_change", args=[status.pk])
    response = manager_client.post(url, {"name": "Done"})
    assert response.status_code == 403
    assert '<div id="site-name">' in response.content.decode()


def test_a_403_outside_the_admin_looks_like_the_public_site(rf_user):
    response = permission_denied(rf_user("/recommendations/"), None)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Access denied" in html
    assert 'href="#main-content"' in html  # the public page frame, skip link included
    assert 'id="site-name"' not in html  # not the admin's header


@pytest.fixture
def rf_user():
    def make(path):
        request = RequestFactory().get(path)
        request.user = UserFactory()
        return request

    return make
