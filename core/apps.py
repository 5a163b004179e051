from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares: content translations, the version check on edits, the staff
    preview of public pages and the admin's edit helpers. It imports from no app of ours."""

    name = "core"
