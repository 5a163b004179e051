"""Upgrading a database from the two-language schema: every Spanish text moves into
`translations` (history included), the rows go into one plan, numbers become codes and orders,
and each free-text lead becomes parties. Nothing is lost."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("recommendations", "0006_status_scale_in_spanish"),
    ("milestones", "0003_spanish_columns"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_apps(transactional_db):
    apps = migrate(BEFORE)
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_the_spanish_texts_numbers_and_leads_move_over_with_nothing_lost(old_apps):
    topic = old_apps.get_model("recommendations", "Topic").objects.create(
        number=1, name="Youth", name_es="Jóvenes", slug="youth", description=""
    )
    rec = old_apps.get_model("recommendations", "Recommendation").objects.create(
        number=10,
        title="Mentors",
        title_es="Mentores",
        text="Fund mentors.",
        text_es="Financiar mentores.",
        topic=topic,
        lead="City and OKCPD",
        lead_es="Ciudad y OKCPD",
    )
    # A step of its own: an earlier test that empties the tables may have removed the scale.
    status = old_apps.get_model("recommendations", "Status").objects.create(
        name="Drafting",
        name_es="Redacción",
        slug="drafting",
        order=99,
        definition="Being drafted.",
        definition_es="En redacción.",
        phase="in-progress",
        default_progress=20,
    )
    old_apps.get_model("recommendations", "StatusUpdate").objects.create(
        recommendation=rec,
        status=status,
        effective_date=datetime.date(2024, 1, 1),
        progress=40,
        note="Planned.",
        note_es="Planificada.",
    )
    old_apps.get_model("milestones", "Milestone").objects.create(
        date=datetime.date(2024, 2, 1), title="Vote", title_es="Votación"
    )

    new_apps = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    recommendation = new_apps.get_model("recommendations", "Recommendation").objects.get()
    assert (recommendation.code, recommendation.order) == ("10", 10)
    assert recommendation.translations == {
        "es": {"title": "Mentores", "text": "Financiar mentores."}
    }
    assert recommendation.plan.topics.get().translations == {"es": {"name": "Jóvenes"}}
    leads = recommendation.responsibilities.filter(role="lead")
    assert sorted(r.party.name for r in leads) == ["City", "OKCPD"]
    assert leads.get(party__name="City").party.translations == {"es": {"name": "Ciudad"}}
    update = new_apps.get_model("recommendations", "StatusUpdate").objects.get()
    assert update.translations == {"es": {"note": "Planificada."}}
    milestone = new_apps.get_model("milestones", "Milestone").objects.get()
    assert milestone.translations == {"es": {"title": "Votación"}}
    assert milestone.plan_id == recommendation.plan_id
    step = new_apps.get_model("recommendations", "Status").objects.get(slug="drafting")
    assert step.translations == {"es": {"name": "Redacción", "definition": "En redacción."}}
