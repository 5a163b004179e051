"""What a recommendation's search documents hold, and the rebuild that the signals, the
commands and the data migration share."""

from collections import defaultdict

from django.conf import settings
from django.db.models import Case, Count, Value, When
from django.db.models.functions import Concat

from core.translations import translate

from .models import SearchDocument
from .words import document_words, joined

# Recommendations read at a time by a full rebuild, to bound its memory.
BATCH = 500


def languages():
    return [code for code, _name in settings.LANGUAGES]


def texts(row, language, *fields):
    """The fields of `row` (an object or a dict with its `translations`) in `language`, or in
    the source language where they have no translation, as the page shows them."""
    get = row.get if isinstance(row, dict) else lambda field: getattr(row, field)
    return [translate(get(f), get("translations"), f, language).text for f in fields]


def party_texts(party, language):
    return texts(party, language, "name", "short_name")


def note_texts(record, language):
    return texts(record, language, "note")


def document_fields(recommendation, language, parties=(), notes=()):
    """The words of one recommendation in `language`. `parties` and `notes` are its parties'
    and status records' rows: {"name", "short_name", "translations"}, {"note", "translations"}."""
    title, text, details = texts(recommendation, language, "title", "text", "details")
    title_words = document_words([recommendation.code, title], language)
    main_words = document_words([*texts(recommendation.topic, language, "name"), text], language)
    rest = [details]
    for party in parties:
        rest += party_texts(party, language)
    for note in notes:
        rest += note_texts(note, language)
    return {
        "title_words": joined(title_words),
        "main_words": joined(main_words),
        "words": joined(
            dict.fromkeys([*title_words, *main_words, *document_words(rest, language)])
        ),
    }


def rebuild(recommendations, document_model=SearchDocument):
    """Write the search documents of `recommendations` (a queryset), one per configured
    language, over the ones they had, in four queries. Returns how many were written.

    Works with a data migration's models too: it reads the related models from
    `recommendations.model`."""
    rows = list(recommendations.select_related("topic"))
    if not rows:
        return 0
    meta = recommendations.model._meta
    pks = [rec.pk for rec in rows]
    parties = _by_recommendation(
        meta.get_field("responsibilities").related_model.objects.using(recommendations.db),
        pks,
        name="party__name",
        short_name="party__short_name",
        translations="party__translations",
    )
    notes = _by_recommendation(
        meta.get_field("status_updates").related_model.objects.using(recommendations.db),
        pks,
        note="note",
        translations="translations",
    )
    return write(rows, parties, notes, document_model, using=recommendations.db)


def write(recommendations, parties, notes, document_model=SearchDocument, using="default"):
    """Write the documents of `recommendations` (with their topics), given their parties and
    notes by recommendation pk (see document_fields), in one query."""
    written = document_model.objects.db_manager(using).bulk_create(
        [
            document_model(
                recommendation=rec,
                language=language,
                **document_fields(rec, language, parties.get(rec.pk, ()), notes.get(rec.pk, ())),
            )
            for rec in recommendations
            for language in languages()
        ],
        update_conflicts=True,
        unique_fields=["recommendation", "language"],
        update_fields=["title_words", "main_words", "words"],
    )
    return len(written)


def add(recommendation_id, texts_in, using="default"):
    """Add the words of `texts_in(language)` to a recommendation's documents, in one UPDATE:
    a new status record's or party's words only add to `words`. A word already there is
    written again; the next rebuild drops it. Returns False if a document was missing."""
    codes = languages()
    # " a b " appended to " x y " as "a b ": one space between words (PostgreSQL reads them
    # split on single spaces). A document with no word yet ("") is rebuilt instead.
    added = {code: joined(document_words(texts_in(code), code))[1:] for code in codes}
    updated = (
        SearchDocument.objects.using(using)
        .filter(recommendation_id=recommendation_id, language__in=codes, words__endswith=" ")
        .update(
            words=Concat(
                "words",
                Case(
                    *(When(language=code, then=Value(words)) for code, words in added.items()),
                    default=Value(""),
                ),
            )
        )
    )
    return updated == len(codes)


def add_many(additions, using="default"):
    """add() for many recommendations at once, `additions` {recommendation pk: texts_in}: two
    queries per BATCH of them (those whose documents are all there, then one UPDATE). Returns
    the pks of the others (a document missing or without words), to rebuild instead."""
    codes = languages()
    pks = sorted(additions)
    missing = []
    for start in range(0, len(pks), BATCH):
        batch = pks[start : start + BATCH]
        documents = SearchDocument.objects.using(using).filter(
            recommendation_id__in=batch, language__in=codes
        )
        complete = set(
            documents.filter(words__endswith=" ")
            .values("recommendation_id")
            .annotate(count=Count("pk"))
            .filter(count=len(codes))
            .values_list("recommendation_id", flat=True)
        )
        missing += [pk for pk in batch if pk not in complete]
        added = [
            When(
                recommendation_id=pk,
                language=code,
                then=Value(joined(document_words(additions[pk](code), code))[1:]),
            )
            for pk in batch
            if pk in complete
            for code in codes
        ]
        if added:  # As in add(): appended, one space between words.
            documents.filter(recommendation_id__in=complete).update(
                words=Concat("words", Case(*added, default=Value("")))
            )
    return missing


def _by_recommendation(objects, pks, **fields):
    """{recommendation pk: [{name: value of path}]} for `fields` {name: path}, in one query."""
    rows = defaultdict(list)
    query = objects.filter(recommendation__in=pks).order_by("pk")
    for pk, *values in query.values_list("recommendation_id", *fields.values()):
        rows[pk].append(dict(zip(fields, values, strict=True)))
    return rows


def rebuild_all(recommendation_model, document_model=SearchDocument, using="default"):
    """Every recommendation's documents, afresh (also dropping those of a language no longer
    configured), in batches. Returns how many were written."""
    document_model.objects.using(using).delete()
    recommendations = recommendation_model.objects.using(using)
    pks = list(recommendations.order_by("pk").values_list("pk", flat=True))
    return sum(
        rebuild(recommendations.filter(pk__in=pks[i : i + BATCH]), document_model)
        for i in range(0, len(pks), BATCH)
    )
