from django.db import migrations

from search.documents import rebuild_all


def build(apps, schema_editor):
    """The documents of the recommendations already there (new ones get theirs by signal)."""
    rebuild_all(
        apps.get_model("recommendations", "Recommendation"),
        apps.get_model("search", "SearchDocument"),
    )


def remove(apps, schema_editor):
    apps.get_model("search", "SearchDocument").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("plans", "0002_dates_not_before_1990"),
    ]

    operations = [migrations.RunPython(build, remove)]
