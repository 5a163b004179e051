"""Writes that carry rules. The admin, views and commands all go through these.

Edits are checked against the version the editor loaded (optimistic locking): the saved row is
locked for the rest of the transaction and an edit made from an older version is refused, so
two people editing the same thing can never silently overwrite each other.

A recommendation and its status records are one unit for editing: adding, changing or deleting
a status record raises the recommendation's version (its history row names the change), and is
refused when the recommendation changed since `expected_recommendation_version`, the version
the editor's page was opened at. The recommendation is locked first, then the record, in every
writer, so two transactions never wait on each other's locks.
"""

from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.dispatch import Signal
from django.utils import formats, timezone, translation
from django.utils.text import Truncator
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.translations import default_language
from core.versioning import REASON_LENGTH, delete_edit, lock_current, lock_saved, raise_version

from .models import Recommendation, RecordPrecision, Responsibility, Role, StatusUpdate

# What the public sees of a status record; editing any of these later marks it corrected.
PUBLIC_STATUS_FIELDS = ("status_id", "effective_date", "date_precision", "progress", "note")
# Public too, but a translation or a source added later says nothing new about the record, so
# it is saved (and kept in the history) without the "corrected" stamp.
SUPPORTING_STATUS_FIELDS = ("translations", "correction_reason", "sources")


def record_status_update(
    *,
    recommendation,
    status,
    effective_date,
    date_precision=RecordPrecision.DAY,
    progress=None,
    note="",
    sources=(),
    translations=None,
    user=None,
    expected_recommendation_version=None,
):
    """Record that `recommendation` reached `status` on `effective_date`.

    Validates (no future date, progress 0-100) and saves in one transaction with the raised
    version of the recommendation (see the module's docstring); the author is kept on the
    record and on both history rows. A form passes `expected_recommendation_version`; None
    (commands, fixtures, tests, the add page of a status record, which shows no recommendation)
    adds the record whatever the recommendation's version.
    """
    update = _new_record(
        recommendation=recommendation,
        status=status,
        effective_date=effective_date,
        date_precision=date_precision,
        progress=progress,
        note=note,
        sources=sources,
        translations=translations,
        user=user,
    )
    # The database's check constraints repeat the fields' own validators (progress, precision,
    # the 1990 floor), so checking them again here would only cost nine queries a record.
    update.full_clean(validate_constraints=False)
    with transaction.atomic():
        raise_version(
            recommendation,
            expected_version=expected_recommendation_version,
            reason=describe_status_change("added", update),
            user=user,
        )
        update.save()
    return update


def _new_record(
    *,
    recommendation,
    status,
    effective_date,
    date_precision=RecordPrecision.DAY,
    progress=None,
    note="",
    sources=(),
    translations=None,
    user=None,
):
    update = StatusUpdate(
        recommendation=recommendation,
        status=status,
        effective_date=effective_date,
        date_precision=date_precision,
        progress=status.default_progress if progress is None else progress,
        note=note,
        sources=list(sources),
        translations=translations or {},
        created_by=user,
    )
    update._history_user = user
    return update


# Sent once by record_status_updates, whose bulk writes send no post_save, with `records` (the
# new StatusUpdates) and `using`: the search documents are rebuilt once for all of them
# (search/apps.py) and the page cache renewed once at commit (portal/apps.py).
status_records_added = Signal()

# Rows written per INSERT or UPDATE by record_status_updates (bounds each statement's size).
BULK_BATCH = 1000


class StatusUpdateRefused(ValidationError):
    """A ValidationError of record_status_updates, with the `index` in `updates` of the
    update it refuses (nothing was saved)."""

    def __init__(self, error, *, index):
        super().__init__(error.error_dict if hasattr(error, "error_dict") else error.error_list)
        self.index = index


