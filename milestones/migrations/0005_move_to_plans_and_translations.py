"""Each milestone's `<field>_es` columns go into its `translations`, on the rows and their
history rows; existing milestones belong to the plan the recommendations moved into."""

from django.db import migrations

FIELDS = ["title", "description"]


def forwards(apps, schema_editor):
    for name in ("Milestone", "HistoricalMilestone"):
        model = apps.get_model("milestones", name)
        for row in model.objects.all().iterator():
            texts = {f: getattr(row, f"{f}_es") for f in FIELDS if getattr(row, f"{f}_es")}
            if texts:
                row.translations = {**row.translations, "es": texts}
                row.save(update_fields=["translations"])
    plan = apps.get_model("plans", "Plan").objects.filter(slug="recommendations").first()
    if plan is not None:
        for name in ("Milestone", "HistoricalMilestone"):
            apps.get_model("milestones", name).objects.update(plan_id=plan.pk)


def backwards(apps, schema_editor):
    for name in ("Milestone", "HistoricalMilestone"):
        model = apps.get_model("milestones", name)
        for row in model.objects.all().iterator():
            spanish = (row.translations or {}).get("es", {})
            for field in FIELDS:
                setattr(row, f"{field}_es", spanish.get(field, ""))
            row.save(update_fields=[f"{field}_es" for field in FIELDS])


class Migration(migrations.Migration):
    dependencies = [
        ("milestones", "0004_plan_and_translations"),
        ("recommendations", "0008_move_to_plans_parties_translations"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
