"""The version check every edit shares (optimistic locking).

Each versioned model has a `version` field that every save through these functions raises. An
edit made from an older version is refused, and the saved row is locked for the rest of the
transaction, so two people editing the same thing can never silently overwrite each other.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import formats, timezone

VERSION_HELP = "Raised by every save; an edit made from an older version is refused."


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


def _last_change(obj):
    record = obj.history.select_related("history_user").first()
    if record is None:
        return "Someone", None
    user = record.history_user
    who = (user.get_full_name() or user.get_username()) if user else "Someone"
    return who, formats.date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT")


def _stale_message(current):
    who, when = _last_change(current)
    name = current._meta.verbose_name
    return (
        f"{who} saved this {name}{f' at {when}' if when else ''}, after you opened it. "
        "Your changes were not saved, so nothing of theirs was overwritten. Open the page "
        "again to see the current version, then make your change again."
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


def delete_edit(*, obj, expected_version, user=None):
    """Delete `obj` unless it changed since `expected_version`; the history keeps a row."""
    with transaction.atomic():
        lock_current(obj, expected_version=expected_version)
        obj._history_user = user
        obj.delete()