def record_status_updates(*, updates, user=None):
    """Record many new status records at once, all or none: each as record_status_update
    would, with the same validation, version check, history rows (author and change reason)
    and version raised, in a fixed number of queries per BULK_BATCH rows.

    `updates` is a list of dicts of record_status_update's arguments but `user` (at most one
    per recommendation). The recommendations are locked in one query, in the order of their
    ids (as the bulk edits below), and checked against each `expected_recommendation_version`
    (None: not checked). The first update refused raises StatusUpdateRefused, with its index
    and the message the single edit gives. The search documents are rebuilt once for them all
    (status_records_added), and the public page cache renewed once at commit. Returns the new
    records, in the order of `updates`.
    """
    if len({u["recommendation"].pk for u in updates}) != len(updates):
        raise ValueError("record_status_updates takes at most one update per recommendation.")
    expected = [u.get("expected_recommendation_version") for u in updates]
    records = []
    for index, given in enumerate(updates):
        fields = {k: v for k, v in given.items() if k != "expected_recommendation_version"}
        record = _new_record(**fields, user=user)
        try:
            # As record_status_update, and the foreign keys too: the recommendations are read
            # (locked) below, the status and the author are the objects given.
            record.full_clean(
                exclude=["recommendation", "status", "created_by"], validate_constraints=False
            )
        except ValidationError as error:
            raise StatusUpdateRefused(error, index=index) from error
        records.append(record)
    if not records:
        return []
    using = router.db_for_write(StatusUpdate)
    with transaction.atomic(using=using):
        locked = {
            rec.pk: rec
            for rec in Recommendation.objects.using(using)
            .filter(pk__in=[r.recommendation_id for r in records])
            .order_by("pk")  # not the default ordering: its join would lock the plans too
            .select_for_update()
        }
        for index, record in enumerate(records):
            current = locked.get(record.recommendation_id)
            if current is None or (
                expected[index] is not None and current.version != expected[index]
            ):
                try:  # Refused with the single edit's message (who changed it, and what).
                    lock_current(record.recommendation, expected_version=expected[index])
                except ValidationError as error:
                    raise StatusUpdateRefused(error, index=index) from error
        for record in records:
            current = locked[record.recommendation_id]
            current.version += 1
            current._change_reason = Truncator(describe_status_change("added", record)).chars(
                REASON_LENGTH
            )
            current._history_user = user
            record.recommendation.version = current.version  # as raise_version does
        raised = [locked[record.recommendation_id] for record in records]
        bulk_update_with_history(
            raised, Recommendation, ["version"], batch_size=BULK_BATCH, default_user=user
        )
        bulk_create_with_history(records, StatusUpdate, batch_size=BULK_BATCH, default_user=user)
        # Bulk writes send no post_save: this signal keeps the search and the page cache fresh.
        status_records_added.send(sender=StatusUpdate, records=records, using=using)
    return records


def describe_status_change(verb, update, fields=()):
    """The recommendation's change reason for a change of one of its status records:
    "Status record added: Evaluation, Nov. 30, 2026", "... changed: ... (progress, note)"."""
    with translation.override(default_language()):
        text = f"Status record {verb}: {update.status}, {update.known_date}"
    names = [str(StatusUpdate._meta.get_field(f.removesuffix("_id")).verbose_name) for f in fields]
    return f"{text} ({', '.join(names)})" if names else text


def check_status_correction(*, update, saved):
    """Refuse an edit of a saved status record that would rewrite the recommendation's story.

    `update` carries the edited values, `saved` the record as it is in the database.
    """
    if update.recommendation_id != saved.recommendation_id:
        raise ValidationError(
            {
                "recommendation": "A status record cannot move to another recommendation. "
                "Delete it here and record it on the right one."
            }
        )
    if update.effective_date and update.effective_date != saved.effective_date:
        first = (
            StatusUpdate.objects.filter(recommendation_id=saved.recommendation_id)
            .exclude(pk=saved.pk)
            .order_by("effective_date")
            .values_list("effective_date", flat=True)
            .first()
        )
        # The recommendation's first record may move earlier; any other record may not move
        # before it (usually a mistyped year).
        if first and saved.effective_date >= first > update.effective_date:
            raise ValidationError(
                {
                    "effective_date": "This date is before the recommendation's first status "
                    f"record ({formats.date_format(first)}). Check the year. If an earlier step "
                    "was missed, add it as a new status update instead."
                }
            )


def correct_status_update(*, update, expected_version, expected_recommendation_version, user=None):
    """Save an edit of a recorded status update made from `expected_version`.

    Refused if someone saved it, or its recommendation, since (None for the recommendation
    skips that check, see record_status_update); validated like a new record and by
    check_status_correction; raises the recommendation's version. When what the public sees
    changed, the record is stamped `corrected_at`, and the public history shows "Corrected on
    <date>"; a change to translations or sources alone is saved without the stamp.
    """
    with transaction.atomic():
        # The recommendation first, as every writer locks them; raised below if anything changed.
        lock_saved(update.recommendation, expected_version=expected_recommendation_version)
        saved = lock_current(update, expected_version=expected_version)
        check_status_correction(update=update, saved=saved)
        if update.progress is None:
            update.progress = update.status.default_progress
        changed = [
            f
            for f in (*PUBLIC_STATUS_FIELDS, *SUPPORTING_STATUS_FIELDS)
            if getattr(update, f) != getattr(saved, f)
        ]
        if not changed:
            return update
        if set(changed) & set(PUBLIC_STATUS_FIELDS):
            if not (update.correction_reason or "").strip():
                raise ValidationError(
                    {
                        "correction_reason": "Say why this record is corrected: the reason is "
                        "shown publicly beside the correction."
                    }
                )
            update.corrected_at = timezone.now()
        update.version = saved.version + 1
        update.full_clean(validate_constraints=False)  # as in record_status_update
        raise_version(
            update.recommendation,
            expected_version=expected_recommendation_version,
            reason=describe_status_change("changed", update, changed),
            user=user,
        )
        update._history_user = user
        update.save()
    return update


