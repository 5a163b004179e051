"""Writes of feedback: a resident's message, and the manager's review of it. The view, the
admin's form and its actions all go through these."""

from django.db import transaction
from django.utils import timezone

from core.versioning import lock_saved, save_edit

from .models import Feedback, State


def submit_feedback(*, recommendation, message, email="", language):
    """Store a resident's message about `recommendation`, sent from a page in `language`."""
    feedback = Feedback(
        recommendation=recommendation,
        about=f"{recommendation.plan.short_name}, recommendation {recommendation.code}",
        message=message,
        email=email,
        language=language,
    )
    return save_edit(obj=feedback)


def review_feedback(*, feedback, state, user, staff_note=None, expected_version=None):
    """Set the state of `feedback` (answered, dismissed, or back to new), recording who and
    when it changed; `staff_note`, when given, replaces the note.

    An edit made from an older version is refused (see save_edit); None skips that check, for
    the list's actions, which change only the state.
    """
    with transaction.atomic():
        current = lock_saved(feedback, expected_version=expected_version)
        if state != current.state:
            handled = state != State.NEW
            feedback.handled_by = user if handled else None
            feedback.handled_at = timezone.now() if handled else None
        else:  # unchanged: keep who handled it, whatever the form posted
            feedback.handled_by_id, feedback.handled_at = current.handled_by_id, current.handled_at
        feedback.state = state
        if staff_note is not None:
            feedback.staff_note = staff_note
        return save_edit(obj=feedback, expected_version=current.version, user=user)
