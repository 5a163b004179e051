"""The version check every edit shares (optimistic locking).

Each versioned model has a `version` field that every save through these functions raises. An
edit made from an older version is refused, and the saved row is locked for the rest of the
transaction, so two people editing the same thing can never silently overwrite each other.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import formats, timezone
from django.utils.text import Truncator

VERSION_HELP = "Raised by every save; an edit made from an older version is refused."
# django-simple-history's change reason column holds 100 characters.
REASON_LENGTH = 100


def version_field():
    return models.PositiveIntegerField(default=1, editable=False, help_text=VERSION_HELP)


def lock_current(obj, *, expected_version):
    """Lock `obj`'s saved row and return it, or refuse if it changed since `expected_version`.

    Call inside a transaction: PostgreSQL keeps the row lock until commit, and SQLite runs
    writing transactions one at a time (transaction_mode IMMEDIATE in settings).
    """
    model = type(obj)
    current = model._default_manager.select_for_update().filter(pk=obj.pk).first()
    if current is None:
        raise ValidationError(_deleted_message(obj), code="stale")
    if expected_version != current.version:
        raise ValidationError(_stale_message(current), code="stale")
    return current


def lock_rows(model, *pks):
    """Lock these saved rows until the transaction commits (no check): a view that will edit
    a whole and its parts locks the whole first, so every writer locks in the same order."""
    list(model._default_manager.select_for_update().filter(pk__in=pks).values_list("pk"))


def lock_saved(obj, *, expected_version):
    """lock_current, except that None locks without checking: for writers that do not edit
    from a page opened earlier (commands, fixtures, tests)."""
    if expected_version is None:
        return type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    return lock_current(obj, expected_version=expected_version)


def _last_change(obj):
    """Who saved `obj` last, when, and what they changed, from its latest history row."""
    record = obj.history.select_related("history_user").first()
    if record is None:
        return "Someone", None, ""
    user = record.history_user
    who = (user.get_full_name() or user.get_username()) if user else "Someone"
    when = formats.date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT")
    return who, when, record.history_change_reason or _changed_fields(record)


def _changed_fields(record):
    """ "title, details": what a history row changed since the one before it; "" for an add."""
    previous = record.prev_record if record.history_type == "~" else None
    if previous is None:
        return ""
    model = record.instance_type
    names = [
        str(model._meta.get_field(name).verbose_name)
        for name in record.diff_against(previous, excluded_fields=["version"]).changed_fields
    ]
    return ", ".join(names)


def _stale_message(current):
    who, when, what = _last_change(current)
    name = current._meta.verbose_name
    return (
        f"{who} saved this {name}{f' at {when}' if when else ''}, after you opened it."
        f"{f' Their change: {what}.' if what else ''} Your changes were not saved, so nothing "
        "of theirs was overwritten. Open the page again to see the current version, then make "
        "your change again."
    )


def _deleted_message(obj):
    return (
        f"This {obj._meta.verbose_name} was deleted after you opened it, so your changes "
        "were not saved. Its history is kept in the admin."
    )


def save_edit(*, obj, expected_version=None, user=None):
    """Add `obj` (not saved yet) or save an edit of it made from `expected_version`.

    Validates, raises the version, and records `user` on the history row.
    """
    with transaction.atomic():
        if not obj._state.adding:
            current = lock_current(obj, expected_version=expected_version)
            obj.version = current.version + 1
        obj.full_clean()
        obj._history_user = user
        obj.save()
    return obj


def raise_version(obj, *, expected_version, reason, user=None):
    """Raise the version of `obj`, the whole a part of which changed (a recommendation when one
    of its status records is added, changed or deleted), and return its locked saved row.

    Refused if it changed since `expected_version`; None skips that check, for writers that
    do not edit from a page opened earlier (commands, fixtures, tests): say so explicitly.
    The saved row, not `obj`, is saved again, so no field of it is overwritten; its history
    row holds `reason` (the change reason) and `user`. `obj.version` follows, so that a caller
    saving several parts in one transaction passes the version it reached.
    """
    with transaction.atomic():
        current = lock_saved(obj, expected_version=expected_version)
        current.version += 1
        current._change_reason = Truncator(reason).chars(REASON_LENGTH)
        current._history_user = user
        current.save(update_fields=["version"])
    obj.version = current.version
    return current


def delete_edit(*, obj, expected_version, user=None):
    """Delete `obj` unless it changed since `expected_version`; the history keeps a row."""
    with transaction.atomic():
        lock_current(obj, expected_version=expected_version)
        obj._history_user = user
        obj.delete()
