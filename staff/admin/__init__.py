"""The admin: what the implementation manager and the superuser see and edit. Every model's
admin is here, in one module per app; each save goes through that app's services."""

from staff import site  # noqa: F401 (the admin site's names)

from . import feedback, milestones, plans, recommendations  # noqa: F401 (registers the admins)
