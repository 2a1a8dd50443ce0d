"""Account events into the security log, and the clock of a staff session starting at login."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.sessions import start_staff_session
from common import security_log


@receiver(user_logged_in, dispatch_uid="accounts.logged_in")
def logged_in(sender, request, user, **kwargs) -> None:
    start_staff_session(request)
    security_log.event("login", request, user=user)


@receiver(user_logged_out, dispatch_uid="accounts.logged_out")
def logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        security_log.event("logout", request, user=user)


@receiver(user_login_failed, dispatch_uid="accounts.login_failed")
def login_failed(sender, credentials, request=None, **kwargs) -> None:
    security_log.event("login_failed", request, username=str(credentials.get("username", ""))[:150])


@receiver(user_locked_out, dispatch_uid="accounts.locked_out")
def locked_out(sender, request, username, ip_address, **kwargs) -> None:
    security_log.event("login_locked_out", request, username=str(username or "")[:150])
