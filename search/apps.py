from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class SearchConfig(AppConfig):
    """Word search over the recommendations, in the page's language: a search document per
    recommendation and language, kept current by signals, answering the filters' `q`."""

    name = "search"

    def ready(self):
        from plans.models import Party
        from recommendations import filters
        from recommendations.models import Recommendation, Responsibility, StatusUpdate, Topic
        from recommendations.services import status_records_added

        from . import signals
        from .queries import search_recommendations

        # The filters sit in a lower app, which cannot import this one: plug the search in.
        filters.register_search(search_recommendations)

        post_save.connect(signals.recommendation_saved, sender=Recommendation)
        post_save.connect(signals.status_record_saved, sender=StatusUpdate)
        status_records_added.connect(signals.status_records_added, sender=StatusUpdate)
        post_save.connect(signals.responsibility_saved, sender=Responsibility)
        for model in (StatusUpdate, Responsibility):
            post_delete.connect(signals.part_deleted, sender=model)
        post_save.connect(signals.topic_saved, sender=Topic)
        post_save.connect(signals.party_saved, sender=Party)
        m2m_changed.connect(signals.parties_changed, sender=Responsibility)
