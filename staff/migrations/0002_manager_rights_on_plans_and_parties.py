"""Gives the "Implementation manager" group the rights that plans and parties need.

View plans; add, change and view parties; add, change, delete and view the parties' roles on a
recommendation (responsibilities); view the history of each. The city and the plans themselves
stay the superuser's to edit (least privilege), and parties are never deleted by the manager.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Implementation manager"

RIGHTS = {
    "plans": {
        "plan": ["view"],
        "party": ["add", "change", "view"],
        "historicalplan": ["view"],
        "historicalparty": ["view"],
    },
    "recommendations": {
        "responsibility": ["add", "change", "delete", "view"],
        "historicalresponsibility": ["view"],
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
        ("staff", "0001_implementation_manager_group"),
        ("plans", "0001_initial"),
        ("recommendations", "0009_remove_spanish_columns_number_and_lead"),
    ]

    operations = [migrations.RunPython(add_rights, remove_rights)]
