from base64 import b32encode

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import RecoveryCodeDevice
from partnerships.models import Partnership
from website.roles import COMMS_LEAD, EQUALITY_DATA_EXPORTER, PARTNERSHIP_EDITOR

DEMO_PASSWORD = "demo-password-for-local-use"  # noqa: S105 (DEBUG only, printed on purpose)
DEMO_ACCOUNTS = [
    # username, superuser?, partnership slug the account works for, its groups, what it may do
    ("demo-admin", True, None, [], "sees everything"),
    ("greenwich-comms", False, "greenwich", [COMMS_LEAD], "Greenwich's response dashboards and exports"),
    (
        "greenwich-equality",
        False,
        "greenwich",
        [COMMS_LEAD, EQUALITY_DATA_EXPORTER],
        "as greenwich-comms, and exports with equality (About you) data",
    ),
    ("greenwich-editor", False, "greenwich", [PARTNERSHIP_EDITOR], "edits greenwich only"),
]


class Command(BaseCommand):
    help = "Create demo staff logins for local use (refused when DEBUG is off) and print them."

    def handle(self, *args, **options) -> None:
        # A real SECRET_KEY means a real site: never give it accounts with a published password.
        if not settings.DEBUG or settings.SECRET_KEY != settings.DEFAULT_SECRET_KEY:
            raise CommandError("Demo logins are for local use only: run with DEBUG=1 and no SECRET_KEY set.")
        lines = []
        for username, is_superuser, partnership_slug, groups, role in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=username, defaults={"is_staff": True, "is_superuser": is_superuser}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
                user.groups.add(*Group.objects.filter(name__in=groups))
                if partnership_slug:
                    Partnership.objects.get(slug=partnership_slug).editors.add(user)
            note = "" if created else " (already existed; password left as it was)"
            lines.append(f"  {username} / {DEMO_PASSWORD}  – {role}{note}")
            lines += self._second_factor(user)
        self.stdout.write("Demo staff logins for http://127.0.0.1:8000/admin/:\n" + "\n".join(lines))

    @staticmethod
    def _second_factor(user) -> list[str]:
        """Staff pages need a second factor: give the demo account an app key and fresh recovery codes."""
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Demo authenticator app", confirmed=True)
        recovery, _ = RecoveryCodeDevice.objects.get_or_create(user=user, defaults={"name": "Recovery codes"})
        codes = recovery.replace_codes()
        key = b32encode(device.bin_key).decode()
        return [
            f"      second factor: add key {key} to an authenticator app (time-based, 6 digits),",
            f"      or use a recovery code, once each: {', '.join(codes[:3])}",
        ]
