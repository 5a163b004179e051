"""Writes that carry rules. The admin, views and commands all go through these."""

from django.db import transaction

from .models import StatusUpdate


def record_status_update(
    *, recommendation, status, effective_date, progress=None, note="", user=None
):
    """Record that `recommendation` reached `status` on `effective_date`.

    Validates (no future date, progress 0-100) and saves in one transaction; the author is kept
    on the record and on its history row.
    """
    update = StatusUpdate(
        recommendation=recommendation,
        status=status,
        effective_date=effective_date,
        progress=status.default_progress if progress is None else progress,
        note=note,
        created_by=user,
    )
    update.full_clean()
    update._history_user = user
    with transaction.atomic():
        update.save()
    return update
