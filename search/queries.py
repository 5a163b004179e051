"""The `q` of the recommendation filters (recommendations/filters.py), answered from the
search documents in the page's language."""

from django.db.models import OuterRef, Subquery

from core.translations import active_language, default_language

from .documents import languages
from .models import SearchDocument
from .words import query_words


def search_recommendations(queryset, text, language=None):
    """The recommendations of `queryset` whose document in `language` (default: the page's)
    holds every word of `text`, best first (see SearchDocumentQuerySet.ranked), then in the
    queryset's own order. Text with no word in it (only signs or emoji) matches nothing.

    Still one query: the matches are a subquery, the rank a correlated one.
    """
    language = language or active_language()
    if language not in languages():
        language = default_language()
    words = query_words(text, language)
    if not words:
        return queryset.none()
    documents = SearchDocument.objects.filter(language=language)
    rank = documents.filter(recommendation=OuterRef("pk")).ranked(words).values("rank")[:1]
    order = queryset.query.order_by or queryset.model._meta.ordering
    return (
        queryset.filter(pk__in=documents.matching(words).values("recommendation"))
        .annotate(search_rank=Subquery(rank))
        .order_by("-search_rank", *order)
    )
