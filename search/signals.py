"""Keep the search documents current: any save or delete of what a document holds rebuilds the
documents of the recommendations it touches (a new status record or party only adds its
words), in the same transaction, so a rollback undoes both (search/apps.py connects these).

Fixtures' raw saves are skipped: loaddata rebuilds once it is done (the loaddata command of
this app). Writes that send no signal (bulk_create, SQL, a data migration's models) must call
search.documents.rebuild, or `manage.py rebuild_search_documents` afterwards.
"""

from functools import partial

from django.db.models import QuerySet

from plans.models import Party
from recommendations.models import Recommendation, Responsibility, StatusUpdate, Topic

from .documents import BATCH, add, add_many, note_texts, party_texts, rebuild, write

# The fields each model gives the documents: a save of other fields only (a version raised
# with update_fields) leaves them as they are.
SEARCHED_FIELDS = {
    Recommendation: {"code", "title", "text", "details", "translations", "topic", "topic_id"},
    StatusUpdate: {"note", "translations"},
    Responsibility: {"party", "party_id"},
    Topic: {"name", "translations"},
    Party: {"name", "short_name", "translations"},
}


def recommendation_saved(sender, instance, created, raw=False, using="default", **kwargs):
    if raw or not _searched_fields_saved(sender, kwargs):
        return
    if created:  # Nothing can refer to it yet: no parties, no status records.
        write([instance], parties={}, notes={}, using=using)
    else:
        rebuild(Recommendation.objects.using(using).filter(pk=instance.pk))


def status_record_saved(sender, instance, created, raw=False, using="default", **kwargs):
    if not raw and _searched_fields_saved(sender, kwargs):
        _changed(instance, created, partial(note_texts, instance), using)


def status_records_added(sender, records, using="default", **kwargs):
    """Many new status records at once (recommendations.services.record_status_updates, whose
    bulk writes send no post_save): their words added as for one record saved, a fixed number
    of queries per batch of recommendations."""
    by_recommendation = {}
    for record in records:
        by_recommendation.setdefault(record.recommendation_id, []).append(record)
    missing = add_many(
        {pk: partial(_notes_texts, notes) for pk, notes in by_recommendation.items()},
        using=using,
    )
    for start in range(0, len(missing), BATCH):
        rebuild(Recommendation.objects.using(using).filter(pk__in=missing[start : start + BATCH]))


def _notes_texts(records, language):
    return [text for record in records for text in note_texts(record, language)]


def responsibility_saved(sender, instance, created, raw=False, using="default", **kwargs):
    if not raw and _searched_fields_saved(sender, kwargs):
        _changed(instance, created, partial(party_texts, instance.party), using)


def part_deleted(sender, instance, origin=None, using="default", **kwargs):
    """A status record or a responsibility deleted."""
    if not _deleting_recommendations(origin):  # Else its documents go with it.
        rebuild(Recommendation.objects.using(using).filter(pk=instance.recommendation_id))


def topic_saved(sender, instance, raw=False, **kwargs):
    if not raw and _searched_fields_saved(sender, kwargs):
        rebuild(Recommendation.objects.filter(topic=instance))


def party_saved(sender, instance, raw=False, **kwargs):
    if not raw and _searched_fields_saved(sender, kwargs):
        involved = Responsibility.objects.filter(party=instance).values("recommendation")
        rebuild(Recommendation.objects.filter(pk__in=involved))


def parties_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """recommendation.parties.add(...) and the like, which write Responsibility rows without
    saving them one by one."""
    if not action.startswith("post_"):
        return
    if not reverse:
        rebuild(Recommendation.objects.filter(pk=instance.pk))
    elif pk_set is not None:  # party.recommendations.add(...)
        rebuild(Recommendation.objects.filter(pk__in=pk_set))
    else:  # A party's recommendations cleared: which they were is gone. Rare; rebuild all.
        rebuild(Recommendation.objects.all())


def _changed(part, created, texts_in, using):
    """A status record or a responsibility saved: a new one's words are added to its
    recommendation's (one query), a changed one rebuilds them."""
    if not (created and add(part.recommendation_id, texts_in, using=using)):
        rebuild(Recommendation.objects.using(using).filter(pk=part.recommendation_id))


def _searched_fields_saved(sender, kwargs):
    update_fields = kwargs.get("update_fields")
    return update_fields is None or bool(SEARCHED_FIELDS[sender] & set(update_fields))


def _deleting_recommendations(origin):
    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    return issubclass(model, Recommendation)
