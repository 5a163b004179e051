"""Creates Oklahoma City's status scale. Another city edits these rows in the admin."""

from django.db import migrations

SCALE = [
    # (order, name, slug, phase, default progress, public definition)
    (
        1,
        "On Hold",
        "on-hold",
        "not-started",
        0,
        "Work has not started or is paused. No start date has been set and the completion date "
        "is to be determined. Counted as not started.",
    ),
    (
        2,
        "Initiation",
        "initiation",
        "in-progress",
        10,
        "Work on the recommendation has begun.",
    ),
    (
        3,
        "Planning",
        "planning",
        "in-progress",
        40,
        "An action plan has been written and the responsible parties are carrying it out.",
    ),
    (
        4,
        "Approaching Implementation",
        "approaching-implementation",
        "in-progress",
        70,
        "The work in the action plan is done and is being reviewed to confirm that it meets "
        "the recommendation.",
    ),
    (
        5,
        "Full Implementation",
        "full-implementation",
        "implemented",
        100,
        "The review has confirmed that the recommendation is carried out in full.",
    ),
    (
        6,
        "Evaluation",
        "evaluation",
        "implemented",
        100,
        "The recommendation is implemented and its results are now being evaluated.",
    ),
]


def create_scale(apps, schema_editor):
    Status = apps.get_model("recommendations", "Status")
    for order, name, slug, phase, progress, definition in SCALE:
        Status.objects.update_or_create(
            slug=slug,
            defaults={
                "order": order,
                "name": name,
                "phase": phase,
                "default_progress": progress,
                "definition": definition,
            },
        )


def remove_scale(apps, schema_editor):
    Status = apps.get_model("recommendations", "Status")
    Status.objects.filter(slug__in=[row[2] for row in SCALE], updates__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0001_initial")]

    operations = [migrations.RunPython(create_scale, remove_scale)]
