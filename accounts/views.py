"""Setting up and entering the second factor, in the admin's own style."""

from base64 import b32encode

import segno
from django.contrib.admin import site
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms import CodeForm, SetupCodeForm
from accounts.models import RecoveryCodeDevice
from common import security_log

WRONG_SETUP_CODE = "That code is not right. Check the time on your phone is correct, then enter the newest code."
WRONG_CODE = "That code is not right. Enter the newest code from your app, or a recovery code."
TOO_MANY = "Too many wrong codes. Wait a minute, then enter the newest code from your app."


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("admin:index")


def _page(request: HttpRequest, template: str, title: str, **context) -> TemplateResponse:
    return TemplateResponse(
        request, template, {**site.each_context(request), "title": title, "next": _next(request), **context}
    )


def _recovery_device(user) -> RecoveryCodeDevice:
    device, _ = RecoveryCodeDevice.objects.get_or_create(user=user, defaults={"name": "Recovery codes"})
    return device


def _verified(request: HttpRequest, device) -> None:
    otp_login(request, device)
    # A new session key once the second factor is in: a key seen before it is worth nothing.
    request.session.cycle_key()


def _has_second_factor(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


@require_http_methods(["GET", "POST"])
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: scan the QR code (or type the key), then prove it with a code."""
    if not request.user.is_authenticated:
        return redirect("admin:login")
    if _has_second_factor(request.user) and not request.user.is_verified():
        return redirect(f"{reverse('accounts:mfa-verify')}?next={_next(request)}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Authenticator app", confirmed=False)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not device.verify_is_allowed()[0]:
            form.add_error("code", TOO_MANY)
        elif device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
            _verified(request, device)
            codes = _recovery_device(request.user).replace_codes()
            security_log.event("mfa_enrolled", request, device="authenticator app")
            return _page(request, "accounts/recovery_codes.html", "Your recovery codes", codes=codes, first_time=True)
        else:
            security_log.event("mfa_failed", request, step="setup")
            form.add_error("code", WRONG_SETUP_CODE)
    key = b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, title="QR code to add this site to your app")
    return _page(
        request,
        "accounts/mfa_setup.html",
        "Set up your second factor",
        form=form,
        qr_code=mark_safe(qr),  # noqa: S308 - drawn by segno from our own URI; no input from the request
        key=" ".join(key[i : i + 4] for i in range(0, len(key), 4)),
    )


@require_http_methods(["GET", "POST"])
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """After the password: a code from the app, or a recovery code."""
    if not request.user.is_authenticated:
        return redirect("admin:login")
    devices = list(devices_for_user(request.user, confirmed=True))
    if not devices:
        return redirect(f"{reverse('accounts:mfa-setup')}?next={_next(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        # Six digits are for the app; anything else is a recovery code. Trying one against the other
        # would count a wrong guess against a device the person did not mean to use.
        meant = [device for device in devices if isinstance(device, RecoveryCodeDevice) != code.isdigit()]
        for device in meant:
            if device.verify_token(code):
                _verified(request, device)
                used = "recovery code" if isinstance(device, RecoveryCodeDevice) else "authenticator app"
                security_log.event("mfa_verified", request, device=used)
                return redirect(_next(request))
        security_log.event("mfa_failed", request, step="sign in")
        throttled = meant and not any(device.verify_is_allowed()[0] for device in meant)
        form.add_error("code", TOO_MANY if throttled else WRONG_CODE)
    recovery = next((d for d in devices if isinstance(d, RecoveryCodeDevice)), None)
    return _page(
        request,
        "accounts/mfa_verify.html",
        "Enter your code",
        form=form,
        recovery_left=recovery.remaining if recovery else 0,
    )


@require_http_methods(["POST"])
def new_recovery_codes(request: HttpRequest) -> HttpResponse:
    """Replace the recovery codes (the old ones stop working). Needs the second factor already."""
    if not (request.user.is_authenticated and request.user.is_verified()):
        return redirect("accounts:mfa-verify")
    codes = _recovery_device(request.user).replace_codes()
    security_log.event("mfa_recovery_codes_replaced", request)
    return _page(request, "accounts/recovery_codes.html", "Your new recovery codes", codes=codes, first_time=False)
