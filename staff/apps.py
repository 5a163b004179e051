from django.apps import AppConfig


class StaffConfig(AppConfig):
    """The admin of every model, the implementation manager's group and account, and the
    sign-in lockout page."""

    name = "staff"
    verbose_name = "Staff"
