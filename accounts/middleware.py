"""Every staff page (everything under /admin/, the dashboards included) needs a live staff session and a
second factor: signed in with a password alone, a person is sent to set up or enter their code."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import devices_for_user

from accounts.sessions import staff_session_expired
from common import security_log

STAFF_PREFIX = "/admin/"


class StaffAccountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if request.path.startswith(STAFF_PREFIX) and user.is_authenticated:
            reason = staff_session_expired(request)
            if reason is not None:
                security_log.event("session_expired", request, reason=reason)
                logout(request)
                messages.info(
                    request,
                    f"You were signed out after {settings.STAFF_SESSION_IDLE_MINUTES} minutes without activity."
                    if reason == "idle"
                    else f"You were signed out: staff sessions last at most {settings.STAFF_SESSION_HOURS} hours.",
                )
                return redirect(f"{reverse('admin:login')}?{urlencode({'next': request.get_full_path()})}")
            if not user.is_verified() and request.path not in self._open_paths():
                step = "accounts:mfa-verify" if _has_second_factor(user) else "accounts:mfa-setup"
                return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _open_paths() -> set[str]:
        """Pages reachable with a password alone: the second-factor steps, and signing out."""
        return {reverse("accounts:mfa-setup"), reverse("accounts:mfa-verify"), reverse("admin:logout")}


def _has_second_factor(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))
