"""`manage.py send_attention_reminders` emails each implementation manager what needs
attention, with links into the admin; --dry-run sends nothing."""

import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from plans.models import City
from tests.conftest import manager_group
from tests.factories import RecommendationFactory, StatusUpdateFactory, UserFactory, status

pytestmark = pytest.mark.django_db

BASE_URL = "https://progress.okc.example"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.PORTAL_BASE_URL = BASE_URL
    settings.DEFAULT_FROM_EMAIL = "portal@okc.example"


@pytest.fixture
def recs(db):
    """One recommendation past its estimated completion, one needing nothing."""
    City.objects.create(name="Oklahoma City", partnership_name="OKC Public Safety Partnership")
    late = RecommendationFactory(
        code="12",
        title="Crisis line staffing",
        title_es="Personal de la línea de crisis",
        text_es="El texto.",
        estimated_completion=datetime.date(2025, 1, 1),
    )
    fine = RecommendationFactory(
        code="13", title="Body cameras", title_es="Cámaras", text_es="El texto."
    )
    for rec in (late, fine):
        StatusUpdateFactory(
            recommendation=rec,
            status=status("planning"),
            effective_date=timezone.localdate() - datetime.timedelta(days=7),
            note_es="Avanzó.",
        )
    return late, fine


def send(*args, **options):
    return call_command("send_attention_reminders", *args, **options)


def test_the_manager_gets_the_list_with_links_into_the_admin(manager, recs, capsys):
    late, fine = recs
    send()
    [email] = mail.outbox
    assert email.to == [manager.email]
    assert email.from_email == "portal@okc.example"
    assert email.subject == "OKC Public Safety Partnership: 1 recommendation needs attention"
    change = BASE_URL + reverse("admin:recommendations_recommendation_change", args=[late.pk])
    overdue = BASE_URL + reverse("admin:recommendations_recommendation_changelist")
    overdue += "?attention=overdue"
    assert "Hello Maria," in email.body
    assert "12. Crisis line staffing\n  Why: overdue\n  " + change in email.body
    assert "Past the estimated completion and not implemented: 1" in email.body
    assert overdue in email.body
    assert "Body cameras" not in email.body
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html"
    assert f'<a href="{change}">12. Crisis line staffing</a>' in html
    assert f'<a href="{overdue}">' in html
    assert "Body cameras" not in html
    assert f"Sent to {manager.email}" in capsys.readouterr().out


def test_only_active_staff_with_the_right_to_change_recommendations_get_it(manager, recs):
    colleague = UserFactory(username="colleague", is_staff=True)
    colleague.groups.add(manager_group())
    gone = UserFactory(username="gone", is_staff=True, is_active=False)
    gone.groups.add(manager_group())
    UserFactory(username="admin", is_staff=True, is_superuser=True)  # not the manager's job
    UserFactory(username="viewer", is_staff=True)  # no rights
    send(verbosity=0)
    assert sorted(email.to[0] for email in mail.outbox) == [
        "colleague@example.org",
        "manager@example.org",
    ]


def test_a_manager_without_an_email_address_is_skipped_and_named(manager, recs, capsys):
    nameless = UserFactory(username="no-address", email="", is_staff=True)
    nameless.groups.add(manager_group())
    send()
    assert [email.to for email in mail.outbox] == [[manager.email]]
    assert "Skipped no-address: no email address." in capsys.readouterr().out


def test_a_dry_run_prints_what_would_be_sent_and_sends_nothing(manager, recs, capsys):
    send("--dry-run")
    assert mail.outbox == []
    out = capsys.readouterr().out
    assert f"Would send to {manager.email}: OKC Public Safety Partnership" in out
    assert "12. Crisis line staffing" in out


def test_nothing_is_sent_when_nothing_needs_attention(manager, recs, capsys):
    late, _ = recs
    late.estimated_completion = None
    late.save()
    send()
    assert mail.outbox == []
    assert "Nothing needs attention" in capsys.readouterr().out


def test_without_the_portal_address_it_refuses_to_send(manager, recs, settings):
    settings.PORTAL_BASE_URL = ""
    with pytest.raises(CommandError, match="PORTAL_BASE_URL"):
        send()
    assert mail.outbox == []
