"""Writes to the timeline. The admin goes through these, like every other writer."""

from django.db import transaction

from core.versioning import delete_edit, lock_current, save_edit


def save_milestone(*, milestone, recommendations, expected_version=None, user=None):
    """Add or edit a milestone and its linked recommendations in one transaction.

    An edit made from an older version than the saved one is refused (see save_edit).
    """
    with transaction.atomic():
        if milestone._state.adding:
            save_edit(obj=milestone, user=user)
            milestone.recommendations.set(recommendations)
        else:
            lock_current(milestone, expected_version=expected_version)
            # Set the links first without a history row of their own, so the one row the
            # save writes holds the new fields and the new links together.
            milestone._history_user = user
            milestone.skip_history_when_saving = True
            try:
                milestone.recommendations.set(recommendations)
            finally:
                del milestone.skip_history_when_saving
            save_edit(obj=milestone, expected_version=expected_version, user=user)
    return milestone


def delete_milestone(*, milestone, expected_version, user=None):
    """Delete a milestone; its history keeps every version and the deletion."""
    delete_edit(obj=milestone, expected_version=expected_version, user=user)
