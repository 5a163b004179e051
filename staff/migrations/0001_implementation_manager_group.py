"""Creates the "Implementation manager" group with exactly the rights the weekly update needs.

Add, change and view recommendations, topics, status updates and milestones; delete status
updates and milestones (corrections, which stay in the history); view the history. Nothing on
users, groups or the status scale, and no right to change or delete history rows.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Implementation manager"

RIGHTS = {
    "recommendations": {
        "recommendation": ["add", "change", "view"],
        "topic": ["add", "change", "view"],
        "statusupdate": ["add", "change", "delete", "view"],
        "historicalrecommendation": ["view"],
        "historicaltopic": ["view"],
        "historicalstatusupdate": ["view"],
    },
    "milestones": {
        "milestone": ["add", "change", "delete", "view"],
        "historicalmilestone": ["view"],
    },
}


def create_group(apps, schema_editor):
    # Django creates permissions after the last migration; create them now so that a fresh
    # database gets a complete group.
    using = schema_editor.connection.alias if schema_editor else "default"
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0, using=using)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    wanted = [
        Permission.objects.get(
            content_type__app_label=app_label, codename=f"{action}_{model}"
        )
        for app_label, models in RIGHTS.items()
        for model, actions in models.items()
        for action in actions
    ]
    group.permissions.set(wanted)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("recommendations", "0004_version_for_optimistic_locking"),
        ("milestones", "0002_version_for_optimistic_locking"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
