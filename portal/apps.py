from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save


class PortalConfig(AppConfig):
    """The project package as an app, so every process (web, shell, commands) connects the
    signals that keep the public page cache fresh."""

    name = "portal"

    def ready(self):
        from recommendations.services import status_records_added

        from . import caching

        # status_records_added: the bulk import's records, which send no post_save.
        for signal in (post_save, post_delete, m2m_changed, status_records_added):
            signal.connect(caching.public_data_changed)
        post_migrate.connect(caching.after_migrate, sender=self)
