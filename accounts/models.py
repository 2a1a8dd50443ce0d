"""Staff accounts' second factor: besides django-otp's authenticator-app (TOTP) devices, one-time
recovery codes, of which only a SHA-256 is stored."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_otp.models import Device, ThrottlingMixin

from common.tokens import hash_token

RECOVERY_CODES = 10
# Base 32 without look-alikes: 12 characters are 60 random bits, far beyond guessing.
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


class RecoveryCodeDevice(ThrottlingMixin, Device):
    """For when the authenticator app is not to hand: each code works once, wrong ones are throttled."""

    class Meta:
        verbose_name = "set of recovery codes"
        verbose_name_plural = "sets of recovery codes"

    def replace_codes(self) -> list[str]:
        """Forget the old codes and make new ones; the codes themselves are shown once and never stored."""
        codes = ["".join(secrets.choice(CODE_ALPHABET) for _ in range(12)) for _ in range(RECOVERY_CODES)]
        self.codes.all().delete()
        RecoveryCode.objects.bulk_create(RecoveryCode(device=self, code_hash=hash_token(code)) for code in codes)
        return [f"{code[:4]}-{code[4:8]}-{code[8:]}" for code in codes]

    @property
    def remaining(self) -> int:
        return self.codes.filter(used_at__isnull=True).count()

    def verify_token(self, token) -> bool:
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        # One UPDATE: two requests with the same code cannot both use it.
        used = self.codes.filter(code_hash=hash_token(normalise_code(str(token))), used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if used:
            self.throttle_reset()
            return True
        self.throttle_increment()
        return False

    def get_throttle_factor(self) -> int:
        return settings.OTP_TOTP_THROTTLE_FACTOR


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Recovery code {self.pk}"
