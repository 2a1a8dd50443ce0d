"""Delete exports past their time and try again those whose worker died. Run every 10 minutes (see README)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from common.text import pluralise
from surveys.reporting import jobs


class Command(BaseCommand):
    help = (
        f"Delete ready exports older than EXPORT_KEPT_HOURS ({settings.EXPORT_KEPT_HOURS}) and files no job holds; "
        f"try again exports with no progress for EXPORT_STALLED_MINUTES ({settings.EXPORT_STALLED_MINUTES}). "
        "Safe to run at any time."
    )

    def handle(self, *args, **options) -> None:
        expired = jobs.delete_expired()
        stalled = jobs.retry_stalled()
        strays = jobs.delete_strays()
        self.stdout.write(
            f"Deleted {pluralise(expired, 'expired export')}; {pluralise(stalled, 'stalled export')} tried again; "
            f"{pluralise(strays, 'stray file')} deleted."
        )
