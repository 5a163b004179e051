from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse

from . import second_factor
from .sessions import REGISTERED_KEY, register_session


class SecondFactorMiddleware:
    """Under /admin/, a staff account that must pass the second step and has not yet (in this
    session) is sent to it; only signing out and the second step itself are open meanwhile.

    It also keeps the session registry current when a session's key changed since sign-in
    (Django gives a new key on a password change), so that ending a user's sessions finds it.
    Neither costs a query: the user and the session are read by the admin anyway.

    Outside the admin, such a half-signed-in session is anonymous: the public pages' staff
    preview of unpublished items needs the second step too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        admin = reverse("admin:index")
        if not request.path.startswith(admin):
            if second_factor.is_required(request.user) and not second_factor.is_verified(request):
                request.user = AnonymousUser()
            return self.get_response(request)
        if not request.user.is_authenticated:
            return self.get_response(request)
        session = request.session
        if session.session_key and session.get(REGISTERED_KEY) != session.session_key:
            register_session(user=request.user, session=session)
        open_paths = {
            reverse("admin:login"),
            reverse("admin:logout"),
            reverse("accounts:second-step"),
            reverse("accounts:enrol"),
        }
        if (
            request.path not in open_paths
            and second_factor.is_required(request.user)
            and not second_factor.is_verified(request)
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:second-step')}?{query}")
        return self.get_response(request)
