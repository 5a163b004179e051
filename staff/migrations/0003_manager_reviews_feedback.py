"""Gives the "Implementation manager" group the review of residents' feedback.

View and change feedback (its state and the staff note: answered, dismissed), and view its
history. Not add (feedback comes only from residents) and not delete: erasing a message, on a
resident's request, is the superuser's.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Implementation manager"

RIGHTS = {
    "feedback": {
        "feedback": ["change", "view"],
        "historicalfeedback": ["view"],
    },
}


def _rights(apps):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
        for app_label, models in RIGHTS.items()
        for model, actions in models.items()
        for action in actions
    ]


def add_rights(apps, schema_editor):
    # As in 0001: Django creates permissions after the last migration, so create them now for
    # a fresh database to get a complete group.
    using = schema_editor.connection.alias if schema_editor else "default"
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0, using=using)
        app_config.models_module = models_module

    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)
    group.permissions.add(*_rights(apps))


def remove_rights(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*_rights(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0002_manager_rights_on_plans_and_parties"),
        ("feedback", "0001_initial"),
    ]

    operations = [migrations.RunPython(add_rights, remove_rights)]
