"""Gives the "Implementation manager" group the view of sign-in records (the admin shows each
manager only their own: accounts.admin.SignInEventAdmin). The group is staff's: this runs after
its 0001, which sets the group's rights whole."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Implementation manager"

RIGHTS = {"accounts": {"signinevent": ["view"]}}


def _rights(apps):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
        for app_label, models in RIGHTS.items()
        for model, actions in models.items()
        for action in actions
    ]


def add_rights(apps, schema_editor):
    # Django creates permissions after the last migration, so create them now for a fresh
    # database to get a complete group.
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
        ("accounts", "0001_initial"),
        ("staff", "0001_implementation_manager_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(add_rights, remove_rights)]