def delete_status_update(*, update, expected_version, expected_recommendation_version, user=None):
    """Delete a status record (a correction) unless it or its recommendation changed since the
    versions given (None for the recommendation skips that check, see record_status_update);
    raises the recommendation's version. The history keeps every version and the deletion."""
    with transaction.atomic():
        raise_version(
            update.recommendation,
            expected_version=expected_recommendation_version,
            reason=describe_status_change("deleted", update),
            user=user,
        )
        delete_edit(obj=update, expected_version=expected_version, user=user)


# Bulk edits from the recommendations list (staff/admin/recommendations.py). Each is all or
# none: the recommendations are locked in the order of their ids (so two bulk edits never wait
# on each other's locks), checked against the versions the confirmation page showed, if any,
# and each one changed gets its version raised and a history row naming the action and the user.


def _lock_each(recommendations, expected_versions):
    """The saved rows of `recommendations`, locked; refused if one changed since its version
    in `expected_versions` ({pk: version}; None: not checked, for writers without a page)."""
    locked = []
    for rec in sorted(recommendations, key=lambda rec: rec.pk):
        if expected_versions is None:
            locked.append(lock_saved(rec, expected_version=None))
        else:
            locked.append(lock_current(rec, expected_version=expected_versions.get(rec.pk)))
    return locked


def _save_bulk_edit(rec, *, reason, user):
    """Save a locked recommendation edited by a bulk action, its version raised."""
    rec.version += 1
    rec.full_clean()
    rec._change_reason = Truncator(f"Bulk action: {reason}").chars(REASON_LENGTH)
    rec._history_user = user
    rec.save()


def set_topic(*, recommendations, topic, user=None, expected_versions=None):
    """Move `recommendations` to `topic`; return those that changed (the others had it).

    Refused, with nothing saved, when one of them is in another plan than the topic's (the
    message names them) or changed since `expected_versions`.
    """
    with transaction.atomic():
        locked = _lock_each(recommendations, expected_versions)
        others = [rec for rec in locked if rec.plan_id != topic.plan_id]
        if others:
            names = ", ".join(f"{rec.code} ({rec.plan.short_name})" for rec in others)
            raise ValidationError(
                {
                    "topic": f"“{topic}” is a topic of {topic.plan.short_name}, and these "
                    f"recommendations are in another plan: {names}. Nothing was changed. "
                    "Choose a topic of their plan, or select only recommendations of "
                    f"{topic.plan.short_name}."
                }
            )
        changed = [rec for rec in locked if rec.topic_id != topic.pk]
        for rec in changed:
            rec.topic = topic
            _save_bulk_edit(rec, reason=f"topic set to {topic}", user=user)
    return changed


def set_published(*, recommendations, is_published, user=None, expected_versions=None):
    """Publish (or unpublish) `recommendations`; return those that changed. The public sees a
    recommendation only when its plan is published too."""
    with transaction.atomic():
        locked = _lock_each(recommendations, expected_versions)
        changed = [rec for rec in locked if rec.is_published != is_published]
        for rec in changed:
            rec.is_published = is_published
            _save_bulk_edit(rec, reason="published" if is_published else "unpublished", user=user)
    return changed


def _describe_party(verb, party, role):
    with translation.override(default_language()):
        return f"responsible parties: {verb} {party.short_name or party.name} ({role.label})"


def add_responsible_party(*, recommendations, party, role, user=None, expected_versions=None):
    """Give `party` the `role` (a Role) on each of `recommendations`; return those that
    changed (the others had it already). The responsibility's own history records it too."""
    role = Role(role)
    with transaction.atomic():
        locked = _lock_each(recommendations, expected_versions)
        having = set(
            Responsibility.objects.filter(
                recommendation__in=locked, party=party, role=role
            ).values_list("recommendation_id", flat=True)
        )
        changed = [rec for rec in locked if rec.pk not in having]
        for rec in changed:
            responsibility = Responsibility(recommendation=rec, party=party, role=role)
            responsibility.full_clean()
            raise_version(
                rec,
                expected_version=rec.version,
                reason=f"Bulk action: {_describe_party('added', party, role)}",
                user=user,
            )
            responsibility._history_user = user
            responsibility.save()
    return changed


def remove_responsible_party(*, recommendations, party, role, user=None, expected_versions=None):
    """Take `party`'s `role` (a Role) off each of `recommendations`; return those that changed
    (the others did not have it). The history keeps the removed responsibility."""
    role = Role(role)
    with transaction.atomic():
        locked = _lock_each(recommendations, expected_versions)
        rows = {
            row.recommendation_id: row
            # By id: the default ordering's join would lock the parties too.
            for row in Responsibility.objects.filter(
                recommendation__in=locked, party=party, role=role
            )
            .order_by("pk")
            .select_for_update()
        }
        changed = [rec for rec in locked if rec.pk in rows]
        for rec in changed:
            raise_version(
                rec,
                expected_version=rec.version,
                reason=f"Bulk action: {_describe_party('removed', party, role)}",
                user=user,
            )
            rows[rec.pk]._history_user = user
            rows[rec.pk].delete()
    return changed
