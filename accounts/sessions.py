"""Ending all of a user's sessions at once.

Each sign-in registers its session key (StaffSession), so ending a user's sessions deletes
exactly those from whatever SESSION_ENGINE stores them, instead of decoding every session in
the store to find the user's. A session whose key changes later (a password change cycles it)
is registered again at its next admin request (accounts.middleware); until then Django itself
refuses an inactive user's session, or one whose password hash no longer matches.
"""

from importlib import import_module

from django.conf import settings
from django.db import transaction

from .models import SignInEvent, StaffSession

# The key a session was registered under, kept in the session itself.
REGISTERED_KEY = "_accounts_registered_key"


def _store(session_key=None):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key)


def register_session(*, user, session):
    """Notes `session` as one of `user`'s, and forgets those of theirs that have expired."""
    session_key = session.session_key
    if not session_key:
        return
    session[REGISTERED_KEY] = session_key
    store = _store()
    ended = [
        key
        for key in StaffSession.objects.filter(user=user).values_list("session_key", flat=True)
        if not store.exists(key)
    ]
    StaffSession.objects.filter(session_key__in=ended).delete()
    StaffSession.objects.update_or_create(session_key=session_key, defaults={"user": user})


def end_sessions(*, user, request=None, record=True):
    """Signs `user` out everywhere: deletes each of their registered sessions. Returns how
    many there were."""
    with transaction.atomic():
        keys = list(
            StaffSession.objects.select_for_update()
            .filter(user=user)
            .values_list("session_key", flat=True)
        )
        for key in keys:
            _store(key).delete()
        StaffSession.objects.filter(user=user).delete()
        if record:
            SignInEvent.record(SignInEvent.Kind.SESSIONS_ENDED, request=request, user=user)
    return len(keys)
