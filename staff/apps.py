from django.apps import AppConfig


class StaffConfig(AppConfig):
    """Staff setup: the implementation manager's group and account, and what every admin edit
    shares (the version check, read-only history, the sign-in lockout page)."""

    name = "staff"
    verbose_name = "Staff"
